export { loadCurriculumConfig, parseCurriculumYaml, parseCurriculumConfig, resolveStage, selectStages, applyOverrides, type CurriculumCheckOptions } from './curriculum.js';
export { parseScheduleValue, formatSchedule, type ScheduleSpec } from './schedule-string.js';
export { DEFAULTS } from './schema.js';
export type * from './types.js';
