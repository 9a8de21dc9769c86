import { SchedError } from '../errors.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { runPositionChooser, type EpisodeOptions, type EpisodeResult } from '../env/episode.js';
import { Rng } from '../util/rng.js';
import { atcRule, crRule, eddRule, fifoRule, greedyRule, lptRule, mopnrRule, mwkrRule, randomRule, sptRule, type DispatchRule } from './rules.js';

export type { DispatchRule } from './rules.js';
export { randomized, RANDOMIZED_EPSILON } from './rules.js';

/** Every dispatching rule by name (`sched schedule --rule NAME`, `sched test`). */
export const BASELINES: Readonly<Record<string, DispatchRule>> = Object.freeze({
  random: randomRule,
  fifo: fifoRule,
  edd: eddRule,
  spt: sptRule,
  lpt: lptRule,
  mwkr: mwkrRule,
  mopnr: mopnrRule,
  cr: crRule,
  atc: atcRule,
  greedy: greedyRule,
});

export const BASELINE_NAMES: readonly string[] = Object.keys(BASELINES);

export function getBaseline(name: string): DispatchRule {
  const rule = BASELINES[name.toLowerCase()] ?? (name.toLowerCase() === 'critical_ratio' ? BASELINES.cr : undefined);
  if (!rule) throw new SchedError('USAGE', `unknown rule "${name}"; choose one of ${BASELINE_NAMES.join(', ')}`);
  return rule;
}

/** Runs one episode of `rule` on `snapshot` (variation off unless asked) and exports it. */
export function runBaseline(snapshot: Snapshot, rule: DispatchRule | string, opts: EpisodeOptions = {}): EpisodeResult {
  const r = typeof rule === 'string' ? getBaseline(rule) : rule;
  const rng = ruleRng(opts.seed ?? 0);
  return runPositionChooser(snapshot, (sim, e) => r.choose(sim, e, rng), r.name, opts);
}

/** The generator a rule's run with `seed` draws from (only the random rule draws). */
export function ruleRng(seed: number): Rng {
  return new Rng(seed ^ 0x2545f491);
}
