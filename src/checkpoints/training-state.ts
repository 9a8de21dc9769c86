import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { SchedError } from '../errors.js';
import { writeJsonAtomic } from '../io/atomic.js';
import { formatPath } from '../data/snapshots/load.js';

const MetricsSchema = z.record(z.string(), z.number());

export const StageStateSchema = z.object({
  name: z.string(),
  status: z.enum(['pending', 'running', 'done']),
  /** Global step at which the stage started / ended (null until known). */
  startStep: z.number().int().nullable(),
  endStep: z.number().int().nullable(),
  /** Steps trained within the stage (drives its learning-rate and clip schedules). */
  stageSteps: z.number().int().nonnegative(),
  bestEval: MetricsSchema.nullable(),
  bestStep: z.number().int().nullable(),
  lastEval: MetricsSchema.nullable(),
  evals: z.number().int().nonnegative(),
  /** True when the success thresholds ended the stage before its budget. */
  advancedEarly: z.boolean(),
  /** What pretraining did (teacher, decisions, agreement, ...), once it ran. */
  pretrain: z.record(z.string(), z.union([z.number(), z.string()])).nullable().default(null),
  /**
   * The best dispatching rule's figures on the stage's evaluation instances, per KPI (rule and
   * value), computed at the stage's start when `success.beat_best_rule` is set.
   */
  bestRule: z.record(z.string(), z.union([z.number(), z.string()])).nullable().default(null),
});

export const TrainingStateSchema = z.object({
  version: z.literal(1),
  config: z.string(),
  seed: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  currentStage: z.string().nullable(),
  globalStep: z.number().int().nonnegative(),
  stages: z.array(StageStateSchema),
  /** The learner bundle to resume from, relative to the run root. */
  lastCheckpoint: z
    .object({ stage: z.string(), step: z.number().int(), stageSteps: z.number().int().nonnegative(), path: z.string() })
    .nullable(),
  /** Set by `--single-stage`: the run ends after this stage (a resume keeps to it). */
  stopAfter: z.string().nullable().default(null),
  backend: z.string().optional(),
});

export type StageState = z.infer<typeof StageStateSchema>;
export type TrainingState = z.infer<typeof TrainingStateSchema>;

export function newStageState(name: string): StageState {
  return { name, status: 'pending', startStep: null, endStep: null, stageSteps: 0, bestEval: null, bestStep: null, lastEval: null, evals: 0, advancedEarly: false, pretrain: null, bestRule: null };
}

/** Reads training_state.json; a missing or corrupted file is a CHECKPOINT error naming it. */
export function readTrainingState(path: string): TrainingState {
  if (!existsSync(path)) throw new SchedError('CHECKPOINT', `no training state at ${path}: nothing to resume (train without --resume first)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SchedError('CHECKPOINT', `training state ${path} is corrupted: ${(err as Error).message}`);
  }
  const parsed = TrainingStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new SchedError(
      'CHECKPOINT',
      `training state ${path} is corrupted`,
      parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
    );
  }
  return parsed.data;
}

export function writeTrainingState(path: string, state: TrainingState): void {
  state.updatedAt = new Date().toISOString();
  writeJsonAtomic(path, state);
}
