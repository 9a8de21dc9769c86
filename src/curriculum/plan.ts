import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SchedError } from '../errors.js';
import type { CurriculumConfig, StageConfig } from '../config/types.js';
import { selectStages } from '../config/curriculum.js';
import type { RunLayout } from '../checkpoints/layout.js';
import { bundleExists, loadBundle } from '../checkpoints/bundle.js';
import { newStageState, readTrainingState, type TrainingState } from '../checkpoints/training-state.js';
import { CHECKPOINT_FILES, type LoadOptions } from '../ppo/checkpoint.js';
import type { PpoLearner } from '../ppo/learner.js';

export const DEFAULT_CONFIG = 'configs/curriculum.yaml';

/** What this invocation of `sched train` will do. */
export interface RunPlan {
  config: CurriculumConfig;
  state: TrainingState;
  /** The stages to train now, in order. */
  stages: StageConfig[];
  /** Where the first stage's model comes from (null: a new model). */
  loadFrom: { dir: string; load(opts: LoadOptions): PpoLearner } | null;
  /** Global step the TensorBoard axis continues from (events after it are superseded). */
  tensorboardResumeStep: number | null;
}

export interface PlanOptions {
  layout: RunLayout;
  cwd: string;
  configPath?: string;
  resume: boolean;
  startStage?: string;
  singleStage?: string;
  loadConfig(path: string): CurriculumConfig;
}

/**
 * Decides the stages, the model to start from and the training state, refusing anything that
 * would overwrite a run by accident: a fresh run in a folder that already holds one must say
 * `--resume` (continue it) or `--start-stage`/`--single-stage` (retrain from a stage).
 */
export function planRun(o: PlanOptions): RunPlan {
  if (o.resume && (o.startStage || o.singleStage)) {
    throw new SchedError('USAGE', '--resume continues where the run stopped; it cannot be combined with --start-stage or --single-stage');
  }
  if (o.startStage && o.singleStage) throw new SchedError('USAGE', 'give either --start-stage or --single-stage, not both');
  const statePath = o.layout.trainingState;
  const existing = existsSync(statePath) ? readTrainingState(statePath) : null;

  if (o.resume) {
    if (!existing) throw new SchedError('CHECKPOINT', `nothing to resume in ${o.layout.root}: ${statePath} does not exist`);
    const config = o.loadConfig(o.configPath ? resolve(o.cwd, o.configPath) : existing.config);
    checkSameStages(config, existing, statePath);
    if (existing.currentStage === null) {
      throw new SchedError('USAGE', `the run in ${o.layout.root} has finished its stages; nothing to resume (use --start-stage to retrain from a stage)`);
    }
    const stages = stagesFrom(config, existing.currentStage, existing.stopAfter);
    const cur = existing.stages.find((s) => s.name === existing.currentStage)!;
    const ck = existing.lastCheckpoint;
    if (ck && ck.stage === cur.name) {
      const dir = join(o.layout.root, ck.path);
      if (!bundleExists(dir)) throw new SchedError('CHECKPOINT', `the last checkpoint ${dir} named in ${statePath} is missing`);
      cur.stageSteps = ck.stageSteps;
      existing.globalStep = ck.step;
      return { config, state: existing, stages, loadFrom: loader(dir), tensorboardResumeStep: ck.step };
    }
    // killed before the stage's first checkpoint: the stage starts over
    Object.assign(cur, newStageState(cur.name));
    const prev = previousFinal(config, stages[0], o.layout);
    return { config, state: existing, stages, loadFrom: prev, tensorboardResumeStep: prev ? savedStep(prev.dir) : 0 };
  }

  const config = o.loadConfig(resolve(o.cwd, o.configPath ?? DEFAULT_CONFIG));
  if (!o.startStage && !o.singleStage) {
    if (existing) {
      throw new SchedError(
        'USAGE',
        `${o.layout.root} already holds a training run (${statePath}, at stage ${existing.currentStage ?? 'finished'}, step ${existing.globalStep}): pass --resume to continue it, --start-stage to retrain from a stage, or --out another folder`,
      );
    }
    return { config, state: newState(config), stages: config.stages, loadFrom: null, tensorboardResumeStep: null };
  }

  const stages = selectStages(config, o.startStage ? { startStage: o.startStage } : { singleStage: o.singleStage! });
  const from = previousFinal(config, stages[0], o.layout);
  let state = existing;
  if (state) {
    try {
      checkSameStages(config, state, statePath);
    } catch {
      state = null; // another curriculum: start a new state (checkpoints of other stages stay)
    }
  }
  state ??= newState(config);
  for (const s of stages) Object.assign(state.stages.find((x) => x.name === s.name)!, newStageState(s.name));
  state.stopAfter = o.singleStage ?? null;
  state.lastCheckpoint = null;
  state.globalStep = from ? savedStep(from.dir) : 0;
  return { config, state, stages, loadFrom: from, tensorboardResumeStep: state.globalStep };
}

function newState(config: CurriculumConfig): TrainingState {
  const now = new Date().toISOString();
  return {
    version: 1, config: config.source, seed: config.seed, createdAt: now, updatedAt: now, currentStage: config.stages[0].name, globalStep: 0,
    stages: config.stages.map((s) => newStageState(s.name)), lastCheckpoint: null, stopAfter: null,
  };
}

function stagesFrom(config: CurriculumConfig, name: string, stopAfter: string | null): StageConfig[] {
  const i = config.stages.findIndex((s) => s.name === name);
  const j = stopAfter ? config.stages.findIndex((s) => s.name === stopAfter) : config.stages.length - 1;
  return config.stages.slice(i, j + 1);
}

/** The previous stage's final model, required to start at any stage but the first. */
function previousFinal(config: CurriculumConfig, stage: StageConfig, layout: RunLayout): RunPlan['loadFrom'] {
  if (stage.index === 0) return null;
  const prev = config.stages[stage.index - 1];
  const dir = layout.final(prev.name);
  if (!bundleExists(dir)) {
    throw new SchedError('CHECKPOINT', `cannot start at stage ${stage.name}: the previous stage ${prev.name} has no final model at ${dir} (train ${prev.name} first, or start earlier)`);
  }
  return loader(dir);
}

function loader(dir: string): NonNullable<RunPlan['loadFrom']> {
  return { dir, load: (opts) => loadBundle(dir, opts) };
}

/** The global step a saved bundle was taken at (from its learner_state.json). */
function savedStep(dir: string): number {
  const path = existsSync(dir) ? join(dir, CHECKPOINT_FILES.state) : join(`${dir}.old`, CHECKPOINT_FILES.state);
  try {
    const n = (JSON.parse(readFileSync(path, 'utf8')) as { numTimesteps?: unknown }).numTimesteps;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
  } catch {
    // reported below
  }
  throw new SchedError('CHECKPOINT', `corrupted checkpoint file ${path}: no step count`);
}

function checkSameStages(config: CurriculumConfig, state: TrainingState, statePath: string): void {
  const a = config.stages.map((s) => s.name).join(',');
  const b = state.stages.map((s) => s.name).join(',');
  if (a !== b) {
    throw new SchedError('CONFIG', `the stages of ${config.source} (${a}) are not those of the run in ${statePath} (${b})`);
  }
}
