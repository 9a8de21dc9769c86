import { existsSync, rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { SchedError } from '../errors.js';
import type { CurriculumConfig, StageConfig } from '../config/types.js';
import { applyOverrides } from '../config/curriculum.js';
import type { SchedulingVecEnv } from '../env/scheduling-vec-env.js';
import { makeStageEnv } from './env-factory.js';
import { selectBackend, type BackendChoice } from '../ppo/backend.js';
import type { PpoLearner, RolloutSummary, TrainDiagnostics } from '../ppo/learner.js';
import { sb3Record } from '../ppo/diagnostics.js';
import { RunLayout } from '../checkpoints/layout.js';
import { saveBundle, writeStageVecNormalize } from '../checkpoints/bundle.js';
import { readSplit, writeSplit } from '../checkpoints/split.js';
import { acquireRunLock, describeOwner, type RunLock } from '../checkpoints/run-lock.js';
import { writeTrainingState, type StageState, type TrainingState } from '../checkpoints/training-state.js';
import { ScalarLogger } from '../io/scalar-logger.js';
import { TensorBoardScalarWriter } from '../io/scalar-writers/tensorboard-writer.js';
import { JsonLinesScalarWriter } from '../io/scalar-writers/jsonl-writer.js';
import type { ProgressSink } from './progress-sink.js';
import { loadCheckedCurriculum, loadStageData, type StageInstances } from './stage-data.js';
import { evaluateLearner, evaluationMetrics, type PolicyEvaluation } from './evaluate.js';
import { beatsBestRule, bestRuleFigures, describeBestRule } from './best-rule.js';
import { pretrain } from './pretrain.js';
import { compareByObjective, objectiveOf, type Objective, type ObjectiveMetrics } from '../env/objective.js';
import { checkStagesCompatible, newStageLearner, stageHyperparams } from './learner-config.js';
import { planRun, type RunPlan } from './plan.js';

export interface TrainOptions {
  /** Curriculum YAML (default configs/curriculum.yaml; on --resume, the run's own). */
  configPath?: string;
  /** Run folder: checkpoints/, tensorboard/, logs/ ... go under it. */
  out: string;
  cwd: string;
  startStage?: string;
  singleStage?: string;
  resume?: boolean;
  backend?: BackendChoice;
  /** Threads of the native engine (default: one per free core). */
  threads?: number;
  envs?: number;
  seed?: number;
  /** The run's logger; given a function, it is made once the run is planned (so a refused run writes no log). */
  log: Logger | ((layout: RunLayout) => Logger);
  progress: ProgressSink;
  /** Aborting it (SIGINT/SIGTERM) stops after the current iteration, with a checkpoint. */
  signal?: AbortSignal;
}

export interface TrainResult {
  layout: RunLayout;
  state: TrainingState;
  interrupted: boolean;
  backend: string;
}

/**
 * Runs the curriculum: for each stage of the plan, build its environment from its data, carry
 * the model (weights + normalization statistics) over from the previous stage, then iterate
 * rollout -> PPO update -> log, evaluating on held-out instances every `eval.freq` steps
 * (best model kept), checkpointing every `checkpoint.freq` steps, and advancing early when
 * the success thresholds are met `min_evals` times in a row.
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
  const layout = new RunLayout(resolve(o.cwd, o.out));
  const fresh = !existsSync(layout.root);
  // one writer per run folder: taken before anything is read or written, released at exit
  const lock = acquireRunLock(layout.lock, o.resume ? 'train --resume' : 'train');
  let planned = false;
  try {
    const plan = planRun({ layout, cwd: o.cwd, configPath: o.configPath, resume: o.resume ?? false, startStage: o.startStage, singleStage: o.singleStage, loadConfig: (p) => loadConfig(p, o) });
    checkStagesCompatible(plan.config.stages);
    const history = await loadHistory(o, layout, plan);
    planned = true;
    return await trainPlanned(o, layout, plan, lock, history);
  } finally {
    lock.release();
    if (!planned && fresh) removeIfEmpty(layout.root); // a refused run leaves no folder behind
  }
}

/**
 * The instances of every planned stage with `data.snapshots`, loaded before the first step so
 * that every file is validated (each bad one listed with its problems) before anything trains.
 * A stage resumed from a checkpoint keeps the split recorded in its split.json.
 */
async function loadHistory(o: TrainOptions, layout: RunLayout, plan: RunPlan): Promise<Map<string, StageInstances>> {
  const out = new Map<string, StageInstances>();
  for (const stage of plan.stages) {
    if (stage.data.kind !== 'snapshots') continue;
    const resumed = stageState(plan.state, stage.name).stageSteps > 0;
    const recorded = resumed ? readSplit(layout.split(stage.name)) : null;
    out.set(stage.name, await loadStageData(stage, { configSeed: plan.config.seed, cwd: o.cwd, ...(recorded ? { split: recorded } : {}) }));
  }
  return out;
}

async function trainPlanned(o: TrainOptions, layout: RunLayout, plan: RunPlan, lock: RunLock, history: Map<string, StageInstances>): Promise<TrainResult> {
  const { config, state } = plan;
  const log = typeof o.log === 'function' ? o.log(layout) : o.log;
  if (lock.tookOver) {
    const msg = `took over the lock ${layout.lock}: its owner, ${describeOwner(lock.tookOver)}, no longer runs`;
    log.warn({ previousOwner: lock.tookOver }, 'stale run lock taken over');
    o.progress.print(msg);
  }

  const backend = await selectBackend(o.backend ?? 'auto', { log, ...(o.threads !== undefined ? { threads: o.threads } : {}) });
  state.backend = backend.name;
  log.info({ backend: backend.name, device: backend.device, reason: backend.reason }, 'backend selected');
  o.progress.print(`backend: ${backend.name} (${backend.device}): ${backend.reason}`);

  const scalars = new ScalarLogger([
    new TensorBoardScalarWriter(join(layout.root, 'tensorboard'), plan.tensorboardResumeStep !== null ? { resumeStep: plan.tensorboardResumeStep } : {}),
    new JsonLinesScalarWriter(layout.scalarsFile),
  ]);
  const run: RunContext = { o, log, layout, config, state, plan, scalars, learner: null, backend: backend.name, history };
  let interrupted = false;
  try {
    for (const stage of plan.stages) {
      interrupted = await runStage(run, stage);
      if (interrupted) break;
    }
  } finally {
    scalars.close();
  }
  if (!interrupted) {
    state.currentStage = null;
    writeTrainingState(layout.trainingState, state);
    o.progress.done(`done: ${plan.stages.map((s) => s.name).join(', ')} at global step ${state.globalStep}`);
  }
  return { layout, state, interrupted, backend: backend.name };
}

interface RunContext {
  o: TrainOptions;
  log: Logger;
  layout: RunLayout;
  config: CurriculumConfig;
  state: TrainingState;
  plan: RunPlan;
  scalars: ScalarLogger;
  learner: PpoLearner | null;
  backend: string;
  /** Preloaded instances of the `data.snapshots` stages (loadHistory). */
  history: Map<string, StageInstances>;
}

function loadConfig(path: string, o: TrainOptions): CurriculumConfig {
  const config = loadCheckedCurriculum(path, o.cwd);
  return applyOverrides(config, { ...(o.envs !== undefined ? { nEnvs: o.envs } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}) });
}

