import { TIME_EPS } from '../env/calendar.js';
import {
  ATC_K, conflictStats, greedyPosition, rulePosition,
  RULE_ATC, RULE_CR, RULE_EDD, RULE_FIFO, RULE_MWKR, RULE_SPT,
} from '../env/priorities.js';
import type { Simulator } from '../env/simulator.js';
import type { Rng } from '../util/rng.js';

/**
 * A dispatching rule: at each decision it picks one candidate among ALL ready candidates
 * of env e (not only the K slots a learned policy sees), as a position in the simulator's
 * urgency order. Like a classic priority-rule scheduler it only considers the conflict set
 * of Giffler & Thompson's active-schedule generation (1960): candidates that can start before
 * the earliest completion of any candidate. Ties go to the lower position, i.e. the more
 * urgent job (least slack). The priority keys live in src/env/priorities.ts, shared with the
 * observation, so a policy sees every rule's ranking of its candidates.
 */
export interface DispatchRule {
  readonly name: string;
  readonly description: string;
  choose(sim: Simulator, e: number, rng: Rng): number;
}

/** The conflict-set bound: candidates with start < bound are eligible for a rule. */
export function conflictBound(sim: Simulator, e: number): number {
  conflictStats(sim, e);
  return sim.conflictEnd[e] - TIME_EPS;
}

/** A rule whose pick is the lowest key of priorities.ts over the conflict set. */
function keyRule(name: string, description: string, r: number): DispatchRule {
  return {
    name,
    description,
    choose(sim, e) {
      conflictStats(sim, e);
      return rulePosition(sim, e, r);
    },
  };
}

export const randomRule: DispatchRule = {
  name: 'random',
  description: 'a uniformly random candidate of the conflict set (seeded)',
  choose(sim, e, rng) {
    const eJ = e * sim.J;
    const bound = conflictBound(sim, e);
    const len = sim.orderLen[e];
    let n = 0;
    for (let p = 0; p < len; p++) if (sim.candStart[eJ + sim.order[eJ + p]] < bound) n++;
    let k = rng.int(Math.max(1, n));
    for (let p = 0; p < len; p++) if (sim.candStart[eJ + sim.order[eJ + p]] < bound && k-- === 0) return p;
    return 0;
  },
};

export const fifoRule = keyRule('fifo', 'first in, first out: the task that became ready earliest (release or predecessor end)', RULE_FIFO);

export const eddRule = keyRule('edd', 'earliest due date first (jobs without a due time last)', RULE_EDD);

export const sptRule = keyRule('spt', 'shortest processing time (setup + processing on its best machine) of the next task first', RULE_SPT);

/** A rule outside priorities.ts: the conflict-set candidate with the highest `value` (ties: the lower position). */
function highestRule(name: string, description: string, value: (sim: Simulator, e: number, j: number) => number): DispatchRule {
  return {
    name,
    description,
    choose(sim, e) {
      const eJ = e * sim.J;
      const bound = conflictBound(sim, e);
      let best = -1;
      let bestV = -Infinity;
      for (let p = 0, len = sim.orderLen[e]; p < len; p++) {
        const j = sim.order[eJ + p];
        if (!(sim.candStart[eJ + j] < bound)) continue;
        const v = value(sim, e, j);
        if (best < 0 || v > bestV) {
          best = p;
          bestV = v;
        }
      }
      return best < 0 ? 0 : best;
    },
  };
}

export const lptRule = highestRule('lpt', 'longest processing time of the next task first', (sim, e, j) => sim.candWork[e * sim.J + j]);

export const mwkrRule = keyRule('mwkr', 'most work remaining in the job first', RULE_MWKR);

/** Most operations remaining (Panwalkar & Iskander's MOPNR, one of L2D's baselines): the job with the most tasks left first. */
export const mopnrRule = highestRule('mopnr', 'most operations (tasks) remaining in the job first', (sim, e, j) => sim.instances[sim.instOf[e]].jobTaskStart[j + 1] - sim.jobNext[e * sim.J + j]);

/** Critical ratio = (due - earliest start) / remaining work of the job; smallest first. */
export const crRule = keyRule('cr', 'critical ratio (due - start) / remaining work, smallest first (jobs without a due time last)', RULE_CR);

export { ATC_K };

/**
 * Apparent tardiness cost (Vepsalainen & Morton, Management Science 1987):
 * priority = (w / p) * exp(-max(0, due - remaining work - start) / (k * mean p)), with w = 2 for
 * important jobs else 1, p the next task's work, mean p over the conflict set; highest first
 * (compared in logarithms, src/env/priorities.ts).
 */
export const atcRule = keyRule('atc', `apparent tardiness cost (weight 2 for important jobs, k = ${ATC_K}), highest first`, RULE_ATC);

/**
 * The planners' greedy rule: the candidate that completes earliest (on its best machine);
 * among equal completions the most urgent: important first, then earliest due, then least slack.
 */
export const greedyRule: DispatchRule = {
  name: 'greedy',
  description: 'earliest completion first; ties: important, then earliest due, then least slack',
  choose: (sim, e) => greedyPosition(sim, e),
};

/** Share of decisions at which `randomized` takes a uniformly random conflict-set candidate. */
export const RANDOMIZED_EPSILON = 0.05;

/**
 * `rule` with epsilon-greedy noise: at each decision, with probability `epsilon`, a uniformly
 * random candidate of the conflict set (as the random rule picks), else `rule`'s own pick. A
 * seeded rng gives another schedule per seed; best of several such runs is the rules' answer
 * to the policy's sampling at equal budget.
 */
export function randomized(rule: DispatchRule, epsilon = RANDOMIZED_EPSILON): DispatchRule {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`randomized: epsilon must be in [0, 1], got ${epsilon}`);
  return {
    name: rule.name,
    description: `${rule.description}; a random conflict-set candidate at ${+(100 * epsilon).toFixed(2)}% of decisions`,
    choose: (sim, e, rng) => (rng.float() < epsilon ? randomRule.choose(sim, e, rng) : rule.choose(sim, e, rng)),
  };
}
