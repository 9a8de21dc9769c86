import type { Snapshot } from '../data/snapshots/schema.js';
import type { EnvConfig } from '../config/types.js';
import { runSlotPolicy, type EpisodeOptions, type EpisodeResult } from '../env/episode.js';
import type { ScheduleExport } from '../env/schedule-export.js';
import { runBaseline } from '../baselines/index.js';
import type { PpoLearner } from '../ppo/learner.js';
import { rewardWeights } from './env-factory.js';

/** Mean metrics of a policy over a set of instances (one deterministic episode each). */
export interface PolicyEvaluation {
  policy: string;
  episodes: number;
  mean_reward: number;
  mean_ep_length: number;
  completion_rate: number;
  on_time_rate: number;
  mean_days_late: number;
  max_days_late: number;
  makespan: number;
  utilization: number;
  invalid_actions: number;
  /** Median wall time to build one schedule, milliseconds. */
  schedule_ms: number;
  schedules: ScheduleExport[];
}

/**
 * Runs the learner's deterministic masked policy (frozen normalization statistics: `predict`
 * never updates them) once on each instance, with no episode variation.
 */
export function evaluateLearner(learner: PpoLearner, instances: readonly Snapshot[], env: EnvConfig): PolicyEvaluation {
  const out = new Int32Array(1);
  const policy = (obs: Float32Array, mask: Uint8Array) => learner.predict(obs, mask, true, 1, out)[0];
  return summarize(
    'ppo',
    instances.map((s) => timed(() => runSlotPolicy(s, policy, 'ppo', evalOptions(env)))),
  );
}

/** Runs a dispatching rule once on each instance (same simulator, same export). */
export function evaluateBaseline(rule: string, instances: readonly Snapshot[], env: EnvConfig, seed = 0): PolicyEvaluation {
  return summarize(
    rule,
    instances.map((s, i) => timed(() => runBaseline(s, rule, { ...evalOptions(env), seed: seed + i }))),
  );
}

/** A stage's environment as evaluation runs it: its slots, reward and placement, no variation. */
export function evalOptions(env: EnvConfig): EpisodeOptions {
  return { slots: env.candidateSlots, reward: rewardWeights(env), variation: 'off', placement: env.placement };
}

/** Runs `f` and measures its wall time. */
export function timed(f: () => EpisodeResult): { r: EpisodeResult; ms: number } {
  const t0 = performance.now();
  const r = f();
  return { r, ms: performance.now() - t0 };
}

/** The evaluation of one policy from its runs on each instance. */
export function summarize(policy: string, runs: { r: EpisodeResult; ms: number }[]): PolicyEvaluation {
  const n = Math.max(1, runs.length);
  const mean = (f: (x: { r: EpisodeResult; ms: number }) => number) => runs.reduce((a, x) => a + f(x), 0) / n;
  const ms = runs.map((x) => x.ms).sort((a, b) => a - b);
  return {
    policy,
    episodes: runs.length,
    mean_reward: mean((x) => x.r.return),
    mean_ep_length: mean((x) => x.r.steps),
    completion_rate: mean((x) => x.r.schedule.metrics.completion_rate),
    on_time_rate: mean((x) => x.r.schedule.metrics.on_time_rate),
    mean_days_late: mean((x) => x.r.schedule.metrics.mean_days_late),
    max_days_late: runs.reduce((a, x) => Math.max(a, x.r.schedule.metrics.max_days_late), 0),
    makespan: mean((x) => x.r.schedule.metrics.makespan),
    utilization: mean((x) => x.r.schedule.metrics.utilization),
    invalid_actions: runs.reduce((a, x) => a + x.r.schedule.metrics.invalid_actions, 0),
    schedule_ms: ms.length ? ms[Math.floor(ms.length / 2)] : 0,
    schedules: runs.map((x) => x.r.schedule),
  };
}

/** The metrics of an evaluation as plain numbers (training state, reports). */
export function evaluationMetrics(e: PolicyEvaluation): Record<string, number> {
  const { policy: _p, schedules: _s, ...rest } = e;
  return rest;
}
