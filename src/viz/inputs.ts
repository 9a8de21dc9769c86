import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SchedError } from '../errors.js';
import { RunLayout } from '../checkpoints/layout.js';
import { parseJsonOrFail } from '../io/read.js';
import { formatPath } from '../data/snapshots/load.js';
import { ScheduleAssignmentSchema, type ScheduleExport } from '../env/schedule-export.js';

/**
 * The files of a run folder that `sched visualize` reads, their TypeScript types and readers.
 * They are written by the trainer (`logs/scalars.jsonl`, `checkpoints/training_state.json`),
 * `sched test --json` (`reports/test_results.json`) and `sched schedule` (`schedules/*.json`).
 * Formats: docs/visualize.md.
 */

/** One line of `logs/scalars.jsonl`. `step` is the global timestep, continuous across stages. */
export interface ScalarRecord {
  stage: string;
  step: number;
  /** SB3's tag names: `rollout/ep_rew_mean`, `eval/on_time_rate`, ... */
  tag: string;
  value: number;
  /** Unix time in seconds. */
  wall: number;
}

export interface StageState {
  name: string;
  status: 'done' | 'running' | 'pending';
  startStep: number | null;
  endStep: number | null;
  /** Best evaluation metrics of the stage (`completion_rate`, `on_time_rate`, ...). */
  bestEval: Record<string, number> | null;
  advancedEarly: boolean;
}

/** `checkpoints/training_state.json`; only the fields charts need are typed, others are kept. */
export interface TrainingState {
  stages: StageState[];
  globalStep: number;
  [extra: string]: unknown;
}

/** One row of `reports/test_results.json` (`sched test --json`). */
export interface TestResultRow {
  stage: string;
  snapshot: string;
  /** `ppo` or a baseline rule: random, fifo, edd, spt, lpt, mwkr, mopnr, cr, atc, greedy. */
  policy: string;
  completion_rate: number;
  on_time_rate: number;
  mean_days_late: number;
  max_days_late: number;
  makespan: number;
  utilization: number;
  schedule_ms: number;
}

const relative = new RunLayout('');

/** The run files `sched visualize` reads, relative to the run folder. */
export const RUN_FILES = {
  scalars: relative.scalarsFile,
  state: relative.trainingState,
  tests: relative.testResults,
  schedules: relative.schedules,
} as const;

const num = z.number().refine(Number.isFinite, 'expected a finite number');
const step = z.number().int().min(0);

const ScalarSchema = z.object({ stage: z.string().min(1), step, tag: z.string().min(1), value: num, wall: num.optional() });

const StageStateSchema = z.looseObject({
  name: z.string().min(1),
  status: z.enum(['done', 'running', 'pending']),
  startStep: step.nullable().optional(),
  endStep: step.nullable().optional(),
  bestEval: z.record(z.string(), z.unknown()).nullable().optional(),
  advancedEarly: z.boolean().optional(),
});
const TrainingStateSchema = z.looseObject({ stages: z.array(StageStateSchema), globalStep: step });

const TestRowSchema = z.looseObject({
  stage: z.string().min(1),
  snapshot: z.string(),
  policy: z.string().min(1),
  completion_rate: num,
  on_time_rate: num,
  mean_days_late: num,
  max_days_late: num,
  makespan: num,
  utilization: num,
  schedule_ms: num,
});

const ScheduleSchema = z.looseObject({
  snapshot: z.string(),
  policy: z.string(),
  assignments: z.array(ScheduleAssignmentSchema),
  metrics: z.record(z.string(), z.unknown()),
  jobs: z
    .array(z.object({ id: z.string(), due: num.nullable(), completion: num.nullable(), important: z.boolean(), days_late: num }))
    .optional(),
});

/** What `readScalars` found: the valid records in file order, and what was skipped. */
export interface ScalarLog {
  records: ScalarRecord[];
  /** One line per skipped line (a truncated last line, malformed lines), with its number. */
  warnings: string[];
}

/**
 * Reads `scalars.jsonl`. A truncated last line (the run was killed mid-write) is skipped with a
 * warning; so is any other malformed line (the first three are named, then a count).
 */
