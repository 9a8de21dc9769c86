import { SchedError } from '../../errors.js';
import { JOBSHOP_PROFILES, type JobShopProfile } from './jobshop.js';

/**
 * A generator profile: the recipe from which `generateSnapshot` draws one factory instance.
 * One profile per curriculum stage (SPEC.md, "The curriculum") plus one per named snapshot.
 * All times are hours. Documented with a table of every profile in docs/snapshots.md.
 */
export interface GeneratorProfile {
  name: string;
  description: string;
  jobs: number;
  machines: number;
  /** Number of machine types; every type has at least one machine (so <= machines). */
  machineTypes: number;
  /** Tasks per job, inclusive range. */
  tasksPerJob: readonly [number, number];
  /** Processing times: log-normal with this median and sigma, clamped to [min, max], rounded to 0.25 h. */
  duration: { median: number; sigma: number; min: number; max: number };
  /** Eligible machines per ordinary task, inclusive range (capped by the size of the task's type). */
  eligible: readonly [number, number];
  /** Share of jobs with tight due dates. */
  urgentShare: number;
  /** Share of jobs flagged `important`. */
  importantShare: number;
  /** Number of overloaded machine types, and how much more often a task routes to one of them. */
  bottleneck: { types: number; weight: number };
  /** Share of tasks that need several machines at once (`requiresAll`), and how many. */
  multiMachine: { share: number; size: readonly [number, number] };
  /** Share of tasks with a setup time, drawn uniformly in [min, max], rounded to 0.25 h. */
  setup: { share: number; min: number; max: number };
  /** Releases are uniform in [0, releaseSpread] hours (rounded to whole hours); 0 = all released. */
  releaseSpread: number;
  /**
   * Due dates: due = release + ownWork * factor + queue * span, where ownWork is the job's
   * processing time, span = horizon, and factor / queue are uniform in the ranges below
   * (urgent jobs use the tight ranges). Rounded to 0.5 h.
   */
  due: { urgentFactor: readonly [number, number]; urgentQueue: readonly [number, number]; normalFactor: readonly [number, number]; normalQueue: readonly [number, number] };
  /**
   * Working calendar, or null for round-the-clock machines. `shifts` 1 = 06-14, 2 = 06-22,
   * 3 = all day; `pauses` short breaks per shift day (30 min each); `weekendOff` makes
   * Saturday and Sunday whole-day breaks; `holidays` whole days off within the horizon;
   * `continuousShare` of the machine types (never bottleneck types) run 3 shifts, holidays only.
   */
  calendar: { shifts: 1 | 2 | 3; pauses: number; weekendOff: boolean; holidays: number; continuousShare: number } | null;
  /** Planning horizon in hours (due-date spread, holidays, and stats' capacity). */
  horizon: number;
}

const NO_MULTI = { share: 0, size: [2, 2] } as const;
const NO_SETUP = { share: 0, min: 0, max: 0 } as const;
const NO_BOTTLENECK = { types: 0, weight: 1 } as const;
const RELAXED_DUE = { urgentFactor: [1.2, 1.6], urgentQueue: [0.05, 0.25], normalFactor: [1.5, 3], normalQueue: [0.3, 1] } as const;
const FACTORY_DAYS = { shifts: 2, pauses: 2, weekendOff: true, holidays: 2, continuousShare: 0.1 } as const;

