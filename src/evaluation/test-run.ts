import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Logger } from 'pino';
import { SchedError } from '../errors.js';
import type { CurriculumConfig, EnvConfig, StageConfig } from '../config/types.js';
import { loadSnapshotFile } from '../data/snapshots/load.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { displayPath } from '../data/snapshots/history.js';
import { BASELINE_NAMES, getBaseline } from '../baselines/index.js';
import { RunLayout } from '../checkpoints/layout.js';
import { bundleExists } from '../checkpoints/bundle.js';
import { readTrainingState, type TrainingState } from '../checkpoints/training-state.js';
import { readSplit } from '../checkpoints/split.js';
import { loadCheckedCurriculum, loadStageData } from '../curriculum/stage-data.js';
import { evalOptions, evaluateBaseline, evaluateLearner, summarize, timed, type PolicyEvaluation } from '../curriculum/evaluate.js';
import type { BackendChoice } from '../ppo/backend.js';
import type { PpoLearner } from '../ppo/learner.js';
import { bestByObjective, objectiveOf } from '../env/objective.js';
import { bestOfName, isBestOf, isPpo } from '../viz/test-summary.js';
import { checkSlots, loadModel } from './model-policy.js';
import { sampleModel, sampleRule } from './sampling.js';
import { guardedEvaluation, guardedNote, type GuardedEvaluation } from './guard.js';

export interface TestOptions {
  /** The run folder (what `sched train --out` wrote). */
  run: string;
  cwd: string;
  stage?: string;
  all?: boolean;
  /** Curriculum YAML; default: the one named in the run's training state. */
  configPath?: string;
  /** Snapshot files to test on instead of each stage's held-out instances. */
  snapshots?: string[];
  /** Held-out instances per stage (default: the stage's `eval.episodes`). */
  episodes?: number;
  /** Baselines to compare with (default: every dispatching rule). */
  rules?: string[];
  /** TensorFlow.js backend for the model (default auto). */
  backend?: BackendChoice;
  /**
   * Best-of-N rows: `ppo_best<N>` (N sampled rollouts + the deterministic one) and
   * `<rule>_best<N>` for the best plain rule of each instance set (N randomized runs + its plain run).
   */
  samples?: number;
  /** Seed of the sampled and randomized runs (default 0; every instance uses it). */
  seed?: number;
  log?: Logger;
}

/** One instance set a stage was tested on: the held-out instances, or one snapshot file. */
export interface InstanceSet {
  /** `<stage> test seeds A-B` (generated held-out instances), a snapshot file (`fileLabel`), or a snapshot's name. */
  label: string;
  instances: Snapshot[];
  /** Generated for the test (seeds disjoint from training and evaluation). */
  heldOut: boolean;
}

/**
 * Every policy's evaluation on one instance set: PPO first (then its sampling), then the rules
 * in order (then the best one's randomized best-of-N); and the guard's.
 */
export interface SetResult {
  set: InstanceSet;
  evaluations: PolicyEvaluation[];
  /** Per instance the best feasible of PPO's and the rules' schedules (docs/check.md). */
  guarded: GuardedEvaluation;
}

export interface StageTest {
  stage: string;
  modelDir: string;
  results: SetResult[];
  /** Notes for the user (e.g. a stage trained on one snapshot has no held-out instance). */
  notes: string[];
}

export interface TestRun {
  layout: RunLayout;
  config: CurriculumConfig;
  stages: StageTest[];
}

/**
 * `sched test`: loads each selected stage's best model (with its own normalization statistics)
 * and runs it deterministically with masks, and every baseline, on the same instances: the
 * stage's held-out test instances (seeds disjoint from training and evaluation) or the given
 * snapshot files.
 */
export async function runTests(o: TestOptions): Promise<TestRun> {
  const layout = new RunLayout(resolve(o.cwd, o.run));
  const state = existsSync(layout.trainingState) ? readTrainingState(layout.trainingState) : null;
  if (!state && o.configPath === undefined) {
    throw new SchedError('CHECKPOINT', `no trained run in ${layout.root}: ${layout.trainingState} does not exist (pass --run DIR, or --config F with --stage S)`);
  }
  const configPath = o.configPath !== undefined ? resolve(o.cwd, o.configPath) : state!.config;
  const config = loadCheckedCurriculum(configPath, o.cwd);
  const stages = selectTestStages(config, state, layout, o);
  const rules = o.rules ?? [...BASELINE_NAMES];
  for (const r of rules) getBaseline(r); // unknown names fail before any work
  const files = fileSets(o.snapshots ?? [], o.cwd);
  const configSeed = state?.seed ?? config.seed;

  const out: StageTest[] = [];
  for (const stage of stages) {
    const modelDir = layout.best(stage.name);
    const model = await loadModel(modelDir, o.backend);
    try {
      checkSlots(model, stage.env.candidateSlots, `stage ${stage.name} of ${config.source}`);
      const notes: string[] = [];
      const sets = files.length > 0 ? files : [await heldOut(stage, configSeed, o, notes, layout)];
      const results = sets.map((set) => {
        const evaluations = evaluateSet(model.learner, set.instances, stage.env, rules, o);
        // the guard: PPO's schedule (its best of --samples when given) against the plain rules'
        const ppo = evaluations.find((e) => isPpo(e.policy) && isBestOf(e.policy)) ?? evaluations[0];
        const guarded = guardedEvaluation(set.instances, ppo, evaluations.filter((e) => !isPpo(e.policy) && !isBestOf(e.policy)));
        notes.push(`${sets.length > 1 ? `${set.label}: ` : ''}${guardedNote(guarded)}`);
        return { set, evaluations, guarded };
      });
      o.log?.info({ stage: stage.name, model: modelDir, sets: sets.length }, 'stage tested');
      out.push({ stage: stage.name, modelDir, results, notes });
    } finally {
      model.learner.dispose();
    }
  }
  return { layout, config, stages: out };
}