export function readScalars(path: string): ScalarLog {
  const text = readText(path);
  const lines = text.split('\n');
  const records: ScalarRecord[] = [];
  const bad: string[] = [];
  let truncatedLast = false;
  let lastNonEmpty = lines.length - 1;
  while (lastNonEmpty >= 0 && lines[lastNonEmpty].trim() === '') lastNonEmpty--;
  for (let i = 0; i <= lastNonEmpty; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (i === lastNonEmpty) truncatedLast = true;
      else bad.push(`line ${i + 1}: not valid JSON`);
      continue;
    }
    const r = ScalarSchema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      bad.push(`line ${i + 1}: ${formatPath(issue.path)}: ${issue.message}`);
      continue;
    }
    records.push({ ...r.data, wall: r.data.wall ?? 0 });
  }
  const warnings: string[] = [];
  if (truncatedLast) warnings.push(`${path}: skipped the truncated last line ${lastNonEmpty + 1} (the run was probably killed while writing it)`);
  if (bad.length > 0) {
    const shown = bad.slice(0, 3).join('; ');
    warnings.push(`${path}: skipped ${bad.length} malformed line${bad.length === 1 ? '' : 's'} (${shown}${bad.length > 3 ? '; ...' : ''})`);
  }
  return { records, warnings };
}

export function readTrainingState(path: string): TrainingState {
  const r = TrainingStateSchema.safeParse(readJson(path));
  if (!r.success) throw invalid(path, 'training state', r.error.issues);
  const stages: StageState[] = r.data.stages.map((s) => ({
    name: s.name,
    status: s.status,
    startStep: s.startStep ?? null,
    endStep: s.endStep ?? null,
    bestEval: s.bestEval ? numericEntries(s.bestEval) : null,
    advancedEarly: s.advancedEarly ?? false,
  }));
  return { ...r.data, stages, globalStep: r.data.globalStep };
}

export function readTestResults(path: string): TestResultRow[] {
  const r = z.array(TestRowSchema).safeParse(readJson(path));
  if (!r.success) throw invalid(path, 'test results list', r.error.issues);
  return r.data as TestResultRow[];
}

export function readScheduleExport(path: string): ScheduleExport {
  const r = ScheduleSchema.safeParse(readJson(path));
  if (!r.success) throw invalid(path, 'schedule export', r.error.issues);
  return r.data as unknown as ScheduleExport;
}

/** Every input a run folder holds; missing files are listed, bad ones become warnings. */
export interface RunInputs {
  dir: string;
  scalars: ScalarRecord[] | null;
  state: TrainingState | null;
  tests: TestResultRow[] | null;
  schedules: { file: string; name: string; schedule: ScheduleExport }[];
  /** Run-relative paths of the inputs that were not there. */
  missing: string[];
  warnings: string[];
}

/** Reads whatever the run folder holds. Throws only when the folder itself does not exist. */
export function readRunInputs(dir: string): RunInputs {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SchedError('IO', `run folder ${dir} does not exist`);
  }
  const out: RunInputs = { dir, scalars: null, state: null, tests: null, schedules: [], missing: [], warnings: [] };
  const attempt = <T>(rel: string, read: (p: string) => T): T | null => {
    const p = join(dir, rel);
    if (!existsSync(p)) {
      out.missing.push(rel);
      return null;
    }
    try {
      return read(p);
    } catch (err) {
      if (!(err instanceof SchedError)) throw err;
      out.warnings.push(err.message + (err.details.length ? ': ' + err.details.slice(0, 3).join('; ') : ''));
      return null;
    }
  };
  const log = attempt(RUN_FILES.scalars, readScalars);
  if (log) {
    out.scalars = log.records;
    out.warnings.push(...log.warnings);
  }
  out.state = attempt(RUN_FILES.state, readTrainingState);
  out.tests = attempt(RUN_FILES.tests, readTestResults);
  const schedDir = join(dir, RUN_FILES.schedules);
  const files = existsSync(schedDir) ? readdirSync(schedDir).filter((f) => f.endsWith('.json')).sort() : [];
  if (files.length === 0) out.missing.push(join(RUN_FILES.schedules, '*.json'));
  for (const f of files) {
    const schedule = attempt(join(RUN_FILES.schedules, f), readScheduleExport);
    if (schedule) out.schedules.push({ file: join(schedDir, f), name: f.replace(/\.json$/, ''), schedule });
  }
  return out;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new SchedError('IO', `cannot read ${path}: ${(err as Error).message}`);
  }
}

function readJson(path: string): unknown {
  return parseJsonOrFail(readText(path), path, 'DATA');
}

function invalid(path: string, what: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]): SchedError {
  const n = issues.length;
  return new SchedError('DATA', `${path} is not a valid ${what} (${n} problem${n === 1 ? '' : 's'})`, issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
}

function numericEntries(o: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}