/** The 16 curriculum stages, in curriculum order. */
export const STAGE_PROFILES: readonly GeneratorProfile[] = [
  {
    name: 'toy_easy', description: 'Foundation: a few short jobs, no calendar', jobs: 5, machines: 3, machineTypes: 2,
    tasksPerJob: [2, 3], duration: { median: 3, sigma: 0.4, min: 1, max: 8 }, eligible: [1, 2],
    urgentShare: 0.2, importantShare: 0.2, bottleneck: NO_BOTTLENECK, multiMachine: NO_MULTI, setup: NO_SETUP,
    releaseSpread: 0, due: RELAXED_DUE, calendar: null, horizon: 24,
  },
  {
    name: 'toy_normal', description: 'Foundation: more jobs, some setups', jobs: 10, machines: 5, machineTypes: 3,
    tasksPerJob: [2, 4], duration: { median: 3, sigma: 0.5, min: 1, max: 10 }, eligible: [1, 2],
    urgentShare: 0.3, importantShare: 0.2, bottleneck: NO_BOTTLENECK, multiMachine: NO_MULTI, setup: { share: 0.2, min: 0.25, max: 1 },
    releaseSpread: 8, due: RELAXED_DUE, calendar: null, horizon: 48,
  },
  {
    name: 'toy_hard', description: 'Foundation: dense load on few machines, tighter due dates', jobs: 15, machines: 5, machineTypes: 3,
    tasksPerJob: [3, 5], duration: { median: 3, sigma: 0.6, min: 0.5, max: 12 }, eligible: [1, 2],
    urgentShare: 0.4, importantShare: 0.25, bottleneck: { types: 1, weight: 1.5 }, multiMachine: NO_MULTI, setup: { share: 0.3, min: 0.25, max: 1 },
    releaseSpread: 12, due: { urgentFactor: [1.1, 1.4], urgentQueue: [0.05, 0.2], normalFactor: [1.3, 2.5], normalQueue: [0.2, 0.8] }, calendar: null, horizon: 72,
  },
  {
    name: 'toy_multi', description: 'Foundation: first multi-machine tasks', jobs: 10, machines: 8, machineTypes: 3,
    tasksPerJob: [2, 4], duration: { median: 3, sigma: 0.5, min: 1, max: 10 }, eligible: [1, 3],
    urgentShare: 0.3, importantShare: 0.2, bottleneck: NO_BOTTLENECK, multiMachine: { share: 0.25, size: [2, 2] }, setup: { share: 0.2, min: 0.25, max: 1 },
    releaseSpread: 8, due: RELAXED_DUE, calendar: null, horizon: 48,
  },
  {
    name: 'small_balanced', description: 'Strategy: balanced load over the types, lunch breaks', jobs: 30, machines: 15, machineTypes: 6,
    tasksPerJob: [3, 6], duration: { median: 4, sigma: 0.6, min: 0.5, max: 16 }, eligible: [1, 3],
    urgentShare: 0.3, importantShare: 0.2, bottleneck: NO_BOTTLENECK, multiMachine: NO_MULTI, setup: { share: 0.25, min: 0.25, max: 1.5 },
    releaseSpread: 24, due: RELAXED_DUE, calendar: { shifts: 3, pauses: 1, weekendOff: false, holidays: 0, continuousShare: 0 }, horizon: 120,
  },
  {
    name: 'small_rush', description: 'Strategy: ~80% of the jobs urgent', jobs: 50, machines: 20, machineTypes: 8,
    tasksPerJob: [3, 6], duration: { median: 4, sigma: 0.6, min: 0.5, max: 16 }, eligible: [1, 3],
    urgentShare: 0.8, importantShare: 0.3, bottleneck: NO_BOTTLENECK, multiMachine: NO_MULTI, setup: { share: 0.25, min: 0.25, max: 1.5 },
    releaseSpread: 24, due: RELAXED_DUE, calendar: { shifts: 3, pauses: 1, weekendOff: false, holidays: 0, continuousShare: 0 }, horizon: 120,
  },
  {
    name: 'small_bottleneck', description: 'Strategy: two overloaded machine types', jobs: 40, machines: 10, machineTypes: 5,
    tasksPerJob: [3, 6], duration: { median: 4, sigma: 0.6, min: 0.5, max: 16 }, eligible: [1, 2],
    urgentShare: 0.3, importantShare: 0.2, bottleneck: { types: 2, weight: 4 }, multiMachine: NO_MULTI, setup: { share: 0.25, min: 0.25, max: 1.5 },
    releaseSpread: 24, due: RELAXED_DUE, calendar: { shifts: 3, pauses: 1, weekendOff: false, holidays: 0, continuousShare: 0 }, horizon: 168,
  },
  {
    name: 'small_complex', description: 'Strategy: multi-machine tasks, setups, shifts and a holiday', jobs: 50, machines: 25, machineTypes: 10,
    tasksPerJob: [3, 7], duration: { median: 4, sigma: 0.7, min: 0.5, max: 20 }, eligible: [1, 3],
    urgentShare: 0.35, importantShare: 0.25, bottleneck: { types: 1, weight: 2 }, multiMachine: { share: 0.15, size: [2, 3] }, setup: { share: 0.35, min: 0.25, max: 2 },
    releaseSpread: 48, due: RELAXED_DUE, calendar: { shifts: 2, pauses: 2, weekendOff: false, holidays: 1, continuousShare: 0.1 }, horizon: 168,
  },
  {
    name: 'medium_normal', description: 'Scale: a mid-size factory week', jobs: 150, machines: 40, machineTypes: 15,
    tasksPerJob: [3, 8], duration: { median: 4, sigma: 0.7, min: 0.5, max: 24 }, eligible: [1, 3],
    urgentShare: 0.3, importantShare: 0.2, bottleneck: { types: 1, weight: 1.5 }, multiMachine: { share: 0.05, size: [2, 2] }, setup: { share: 0.3, min: 0.25, max: 2 },
    releaseSpread: 72, due: RELAXED_DUE, calendar: { ...FACTORY_DAYS, holidays: 1 }, horizon: 336,
  },
  {
    name: 'medium_stress', description: 'Scale: heavy load, three overloaded types', jobs: 200, machines: 50, machineTypes: 20,
    tasksPerJob: [4, 8], duration: { median: 4.5, sigma: 0.7, min: 0.5, max: 24 }, eligible: [1, 3],
    urgentShare: 0.45, importantShare: 0.25, bottleneck: { types: 3, weight: 3 }, multiMachine: { share: 0.05, size: [2, 2] }, setup: { share: 0.3, min: 0.25, max: 2 },
    releaseSpread: 72, due: { urgentFactor: [1.1, 1.4], urgentQueue: [0.05, 0.2], normalFactor: [1.3, 2.5], normalQueue: [0.2, 0.8] }, calendar: { ...FACTORY_DAYS, holidays: 1 }, horizon: 336,
  },
  {
    name: 'large_intro', description: 'Scale: first large factory', jobs: 300, machines: 75, machineTypes: 28,
    tasksPerJob: [3, 9], duration: { median: 4, sigma: 0.7, min: 0.5, max: 24 }, eligible: [1, 4],
    urgentShare: 0.3, importantShare: 0.2, bottleneck: { types: 2, weight: 1.5 }, multiMachine: { share: 0.05, size: [2, 3] }, setup: { share: 0.3, min: 0.25, max: 2 },
    releaseSpread: 96, due: RELAXED_DUE, calendar: FACTORY_DAYS, horizon: 504,
  },
  {
    name: 'large_advanced', description: 'Scale: near production size', jobs: 400, machines: 100, machineTypes: 34,
    tasksPerJob: [3, 10], duration: { median: 4, sigma: 0.75, min: 0.5, max: 32 }, eligible: [1, 4],
    urgentShare: 0.35, importantShare: 0.25, bottleneck: { types: 3, weight: 2 }, multiMachine: { share: 0.08, size: [2, 3] }, setup: { share: 0.3, min: 0.25, max: 2 },
    releaseSpread: 120, due: RELAXED_DUE, calendar: FACTORY_DAYS, horizon: 504,
  },
  {
    name: 'production_warmup', description: 'Production: the real factory (145 machines, 40 types) at a normal load', jobs: 295, machines: 145, machineTypes: 40,
    tasksPerJob: [4, 12], duration: { median: 5, sigma: 0.75, min: 0.5, max: 40 }, eligible: [1, 4],
    urgentShare: 0.3, importantShare: 0.2, bottleneck: { types: 2, weight: 1.5 }, multiMachine: { share: 0.06, size: [2, 3] }, setup: { share: 0.3, min: 0.25, max: 3 },
    releaseSpread: 120, due: RELAXED_DUE, calendar: FACTORY_DAYS, horizon: 504,
  },
  {
    name: 'production_rush', description: 'Production: ~80% of the jobs urgent', jobs: 295, machines: 145, machineTypes: 40,
    tasksPerJob: [4, 12], duration: { median: 5, sigma: 0.75, min: 0.5, max: 40 }, eligible: [1, 4],
    urgentShare: 0.8, importantShare: 0.3, bottleneck: { types: 2, weight: 1.5 }, multiMachine: { share: 0.06, size: [2, 3] }, setup: { share: 0.3, min: 0.25, max: 3 },
    releaseSpread: 120, due: RELAXED_DUE, calendar: FACTORY_DAYS, horizon: 504,
  },
  {
    name: 'production_heavy', description: 'Production: 500 jobs, overloaded types', jobs: 500, machines: 145, machineTypes: 40,
    tasksPerJob: [4, 12], duration: { median: 5, sigma: 0.75, min: 0.5, max: 40 }, eligible: [1, 4],
    urgentShare: 0.4, importantShare: 0.25, bottleneck: { types: 4, weight: 2 }, multiMachine: { share: 0.08, size: [2, 3] }, setup: { share: 0.3, min: 0.25, max: 3 },
    releaseSpread: 168, due: RELAXED_DUE, calendar: FACTORY_DAYS, horizon: 672,
  },
  {
    name: 'production_expert', description: 'Production: 500 jobs, rush, bottlenecks, multi-machine tasks, holidays', jobs: 500, machines: 145, machineTypes: 40,
    tasksPerJob: [3, 12], duration: { median: 5, sigma: 0.8, min: 0.5, max: 48 }, eligible: [1, 4],
    urgentShare: 0.55, importantShare: 0.3, bottleneck: { types: 5, weight: 2.5 }, multiMachine: { share: 0.12, size: [2, 3] }, setup: { share: 0.35, min: 0.25, max: 3 },
    releaseSpread: 168, due: { urgentFactor: [1.1, 1.4], urgentQueue: [0.05, 0.2], normalFactor: [1.3, 2.5], normalQueue: [0.2, 0.8] }, calendar: { ...FACTORY_DAYS, holidays: 3 }, horizon: 672,
  },
];

