import { BASELINE_NAMES, runBaseline } from '../baselines/index.js';
import type { CurriculumConfig, StageConfig } from '../config/types.js';
import { rewardWeights } from '../curriculum/env-factory.js';
import { loadStageData } from '../curriculum/stage-data.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { PLACEMENTS, type Placement } from '../env/config.js';
import { runPositionChooser, runSlotPolicy, type EpisodeOptions, type EpisodeResult } from '../env/episode.js';
import { Rng } from '../util/rng.js';

/** One policy under one placement on one instance set: mean metrics over its instances. */
export interface PlacementBenchRow {
  /** The stage name (its held-out test instances) or a job-shop instance's name. */
  set: string;
  policy: string;
  placement: Placement;
  instances: number;
  on_time_rate: number;
  mean_days_late: number;
  makespan: number;
}

/**
 * Policies beyond the nine rules, which all dispatch within the conflict set (and so build the
 * same schedules under both placements): ones that may take a candidate that cannot start
 * before another completes, as a learned policy may.
 * - `slot0`: always the first slot (the most urgent candidate of the conflict set);
 * - `least_slack`: the most urgent ready candidate, in the conflict set or not;
 * - `random_slot`: a uniformly random visible slot (an untrained policy), seeded per instance.
 */
export const EXTRA_POLICIES = ['slot0', 'least_slack', 'random_slot'] as const;

function runPolicy(s: Snapshot, policy: string, opts: EpisodeOptions, seed: number): EpisodeResult {
  if (policy === 'slot0') return runSlotPolicy(s, () => 0, policy, opts);
  if (policy === 'least_slack') return runPositionChooser(s, () => 0, policy, opts);
  if (policy === 'random_slot') {
    const rng = new Rng(seed);
    return runSlotPolicy(s, (_obs, mask) => rng.int(Math.max(1, mask.indexOf(0) < 0 ? mask.length : mask.indexOf(0))), policy, opts);
  }
  return runBaseline(s, policy, { ...opts, seed });
}

/** Every rule and extra policy under every placement on one instance set. */
export function placementRows(set: string, instances: readonly Snapshot[], base: EpisodeOptions): PlacementBenchRow[] {
  const rows: PlacementBenchRow[] = [];
  for (const policy of [...BASELINE_NAMES, ...EXTRA_POLICIES]) {
    for (const placement of PLACEMENTS) {
      const ms = instances.map((s, i) => runPolicy(s, policy, { ...base, variation: 'off', placement }, i).schedule.metrics);
      const mean = (f: (m: (typeof ms)[number]) => number) => ms.reduce((a, m) => a + f(m), 0) / Math.max(1, ms.length);
      rows.push({ set, policy, placement, instances: ms.length, on_time_rate: mean((m) => m.on_time_rate), mean_days_late: mean((m) => m.mean_days_late), makespan: mean((m) => m.makespan) });
    }
  }
  return rows;
}

/**
 * Schedule quality with and without gap filling on each stage's held-out TEST instances,
 * derived exactly as `sched test` derives them (`loadStageData` with role 'test'), with the
 * stage's slots and reward.
 */
export async function benchPlacementStages(config: CurriculumConfig, stages: readonly StageConfig[], episodes: number, cwd: string): Promise<PlacementBenchRow[]> {
  const rows: PlacementBenchRow[] = [];
  for (const stage of stages) {
    const data = await loadStageData(stage, { configSeed: config.seed, cwd, role: 'test', evalInstances: episodes });
    rows.push(...placementRows(stage.name, data.eval, { slots: stage.env.candidateSlots, reward: rewardWeights(stage.env) }));
  }
  return rows;
}
