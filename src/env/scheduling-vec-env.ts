import { SchedError } from '../errors.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import type { CalendarMode } from './calendar.js';
import { DEFAULT_VARIATION, type Placement, type RewardWeights, type VariationOptions } from './config.js';
import { compileInstance, type CompiledInstance } from './instance.js';
import { episodeMetrics } from './metrics.js';
import { obsDimFor, writeObservation } from './observation.js';
import { Simulator } from './simulator.js';
import type { EpisodeRecord, VecEnv } from './vec-env.js';

export interface SchedulingEnvOptions {
  /** One base snapshot or a pool; each episode draws one of them (seeded). */
  snapshots: Snapshot | readonly Snapshot[];
  numEnvs?: number;
  seed?: number;
  /** K, candidate slots in the observation = numActions (default 32). */
  slots?: number;
  reward?: Partial<RewardWeights>;
  /** Per-episode variation (default DEFAULT_VARIATION); 'off' for evaluation. */
  variation?: Partial<VariationOptions> | 'off';
  /** Truncate an episode after this many decisions (0 = never; an episode has one per task). */
  maxSteps?: number;
  calendarMode?: CalendarMode;
  /** `append` (default) or `fill_gaps`: whether a task may go into an idle gap (config.ts). */
  placement?: Placement;
}

/**
 * The scheduling environment as a `VecEnv` for the PPO learner: action = slot index in
 * [0, K), mask = filled slots, auto-reset with `finalObs`, one EpisodeRecord per finished
 * episode with the metrics of `episodeMetrics`. An action on a masked-out slot is counted in
 * `invalid_actions` and replaced by slot 0 (always valid while work remains).
 */
export class SchedulingVecEnv implements VecEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly numActions: number;
  readonly obs: Float32Array;
  readonly masks: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalObs: Float32Array;
  readonly sim: Simulator;
  readonly maxSteps: number;

  private readonly fill: Int32Array;
  private readonly steps: Int32Array;
  private readonly invalid: Int32Array;
  private readonly returns: Float64Array;
  private episodes: EpisodeRecord[] = [];

  constructor(opts: SchedulingEnvOptions) {
    const list = Array.isArray(opts.snapshots) ? (opts.snapshots as readonly Snapshot[]) : [opts.snapshots as Snapshot];
    if (list.length === 0) throw new SchedError('CONFIG', 'the scheduling environment needs at least one snapshot');
    const instances: CompiledInstance[] = list.map((s) => compileInstance(s));
    const empty = instances.filter((i) => i.numTasks === 0).map((i) => i.name);
    if (empty.length > 0) {
      throw new SchedError('DATA', `snapshot ${empty.map((n) => `"${n}"`).join(', ')} has no tasks to schedule, so it cannot be a training environment`);
    }
    const numEnvs = opts.numEnvs ?? 1;
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new SchedError('CONFIG', `numEnvs must be a positive integer, got ${numEnvs}`);
    const maxSteps = opts.maxSteps ?? 0;
    if (!Number.isInteger(maxSteps) || maxSteps < 0) throw new SchedError('CONFIG', `maxSteps must be an integer >= 0, got ${maxSteps}`);
    this.sim = new Simulator({
      instances,
      numEnvs,
      slots: opts.slots,
      reward: opts.reward,
      variation: opts.variation ?? DEFAULT_VARIATION,
      seed: opts.seed ?? 0,
      calendarMode: opts.calendarMode,
      placement: opts.placement,
    });
    this.numEnvs = numEnvs;
    this.maxSteps = maxSteps;
    this.numActions = this.sim.K;
    this.obsDim = obsDimFor(this.sim.K);
    this.obs = new Float32Array(numEnvs * this.obsDim);
    this.finalObs = new Float32Array(numEnvs * this.obsDim);
    this.masks = new Uint8Array(numEnvs * this.numActions);
    this.rewards = new Float32Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.fill = new Int32Array(numEnvs);
    this.steps = new Int32Array(numEnvs);
    this.invalid = new Int32Array(numEnvs);
    this.returns = new Float64Array(numEnvs);
    this.reset(opts.seed);
  }

  reset(seed?: number): void {
    if (seed !== undefined) this.sim.reseed(seed);
    for (let e = 0; e < this.numEnvs; e++) this.resetEnv(e, this.numActions);
    this.rewards.fill(0);
    this.terminated.fill(0);
    this.truncated.fill(0);
    this.episodes = [];
  }

  step(actions: Int32Array): void {
    const K = this.numActions;
    const D = this.obsDim;
    const sim = this.sim;
    for (let e = 0; e < this.numEnvs; e++) {
      let a = actions[e];
      if (!(a >= 0 && a < this.fill[e])) {
        this.invalid[e]++;
        a = 0;
      }
      const r = sim.apply(e, sim.slotPos[e * K + a]) + (a === actions[e] ? 0 : sim.reward.invalidAction);
      this.rewards[e] = r;
      this.returns[e] += r;
      const steps = ++this.steps[e];
      const done = sim.isDone(e);
      const cut = !done && this.maxSteps > 0 && steps >= this.maxSteps;
      this.terminated[e] = done ? 1 : 0;
      this.truncated[e] = cut ? 1 : 0;
      if (done || cut) {
        writeObservation(sim, e, this.finalObs, e * D, K);
        this.episodes.push({ env: e, return: this.returns[e], length: steps, metrics: episodeMetrics(sim, e, this.invalid[e]) });
        this.resetEnv(e, this.fill[e]);
      } else {
        this.writeObs(e);
      }
    }
  }

  drainEpisodes(): EpisodeRecord[] {
    const out = this.episodes;
    this.episodes = [];
    return out;
  }

  private resetEnv(e: number, stale: number): void {
    this.sim.resetEnv(e);
    this.steps[e] = 0;
    this.invalid[e] = 0;
    this.returns[e] = 0;
    const fill = writeObservation(this.sim, e, this.obs, e * this.obsDim, stale);
    const base = e * this.numActions;
    this.masks.fill(1, base, base + fill);
    this.masks.fill(0, base + fill, base + this.numActions);
    this.fill[e] = fill;
  }

  private writeObs(e: number): void {
    const K = this.numActions;
    const prev = this.fill[e];
    const fill = writeObservation(this.sim, e, this.obs, e * this.obsDim, prev);
    if (fill !== prev) {
      const masks = this.masks;
      const base = e * K;
      if (fill > prev) masks.fill(1, base + prev, base + fill);
      else masks.fill(0, base + fill, base + (prev < K ? prev : K));
    }
    this.fill[e] = fill;
  }
}
