import type { Snapshot } from '../data/snapshots/schema.js';
import type { CalendarMode } from './calendar.js';
import type { Placement, RewardWeights, VariationOptions } from './config.js';
import { compileInstance } from './instance.js';
import { exportSchedule } from './metrics.js';
import { obsDimFor, writeObservation } from './observation.js';
import type { ScheduleExport } from './schedule-export.js';
import { Simulator } from './simulator.js';

export interface EpisodeOptions {
  /** Seeds the episode's variation (if any) and nothing else; default 0. */
  seed?: number;
  slots?: number;
  reward?: Partial<RewardWeights>;
  /** Default 'off': the snapshot exactly as given. */
  variation?: Partial<VariationOptions> | 'off';
  calendarMode?: CalendarMode;
  /** `append` (default) or `fill_gaps` (config.ts). */
  placement?: Placement;
}

/** A policy over the K visible slots (the PPO model's view): returns a slot index. */
export type SlotPolicy = (obs: Float32Array, mask: Uint8Array) => number;

/** A chooser over every ready candidate (dispatching rules): returns a position in env e's order. */
export type PositionChooser = (sim: Simulator, e: number) => number;

export interface EpisodeResult {
  schedule: ScheduleExport;
  /** Undiscounted sum of rewards. */
  return: number;
  steps: number;
}

/**
 * A simulator running `numEnvs` episodes of `snapshot` side by side, every env reset: with
 * variation off (the default) they start identical, so the episodes differ only by the
 * decisions taken in them (best-of-N runs). `features`: maintain the observation rows.
 */
export function episodeSimulator(snapshot: Snapshot, numEnvs: number, opts: EpisodeOptions, features: boolean): Simulator {
  const sim = new Simulator({
    instances: [compileInstance(snapshot)],
    numEnvs,
    slots: opts.slots,
    reward: opts.reward,
    variation: opts.variation ?? 'off',
    seed: opts.seed ?? 0,
    calendarMode: opts.calendarMode,
    placement: opts.placement,
    features,
  });
  for (let e = 0; e < numEnvs; e++) sim.resetEnv(e);
  return sim;
}

/**
 * Runs one full episode on `snapshot` with a slot policy and returns its schedule. A slot
 * outside the mask counts as an invalid action and falls back to slot 0.
 */
export function runSlotPolicy(snapshot: Snapshot, policy: SlotPolicy, policyName: string, opts: EpisodeOptions = {}): EpisodeResult {
  const sim = episodeSimulator(snapshot, 1, opts, true);
  const obs = new Float32Array(obsDimFor(sim.K));
  const mask = new Uint8Array(sim.K);
  let invalid = 0;
  let ret = 0;
  let steps = 0;
  let stale = sim.K;
  while (!sim.isDone(0)) {
    const fill = writeObservation(sim, 0, obs, 0, stale);
    stale = fill;
    mask.fill(1, 0, fill);
    mask.fill(0, fill);
    let a = policy(obs, mask);
    if (!(Number.isInteger(a) && a >= 0 && a < fill)) {
      invalid++;
      a = 0;
      ret += sim.reward.invalidAction;
    }
    ret += sim.apply(0, sim.slotPos[a]);
    steps++;
  }
  return { schedule: exportSchedule(sim, 0, policyName, invalid), return: ret, steps };
}

/** Runs one full episode choosing among all ready candidates (no observation is built). */
export function runPositionChooser(snapshot: Snapshot, choose: PositionChooser, policyName: string, opts: EpisodeOptions = {}): EpisodeResult {
  const sim = episodeSimulator(snapshot, 1, opts, false);
  let invalid = 0;
  let ret = 0;
  let steps = 0;
  while (!sim.isDone(0)) {
    let p = choose(sim, 0);
    if (!(Number.isInteger(p) && p >= 0 && p < sim.readyCount(0))) {
      invalid++;
      p = 0;
      ret += sim.reward.invalidAction;
    }
    ret += sim.apply(0, p);
    steps++;
  }
  return { schedule: exportSchedule(sim, 0, policyName, invalid), return: ret, steps };
}