const PRODUCTION = STAGE_PROFILES.find((p) => p.name === 'production_warmup')!;

/** The five named snapshots of `snapshots/` (held-out test data), all at production scale. */
export const NAMED_PROFILES: readonly GeneratorProfile[] = [
  { ...PRODUCTION, name: 'snapshot_normal', description: 'a normal factory fortnight: 295 jobs on 145 machines of 40 types' },
  { ...PRODUCTION, name: 'snapshot_rush', description: '~80% of the jobs urgent', urgentShare: 0.8, importantShare: 0.3 },
  {
    ...PRODUCTION, name: 'snapshot_heavy', description: '520 jobs: more work than the horizon holds', jobs: 520,
    bottleneck: { types: 3, weight: 1.5 }, releaseSpread: 168, horizon: 672,
  },
  {
    ...PRODUCTION, name: 'snapshot_bottleneck', description: 'four machine types carry far more work than the rest',
    bottleneck: { types: 4, weight: 4 }, eligible: [1, 2],
  },
  {
    ...PRODUCTION, name: 'snapshot_multi_heavy', description: '30% of the tasks need 2-4 machines at once',
    multiMachine: { share: 0.3, size: [2, 4] },
  },
];

/** A factory profile, or a pure job shop (jobshop.ts: `jssp_6x6` ... `jssp_20x20`). */
export type Profile = GeneratorProfile | JobShopProfile;

export const ALL_PROFILES: readonly Profile[] = [...STAGE_PROFILES, ...NAMED_PROFILES, ...JOBSHOP_PROFILES];

/** A stage, named or job-shop profile by name; an unknown name is a usage error listing the valid ones. */
export function getProfile(name: string): Profile {
  const p = ALL_PROFILES.find((x) => x.name === name);
  if (!p) {
    throw new SchedError('USAGE', `unknown generator profile "${name}"; valid profiles: ${ALL_PROFILES.map((x) => x.name).join(', ')}`);
  }
  return p;
}