/** Trains one stage to its budget (or its success thresholds); returns true if interrupted. */
async function runStage(run: RunContext, stage: StageConfig): Promise<boolean> {
  const { o, layout, state, scalars } = run;
  const log = run.log.child({ stage: stage.name });
  const st = stageState(state, stage.name);
  const data = run.history.get(stage.name) ?? (await loadStageData(stage, { configSeed: run.config.seed, cwd: o.cwd, configPath: run.config.source, log }));
  if (data.split) {
    if (st.stageSteps === 0) writeSplit(layout.split(stage.name), stage.name, data.split);
    log.info({ rule: data.split.rule, train: data.split.train, eval: data.split.eval, test: data.split.test }, 'snapshot files split');
    o.progress.print(`stage ${stage.name}: ${data.split.rule}; recorded in ${relativeTo(layout.root, layout.split(stage.name))}`);
  }
  const env = makeStageEnv(stage, data, run.config.seed);
  const learner = prepareLearner(run, stage, env, log);

  st.status = 'running';
  st.startStep ??= learner.numTimesteps;
  state.currentStage = stage.name;
  state.globalStep = learner.numTimesteps;
  writeTrainingState(layout.trainingState, state);
  scalars.setStage(stage.name);
  log.info({ timesteps: stage.timesteps, stageSteps: st.stageSteps, globalStep: state.globalStep, instances: data.train.length }, 'stage start');
  o.progress.print(`stage ${stage.name}: ${stage.timesteps} steps, ${stage.nEnvs} envs, ${data.train.length} training / ${data.eval.length} held-out instances`);

  const objective = objectiveOf(data.eval);
  if (stage.success?.beatBestRule && st.bestRule === null) {
    st.bestRule = bestRuleFigures(data.eval, stage);
    writeTrainingState(layout.trainingState, state);
    o.progress.print(`stage ${stage.name}: to beat on the ${data.eval.length} evaluation instances: ${describeBestRule(st.bestRule, objective)}`);
  }
  let successStreak = 0;
  let advancedEarly = false;
  let lastEvalStep = 0;
  const succeeded = (ev: PolicyEvaluation): boolean => {
    const s = stage.success;
    if (!s || ev.completion_rate < s.completionRate || ev.on_time_rate < s.onTimeRate) return false;
    return !s.beatBestRule || beatsBestRule(ev, st.bestRule!, objective);
  };
  if (stage.pretrain && st.stageSteps === 0 && st.pretrain === null) {
    o.progress.print(`stage ${stage.name}: pretraining by imitation of ${stage.pretrain.rule === 'best' ? 'the rule best on the training instances' : stage.pretrain.rule} (${stage.pretrain.episodes} episodes${stage.pretrain.samples > 0 ? `, best of ${stage.pretrain.samples + 1} runs each` : ''})`);
    const summary = pretrain(learner, stage, data.train, (run.config.seed * 7919 + stage.index) >>> 0, (epoch, r) => log.debug({ epoch, ...r }, 'pretraining epoch'));
    st.pretrain = { ...summary };
    log.info(summary, 'pretrained');
    const ev = await evaluate(run, stage, st, data, log, objective);
    lastEvalStep = learner.numTimesteps;
    await checkpoint(run, stage, st, layout.periodic(stage.name, learner.numTimesteps)); // a resume starts from the pretrained model
    o.progress.print(
      `stage ${stage.name}: imitated ${summary.teacher} on ${summary.decisions} decisions in ${summary.seconds.toFixed(1)} s: agreement ${pct(summary.agreement)} on held-out decisions; evaluation on time ${pct(ev.on_time_rate)}, ${ev.mean_days_late.toFixed(2)} days late`,
    );
    if (succeeded(ev)) successStreak++;
  }
  const successMet = () => stage.success !== null && successStreak >= stage.success.minEvals;

  const stageStart = Date.now();
  let nextEval = nextMultiple(st.stageSteps, stage.eval.freq);
  let nextCheckpoint = nextMultiple(st.stageSteps, stage.checkpoint.freq);
  if (successMet() && st.stageSteps < stage.timesteps) {
    advancedEarly = true;
    o.progress.print(`stage ${stage.name}: the pretrained policy already meets the success criteria, advancing`);
  }
  while (st.stageSteps < stage.timesteps && !advancedEarly) {
    await yieldToEventLoop(); // rollouts and updates are synchronous: let SIGINT/SIGTERM handlers run
    if (o.signal?.aborted) {
      await checkpoint(run, stage, st, layout.periodic(stage.name, learner.numTimesteps));
      log.warn({ globalStep: learner.numTimesteps }, 'interrupted: checkpoint saved');
      return true;
    }
    const roll = learner.collectRollout(env);
    st.stageSteps += roll.steps;
    const diag = learner.train(Math.max(0, 1 - st.stageSteps / stage.timesteps)); // SB3: progress_remaining after the rollout
    state.globalStep = learner.numTimesteps;
    recordIteration(scalars, learner, roll, diag);
    scalars.dump(learner.numTimesteps);
    o.progress.update({
      stage: stage.name, stageIndex: run.plan.stages.indexOf(stage), stageCount: run.plan.stages.length, step: st.stageSteps, total: stage.timesteps, fps: learner.fps,
      ...(st.lastEval ? { lastEval: { step: lastEvalStep, meanReward: st.lastEval.mean_reward, completionRate: st.lastEval.completion_rate, onTimeRate: st.lastEval.on_time_rate } } : {}),
    });

    if (st.stageSteps >= nextEval || st.stageSteps >= stage.timesteps) {
      nextEval = nextMultiple(st.stageSteps, stage.eval.freq);
      const ev = await evaluate(run, stage, st, data, log, objective);
      lastEvalStep = learner.numTimesteps;
      if (succeeded(ev)) successStreak++;
      else successStreak = 0;
      if (successMet()) {
        advancedEarly = st.stageSteps < stage.timesteps;
        log.info({ completion_rate: ev.completion_rate, on_time_rate: ev.on_time_rate, evals: successStreak }, 'success thresholds met');
        if (advancedEarly) o.progress.print(`stage ${stage.name}: success thresholds met at step ${st.stageSteps}, advancing`);
        break;
      }
    }
    if (st.stageSteps >= nextCheckpoint && st.stageSteps < stage.timesteps) {
      nextCheckpoint = nextMultiple(st.stageSteps, stage.checkpoint.freq);
      await checkpoint(run, stage, st, layout.periodic(stage.name, learner.numTimesteps));
    }
    if (stage.maxStageTimeMinutes !== null && Date.now() - stageStart > stage.maxStageTimeMinutes * 60_000) {
      log.warn({ minutes: stage.maxStageTimeMinutes }, 'stage time limit reached');
      o.progress.print(`stage ${stage.name}: time limit of ${stage.maxStageTimeMinutes} min reached at step ${st.stageSteps}`);
      break;
    }
  }

  if (st.evals === 0) await evaluate(run, stage, st, data, log, objective); // every stage gets a best model
  st.advancedEarly = advancedEarly;
  st.status = 'done';
  st.endStep = learner.numTimesteps;
  await checkpoint(run, stage, st, layout.final(stage.name));
  log.info({ endStep: st.endStep, best: st.bestEval, advancedEarly }, 'stage done');
  o.progress.print(
    `stage ${stage.name} done at global step ${st.endStep}: best eval completion ${pct(st.bestEval?.completion_rate)}, on time ${pct(st.bestEval?.on_time_rate)}`,
  );
  return false;
}

