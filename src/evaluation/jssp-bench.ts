import { SchedError } from '../errors.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { BEST_KNOWN_KEY } from '../data/snapshots/taillard.js';
import { getBaseline } from '../baselines/index.js';
import { evaluateBaseline, type PolicyEvaluation } from '../curriculum/evaluate.js';
import type { EnvConfig } from '../config/types.js';
import { DEFAULTS } from '../config/schema.js';
import type { Placement } from '../env/config.js';
import type { LoadedModel } from './model-policy.js';
import { evaluateSet } from './test-run.js';

/**
 * `sched bench jssp`: the makespan gap of a trained policy and of the dispatching rules to the
 * best-known makespans of job-shop instances (Taillard's ta01-ta10 by default): per instance
 * gap = makespan / best known - 1, and the mean over the instances, as in L2D's Table 3.
 */

/** One policy's makespans and gaps, in instance order. */
export interface GapRow {
  policy: string;
  makespans: number[];
  gaps: number[];
  mean_gap: number;
  /** Median wall time to build one schedule, milliseconds. */
  schedule_ms: number;
}

export interface GapBench {
  instances: { name: string; best_known: number }[];
  rows: GapRow[];
}

/** The best-known makespan a snapshot carries in `meta.bestKnownMakespan`; a missing one is a data error naming the instance. */
export function bestKnownOf(s: Snapshot): number {
  const v = s.meta?.[BEST_KNOWN_KEY];
  if (typeof v !== 'number' || !(v > 0)) {
    throw new SchedError('SNAPSHOT', `${s.name} has no best-known makespan (meta.${BEST_KNOWN_KEY}, a positive number) to measure a gap against; import it with --best-known N`);
  }
  if (s.objective !== 'makespan') throw new SchedError('SNAPSHOT', `${s.name} is not a job shop: its objective is "${s.objective}", not "makespan"`);
  return v;
}

function gapRow(e: PolicyEvaluation, best: readonly number[]): GapRow {
  const makespans = e.schedules.map((s) => s.metrics.makespan);
  const gaps = makespans.map((m, i) => m / best[i] - 1);
  return { policy: e.policy, makespans, gaps, mean_gap: gaps.reduce((a, g) => a + g, 0) / Math.max(1, gaps.length), schedule_ms: e.schedule_ms };
}

/**
 * Runs the model (deterministic, masked, with its own K slots; when given) and each rule once
 * on every instance, with no episode variation, and returns their gaps. With `samples` (needs
 * the model), also `ppo_best<N>` and the best rule's `<rule>_best<N>`, as `sched test --samples`.
 */
export function benchGaps(instances: readonly Snapshot[], o: { model?: LoadedModel; rules: readonly string[]; samples?: number; seed?: number; placement?: Placement }): GapBench {
  const best = instances.map(bestKnownOf);
  for (const r of o.rules) getBaseline(r); // unknown names fail before any work
  const env: EnvConfig = {
    candidateSlots: o.model?.slots ?? DEFAULTS.env.candidateSlots,
    reward: { preset: DEFAULTS.env.rewardPreset, ...DEFAULTS.env.rewardPresets[DEFAULTS.env.rewardPreset] },
    variation: { durationJitter: 0, dueShiftDays: 0, jobSubset: 1 },
    placement: o.placement ?? DEFAULTS.env.placement,
  };
  if (o.samples !== undefined && !o.model) throw new SchedError('USAGE', '--samples samples a trained policy: give --model DIR too');
  const evals: PolicyEvaluation[] = o.model
    ? evaluateSet(o.model.learner, [...instances], env, [...o.rules], { ...(o.samples !== undefined ? { samples: o.samples } : {}), seed: o.seed ?? 0 })
    : o.rules.map((r) => evaluateBaseline(r, instances, env));
  return { instances: instances.map((s, i) => ({ name: s.name, best_known: best[i] })), rows: evals.map((e) => gapRow(e, best)) };
}

const pct = (g: number) => `${(100 * g).toFixed(1)}%`;

/** The table for the terminal: a row per policy, its mean gap, then the gap per instance; `*` marks the best mean. */
export function formatGaps(b: GapBench): string {
  const head = ['policy', 'mean gap', ...b.instances.map((i) => i.name), 'ms/schedule'];
  const bestMean = Math.min(...b.rows.map((r) => r.mean_gap));
  const body = b.rows.map((r) => [r.policy, `${pct(r.mean_gap)}${r.mean_gap === bestMean ? '*' : ' '}`, ...r.gaps.map(pct), r.schedule_ms >= 100 ? r.schedule_ms.toFixed(0) : r.schedule_ms.toPrecision(2)]);
  const best = ['best known', '', ...b.instances.map((i) => String(i.best_known)), ''];
  const all = [head, best, ...body];
  const widths = head.map((_, j) => Math.max(...all.map((row) => row[j].length)));
  const line = (row: string[]) => row.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd();
  return [
    ...all.map(line),
    '',
    'gap = makespan / best-known makespan - 1, one schedule per instance (deterministic; <policy>_best<N>: the best of N randomized runs and the plain one); * = the lowest mean gap.',
  ].join('\n');
}
