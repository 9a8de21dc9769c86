import type { Snapshot } from '../data/snapshots/schema.js';
import { getBaseline, randomized, ruleRng, RANDOMIZED_EPSILON, type DispatchRule } from '../baselines/index.js';
import { episodeSimulator, type EpisodeOptions, type EpisodeResult } from '../env/episode.js';
import { episodeMetrics, exportSchedule } from '../env/metrics.js';
import { bestByObjective } from '../env/objective.js';
import { obsDimFor, writeObservation } from '../env/observation.js';
import type { ScheduleMetrics } from '../env/schedule-export.js';
import type { Simulator } from '../env/simulator.js';
import { maskedArgmax, maskedSample } from '../ppo/masked-categorical.js';
import type { PpoLearner } from '../ppo/learner.js';
import { Rng } from '../util/rng.js';
import { bestOfName } from '../viz/test-summary.js';

/** Options of a best-of-N run: the episode's, plus the number of randomized runs and their seed. */
export interface BestOfOptions extends Omit<EpisodeOptions, 'seed' | 'slots'> {
  /** Randomized runs besides the plain (deterministic) one, >= 1. */
  samples: number;
  /** Seeds the randomized runs (default 0); the same seed gives the same schedules. */
  seed?: number;
}

export interface BestOfResult extends EpisodeResult {
  /** The run kept: 0 = the plain (deterministic) run, i = the i-th randomized run. */
  pick: number;
  /** Runs made: samples + 1. */
  runs: number;
  /** The plain run's metrics (what the policy or rule gives without randomization). */
  plain: ScheduleMetrics;
}

/**
 * The generators of the randomized runs: run i (1-based) draws from the i-th fork of one root,
 * so its stream does not depend on how many runs there are (best of 64 with a seed includes
 * the 16 runs of best of 16 with that seed).
 */
function sampleRngs(seed: number, samples: number): Rng[] {
  const root = new Rng((seed ^ 0x68e31da4) >>> 0);
  return Array.from({ length: samples }, () => root.fork());
}

/**
 * Runs env 0 .. runs-1 of `sim` in lockstep (every decision places one task, so identical
 * starts finish together): `prepare` once per step, then `decide(e)` gives each env's position
 * in its urgency order. Keeps the best env by the snapshot's objective; env 0 (the plain run)
 * wins ties, so the result is never worse than the plain run.
 */
function runLockstep(sim: Simulator, snapshot: Snapshot, name: string, prepare: () => void, decide: (e: number) => number): BestOfResult {
  const runs = sim.numEnvs;
  const returns = new Float64Array(runs);
  let steps = 0;
  while (!sim.isDone(0)) {
    prepare();
    for (let e = 0; e < runs; e++) returns[e] += sim.apply(e, decide(e));
    steps++;
  }
  const metrics = Array.from({ length: runs }, (_, e) => episodeMetrics(sim, e));
  const pick = bestByObjective(metrics, (m) => m, snapshot.objective);
  return { schedule: exportSchedule(sim, pick, name), return: returns[pick], steps, pick, runs, plain: metrics[0] };
}

/**
 * Decode-time sampling of a trained policy: `samples` seeded stochastic rollouts (masked
 * sampling from the policy) plus the deterministic one, all in one simulator with one forward
 * pass per decision for every run together; the best schedule by the snapshot's objective.
 * The environment shows the model's own number of slots.
 */
export function sampleModel(snapshot: Snapshot, learner: PpoLearner, opts: BestOfOptions): BestOfResult {
  const { samples, seed = 0, ...episode } = opts;
  const K = learner.numActions;
  const sim = episodeSimulator(snapshot, samples + 1, { ...episode, slots: K }, true);
  const runs = sim.numEnvs;
  const D = obsDimFor(K);
  const obs = new Float32Array(runs * D);
  const masks = new Uint8Array(runs * K);
  const fill = new Int32Array(runs).fill(K);
  const rngs = sampleRngs(seed, samples);
  let logits: Float32Array = new Float32Array(0);
  const prepare = () => {
    for (let e = 0; e < runs; e++) {
      const f = writeObservation(sim, e, obs, e * D, fill[e]);
      masks.fill(1, e * K, e * K + f);
      masks.fill(0, e * K + f, e * K + K);
      fill[e] = f;
    }
    logits = learner.policyLogits(obs, runs);
  };
  const decide = (e: number) => {
    const a = e === 0 ? maskedArgmax(logits, masks, 0, K) : maskedSample(logits, masks, e, K, rngs[e - 1]);
    return sim.slotPos[e * K + a];
  };
  return runLockstep(sim, snapshot, bestOfName('ppo', samples), prepare, decide);
}

/**
 * The rules' equal budget: the plain rule's run plus `samples` runs of the rule randomized
 * with `epsilon` (a random conflict-set candidate at that share of decisions, seeded per run),
 * the best by the snapshot's objective.
 */
export function sampleRule(snapshot: Snapshot, rule: DispatchRule | string, opts: BestOfOptions & { epsilon?: number }): BestOfResult {
  const { samples, seed = 0, epsilon = RANDOMIZED_EPSILON, ...episode } = opts;
  const plain = typeof rule === 'string' ? getBaseline(rule) : rule;
  const noisy = randomized(plain, epsilon);
  const sim = episodeSimulator(snapshot, samples + 1, episode, false);
  const plainRng = ruleRng(seed);
  const rngs = sampleRngs(seed, samples);
  const decide = (e: number) => (e === 0 ? plain.choose(sim, 0, plainRng) : noisy.choose(sim, e, rngs[e - 1]));
  return runLockstep(sim, snapshot, bestOfName(plain.name, samples), () => {}, decide);
}