/** The learner for a stage: carried over, resumed from a checkpoint, loaded from the previous stage, or new. */
function prepareLearner(run: RunContext, stage: StageConfig, env: SchedulingVecEnv, log: Logger): PpoLearner {
  const hyperparams = stageHyperparams(stage);
  let learner = run.learner;
  if (learner) {
    learner.setHyperparams(hyperparams, stage.nEnvs);
  } else {
    const from = run.plan.loadFrom;
    if (from) {
      learner = from.load({ hyperparams, numEnvs: stage.nEnvs, backend: run.backend, log });
      log.info({ from: from.dir, globalStep: learner.numTimesteps }, 'model loaded');
      run.o.progress.print(`loaded ${from.dir} (global step ${learner.numTimesteps})`);
    } else {
      learner = newStageLearner(stage, env, run.config.seed, run.backend, log);
    }
    if (learner.obsDim !== env.obsDim || learner.numActions !== env.numActions) {
      throw new SchedError('CHECKPOINT', `the model from ${from?.dir} expects ${learner.obsDim} observations and ${learner.numActions} actions, stage ${stage.name} gives ${env.obsDim} and ${env.numActions}`);
    }
    run.learner = learner;
  }
  learner.vecNormalize.training = true;
  return learner;
}

/** Evaluates on the held-out evaluation instances; the best model by the objective is kept. */
async function evaluate(run: RunContext, stage: StageConfig, st: StageState, data: StageInstances, log: Logger, objective: Objective): Promise<PolicyEvaluation> {
  const learner = run.learner!;
  const ev = evaluateLearner(learner, data.eval, stage.env);
  const m = evaluationMetrics(ev);
  st.lastEval = m;
  st.evals++;
  for (const key of ['mean_reward', 'mean_ep_length', 'completion_rate', 'on_time_rate', 'makespan', 'mean_days_late', 'max_days_late', 'utilization', 'invalid_actions'] as const) {
    run.scalars.record(`eval/${key}`, ev[key]);
  }
  run.scalars.dump(learner.numTimesteps);
  const improved = st.bestEval === null || compareByObjective(ev, st.bestEval as unknown as ObjectiveMetrics, objective) < 0;
  if (improved) {
    st.bestEval = m;
    st.bestStep = learner.numTimesteps;
    await saveBundle(learner, run.layout.best(stage.name));
  }
  writeTrainingState(run.layout.trainingState, run.state);
  log.info({ step: learner.numTimesteps, ...m, best: improved }, 'evaluation');
  return ev;
}

