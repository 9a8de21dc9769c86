import { TIME_EPS } from '../env/calendar.js';
import type { Simulator } from '../env/simulator.js';
import type { Rng } from '../util/rng.js';

/**
 * A dispatching rule: at each decision it picks one candidate among ALL ready candidates
 * of env e (not only the K slots a learned policy sees), as a position in the simulator's
 * urgency order. Like a classic priority-rule scheduler it only considers the conflict set
 * of Giffler & Thompson's active-schedule generation (1960): candidates that can start before
 * the earliest completion of any candidate. Ties go to the lower position, i.e. the more
 * urgent job (least slack).
 */
export interface DispatchRule {
  readonly name: string;
  readonly description: string;
  choose(sim: Simulator, e: number, rng: Rng): number;
}

/** Score of job j's candidate (its next task t) in env e; the lowest score is dispatched. */
type Score = (sim: Simulator, e: number, j: number, t: number) => number;

/** The conflict-set bound: candidates with start < bound are eligible for a rule. */
export function conflictBound(sim: Simulator, e: number): number {
  const eJ = e * sim.J;
  let bound = Infinity;
  for (let p = 0, len = sim.orderLen[e]; p < len; p++) {
    const x = sim.candEnd[eJ + sim.order[eJ + p]];
    if (x < bound) bound = x;
  }
  return bound - TIME_EPS;
}

function argMin(sim: Simulator, e: number, score: Score): number {
  const eJ = e * sim.J;
  const bound = conflictBound(sim, e);
  let best = -1;
  let bestScore = Infinity;
  for (let p = 0, len = sim.orderLen[e]; p < len; p++) {
    const j = sim.order[eJ + p];
    if (!(sim.candStart[eJ + j] < bound)) continue;
    const s = score(sim, e, j, sim.jobNext[eJ + j]);
    if (best < 0 || s < bestScore) {
      bestScore = s;
      best = p;
    }
  }
  return best < 0 ? 0 : best;
}

function scoreRule(name: string, description: string, score: Score): DispatchRule {
  return { name, description, choose: (sim, e) => argMin(sim, e, score) };
}

const hasDue = (sim: Simulator, e: number, j: number) => sim.instances[sim.instOf[e]].jobHasDue[j] === 1;
const dueOf = (sim: Simulator, e: number, j: number) => (hasDue(sim, e, j) ? sim.jobDue[e * sim.J + j] : Infinity);

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

export const fifoRule = scoreRule('fifo', 'first in, first out: the task that became ready earliest (release or predecessor end)', (sim, e, j) => sim.jobReady[e * sim.J + j]);

export const eddRule = scoreRule('edd', 'earliest due date first (jobs without a due time last)', dueOf);

export const sptRule = scoreRule('spt', 'shortest processing time (setup + processing on its best machine) of the next task first', (sim, e, j) => sim.candWork[e * sim.J + j]);

export const lptRule = scoreRule('lpt', 'longest processing time of the next task first', (sim, e, j) => -sim.candWork[e * sim.J + j]);

export const mwkrRule = scoreRule('mwkr', 'most work remaining in the job first', (sim, e, j) => -sim.jobRemWork[e * sim.J + j]);

/** Critical ratio = (due - earliest start) / remaining work of the job; smallest first. */
export const crRule = scoreRule('cr', 'critical ratio (due - start) / remaining work, smallest first (jobs without a due time last)', (sim, e, j) => {
  if (!hasDue(sim, e, j)) return Infinity;
  const eJ = e * sim.J;
  return (sim.jobDue[eJ + j] - sim.candStart[eJ + j]) / sim.jobRemWork[eJ + j];
});

/** ATC look-ahead parameter k (Vepsalainen & Morton 1987 suggest 1.5 to 4.5 for tardiness). */
export const ATC_K = 2;

/**
 * Apparent tardiness cost (Vepsalainen & Morton, Management Science 1987):
 * priority = (w / p) * exp(-max(0, due - remaining work - start) / (k * mean p)), with w = 2 for
 * important jobs else 1, p the next task's work, mean p over the ready tasks; highest first.
 */
export const atcRule: DispatchRule = {
  name: 'atc',
  description: `apparent tardiness cost (weight 2 for important jobs, k = ${ATC_K}), highest first`,
  choose(sim, e) {
    const eJ = e * sim.J;
    const len = sim.orderLen[e];
    const bound = conflictBound(sim, e);
    let sum = 0;
    let n = 0;
    for (let p = 0; p < len; p++) {
      const j = sim.order[eJ + p];
      if (sim.candStart[eJ + j] < bound) {
        sum += sim.candWork[eJ + j];
        n++;
      }
    }
    const pbar = sum / Math.max(1, n);
    const inst = sim.instances[sim.instOf[e]];
    let best = 0;
    let bestPrio = -Infinity;
    for (let p = 0; p < len; p++) {
      const j = sim.order[eJ + p];
      if (!(sim.candStart[eJ + j] < bound)) continue;
      const w = sim.candWork[eJ + j];
      const weight = inst.jobImportant[j] === 1 ? 2 : 1;
      const slack = inst.jobHasDue[j] === 1 ? Math.max(0, sim.jobDue[eJ + j] - sim.jobRemWork[eJ + j] - sim.candStart[eJ + j]) : 0;
      const prio = (weight / w) * Math.exp(-slack / (ATC_K * pbar));
      if (prio > bestPrio) {
        bestPrio = prio;
        best = p;
      }
    }
    return best;
  },
};

/**
 * The planners' greedy rule: the candidate that completes earliest (on its best machine);
 * among equal completions the most urgent: important first, then earliest due, then least slack. (The earliest completion is always in
 * the conflict set, so this rule needs no filter.)
 */
export const greedyRule: DispatchRule = {
  name: 'greedy',
  description: 'earliest completion first; ties: important, then earliest due, then least slack',
  choose(sim, e) {
    const eJ = e * sim.J;
    const inst = sim.instances[sim.instOf[e]];
    let best = 0;
    let bestEnd = Infinity;
    let bestImp = 0;
    let bestDue = Infinity;
    for (let p = 0, len = sim.orderLen[e]; p < len; p++) {
      const j = sim.order[eJ + p];
      const end = sim.candEnd[eJ + j];
      const imp = inst.jobImportant[j];
      const due = dueOf(sim, e, j);
      const better = end < bestEnd - TIME_EPS || (end <= bestEnd + TIME_EPS && (imp > bestImp || (imp === bestImp && due < bestDue)));
      if (better) {
        best = p;
        bestEnd = end;
        bestImp = imp;
        bestDue = due;
      }
    }
    return best;
  },
};
