import type { CurriculumConfig, StageConfig } from '../config/types.js';
import { resolveStage } from '../config/curriculum.js';
import { selectBackend, type BackendChoice } from '../ppo/backend.js';
import { loadStageData } from '../curriculum/stage-data.js';
import { makeStageEnv } from '../curriculum/env-factory.js';
import { evaluateLearner } from '../curriculum/evaluate.js';
import { newStageLearner } from '../curriculum/learner-config.js';

export interface TrainBenchRow {
  stage: string;
  backend: string;
  jobs: number;
  machines: number;
  /** Samples per rollout (n_steps * n_envs) and PPO epochs, as in the curriculum. */
  rollout: number;
  epochs: number;
  collect_s: number;
  train_s: number;
  /** End-to-end environment steps per second: rollout / (collect + train). */
  steps_per_s: number;
  /** Seconds for one deterministic evaluation episode on a held-out instance. */
  eval_episode_s: number;
}

export interface TrainBenchOptions {
  config: CurriculumConfig;
  stages: readonly string[];
  backends: readonly BackendChoice[];
  /** Iterations (rollout + update) per measurement; the last one is reported. */
  iterations: number;
  /** Stop after the first iteration when it already took this long. */
  maxSeconds: number;
  /** Threads of the native engine (default: one per free core). */
  threads?: number;
  onRow?: (row: TrainBenchRow) => void;
}

/**
 * Measures `sched train`'s inner loop as it runs in the curriculum: the stage's own env,
 * instances, network and PPO hyperparameters; one rollout of n_steps * n_envs, then the
 * update; reported as environment steps per second of the two together.
 */
export async function benchTrain(o: TrainBenchOptions): Promise<TrainBenchRow[]> {
  const rows: TrainBenchRow[] = [];
  for (const backend of o.backends) {
    const info = await selectBackend(backend, o.threads !== undefined ? { threads: o.threads } : {});
    for (const name of o.stages) {
      const stage = resolveStage(o.config, name);
      const row = await measureStage(stage, o, info.name);
      rows.push(row);
      o.onRow?.(row);
    }
  }
  return rows;
}

async function measureStage(stage: StageConfig, o: TrainBenchOptions, backend: string): Promise<TrainBenchRow> {
  const data = await loadStageData(stage, { configSeed: o.config.seed, cwd: process.cwd(), evalInstances: 1 });
  const env = makeStageEnv(stage, data, o.config.seed);
  const learner = newStageLearner(stage, env, o.config.seed, backend);
  let collect_s = 0;
  let train_s = 0;
  let steps = 0;
  for (let i = 0; i < o.iterations; i++) {
    const roll = learner.collectRollout(env);
    const diag = learner.train(1 - i / o.iterations);
    collect_s = roll.collect_s;
    train_s = diag.train_s;
    steps = roll.steps;
    if (collect_s + train_s > o.maxSeconds) break;
  }
  const t0 = performance.now();
  evaluateLearner(learner, data.eval.slice(0, 1), stage.env);
  const eval_episode_s = (performance.now() - t0) / 1000;
  const snap = data.train[0];
  return {
    stage: stage.name, backend, jobs: snap.jobs.length, machines: snap.machines.length, rollout: steps, epochs: stage.ppo.nEpochs,
    collect_s: round(collect_s), train_s: round(train_s), steps_per_s: Math.round(steps / (collect_s + train_s)), eval_episode_s: round(eval_episode_s),
  };
}

/**
 * The time of a whole curriculum on this machine, from measured stages: each stage takes the
 * rate of the measured stage nearest in size (jobs), plus its evaluations
 * (timesteps / eval.freq evaluations of eval.episodes held-out instances, capped at 8).
 */
export function estimateCurriculumHours(config: CurriculumConfig, rows: readonly TrainBenchRow[], backend: string, jobsOf: (s: StageConfig) => number): number {
  const measured = rows.filter((r) => r.backend === backend);
  if (measured.length === 0) return NaN;
  let seconds = 0;
  for (const s of config.stages) {
    const jobs = jobsOf(s);
    const near = measured.reduce((a, b) => (Math.abs(b.jobs - jobs) < Math.abs(a.jobs - jobs) ? b : a));
    const evals = Math.floor(s.timesteps / s.eval.freq);
    seconds += s.timesteps / near.steps_per_s + evals * Math.min(8, s.eval.episodes) * near.eval_episode_s * (jobs / near.jobs);
  }
  return seconds / 3600;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