/** PPO, its sampling (with `samples`), every rule, then the best plain rule's best-of-N (also `sched bench jssp`). */
export function evaluateSet(learner: PpoLearner, instances: Snapshot[], env: EnvConfig, rules: string[], o: Pick<TestOptions, 'samples' | 'seed'>): PolicyEvaluation[] {
  const ppo = evaluateLearner(learner, instances, env);
  const plain = rules.map((r) => evaluateBaseline(r, instances, env));
  if (o.samples === undefined) return [ppo, ...plain];
  const best = { ...evalOptions(env), samples: o.samples, seed: o.seed ?? 0 };
  const sampled = summarize(bestOfName('ppo', o.samples), instances.map((s) => timed(() => sampleModel(s, learner, best))));
  const top = plain.length > 0 ? plain[bestByObjective(plain, (e) => e, objectiveOf(instances))] : null;
  const noisy = top ? [summarize(bestOfName(top.policy, o.samples), instances.map((s) => timed(() => sampleRule(s, top.policy, best))))] : [];
  return [ppo, sampled, ...plain, ...noisy];
}

/**
 * One instance set per snapshot file (a path given twice counts once), labelled by the file so
 * that files of one profile, whose internal names look alike, stay apart (`fileLabel`).
 */
function fileSets(paths: string[], cwd: string): InstanceSet[] {
  const seen = new Set<string>();
  const sets: InstanceSet[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (seen.has(abs)) continue;
    seen.add(abs);
    const snap = loadSnapshotFile(abs);
    sets.push({ label: fileLabel(abs, snap.name, cwd), instances: [snap], heldOut: false });
  }
  return sets;
}

/**
 * How a snapshot file's rows are labelled: its path (relative to `cwd` when inside it), and
 * the snapshot's internal name in parentheses when that is not the file's own base name.
 */
export function fileLabel(absPath: string, name: string, cwd: string): string {
  const shown = displayPath(absPath, cwd);
  return basename(absPath).replace(/\.json$/i, '') === name ? shown : `${shown} (${name})`;
}

async function heldOut(stage: StageConfig, configSeed: number, o: TestOptions, notes: string[], layout: RunLayout): Promise<InstanceSet> {
  // a stage trained on many files is tested on the test files of the split recorded in the run
  const recorded = stage.data.kind === 'snapshots' ? readSplit(layout.split(stage.name)) : null;
  if (stage.data.kind === 'snapshots' && !recorded) notes.push(`stage ${stage.name} has no ${layout.split(stage.name)}; its test files were chosen from the files there now`);
  const data = await loadStageData(stage, { configSeed, cwd: o.cwd, role: 'test', ...(recorded ? { split: recorded } : {}), ...(o.episodes !== undefined ? { evalInstances: o.episodes } : {}), ...(o.log ? { log: o.log } : {}) });
  if (data.split) {
    const names = data.split.test.map((f) => displayPath(f, o.cwd));
    const shown = names.length <= 3 ? names.join(', ') : `${names[0]}, ${names[1]}, ... ${names[names.length - 1]}`;
    return { label: `${stage.name} test file${names.length === 1 ? '' : 's'} ${shown}`, instances: data.eval, heldOut: true };
  }
  if (data.evalSeeds.length === 0) {
    notes.push(`stage ${stage.name} trains on one fixed instance (${data.eval[0].name}); it is tested on that instance, which is not held out`);
    return { label: data.eval[0].name, instances: data.eval, heldOut: false };
  }
  const seeds = data.evalSeeds;
  const n = seeds.length;
  return { label: `${stage.name} test seed${n === 1 ? ` ${seeds[0]}` : `s ${seeds[0]}-${seeds[n - 1]}`}`, instances: data.eval, heldOut: true };
}

/**
 * The stages to test: `--stage S`; `--all`: every stage with a best model; default: the latest
 * stage trained (the current stage if it already has a best model, else the last one done).
 */
export function selectTestStages(config: CurriculumConfig, state: TrainingState | null, layout: RunLayout, o: Pick<TestOptions, 'stage' | 'all'>): StageConfig[] {
  if (o.stage !== undefined && o.all) throw new SchedError('USAGE', 'give either --stage NAME or --all, not both');
  const hasBest = (s: StageConfig) => bundleExists(layout.best(s.name));
  if (o.stage !== undefined) {
    const stage = config.stages.find((s) => s.name === o.stage);
    if (!stage) throw new SchedError('USAGE', `unknown stage "${o.stage}" in ${config.source}; its stages are ${config.stages.map((s) => s.name).join(', ')}`);
    if (!hasBest(stage)) throw noModel(layout.best(stage.name), stage.name);
    return [stage];
  }
  if (o.all) {
    const stages = config.stages.filter(hasBest);
    if (stages.length === 0) throw new SchedError('CHECKPOINT', `no stage of ${layout.root} has a best model (looked for ${layout.best('<stage>')})`);
    return stages;
  }
  const trained = state
    ? config.stages.filter((s) => {
        const st = state.stages.find((x) => x.name === s.name);
        return st !== undefined && (st.status === 'done' || state.currentStage === s.name);
      })
    : config.stages;
  const latest = [...trained].reverse().find(hasBest);
  if (!latest) {
    const last = trained[trained.length - 1] ?? config.stages[0];
    throw noModel(layout.best(last.name), last.name);
  }
  return [latest];
}

function noModel(dir: string, stage: string): SchedError {
  return new SchedError('CHECKPOINT', `no trained model for stage ${stage}: checkpoint ${dir} is missing (train the stage first, or pass --run DIR)`);
}