/** Saves the learner bundle to `dir`, then records it in training_state.json (in that order). */
async function checkpoint(run: RunContext, stage: StageConfig, st: StageState, dir: string): Promise<void> {
  const learner = run.learner!;
  await saveBundle(learner, dir);
  writeStageVecNormalize(learner, run.layout.vecNormalize(stage.name));
  run.state.globalStep = learner.numTimesteps;
  run.state.lastCheckpoint = { stage: stage.name, step: learner.numTimesteps, stageSteps: st.stageSteps, path: relativeTo(run.layout.root, dir) };
  writeTrainingState(run.layout.trainingState, run.state);
}

function recordIteration(scalars: ScalarLogger, learner: PpoLearner, roll: RolloutSummary, d: TrainDiagnostics): void {
  for (const [tag, value] of Object.entries(sb3Record(d, roll, learner.fps, learner.numTimesteps, learner.iterations))) scalars.record(tag, value);
  // the scheduling metrics of the training episodes finished in this rollout
  for (const ep of roll.episodes) {
    for (const key of ['completion_rate', 'on_time_rate', 'mean_days_late', 'makespan'] as const) {
      const v = ep.metrics?.[key];
      if (v !== undefined) scalars.recordMean(`rollout/${key}`, v);
    }
  }
}

function stageState(state: TrainingState, name: string): StageState {
  const st = state.stages.find((s) => s.name === name);
  if (!st) throw new Error(`training state has no stage ${name}`);
  return st;
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (or already gone): leave it
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

function nextMultiple(x: number, freq: number): number {
  return (Math.floor(x / freq) + 1) * freq;
}

function relativeTo(root: string, dir: string): string {
  return dir.startsWith(root + '/') ? dir.slice(root.length + 1) : dir;
}

function pct(v: number | undefined): string {
  return v === undefined ? 'n/a' : `${(100 * v).toFixed(1)}%`;
}
