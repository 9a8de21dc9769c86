import { TIME_EPS } from './calendar.js';
import type { Simulator } from './simulator.js';

/**
 * The priority keys of the dispatching rules, per candidate (job j's next task in env e):
 * the LOWEST key is dispatched first, ties go to the lower position in the urgency order.
 * One definition serves the rules (src/baselines), the slot selection (slots.ts: every rule's
 * pick is always visible) and the observation (observation.ts: each slot's rank under every
 * rule), so a policy can always express any of these rules in one layer.
 *
 * Every key except ATC's is a quantity of the candidate alone; ATC's also depends on the mean
 * work of the conflict set (`sim.atcPbar[e]`, set by `selectSlots` / `conflictStats`).
 */
export const PRIORITY_RULES = ['atc', 'edd', 'cr', 'spt', 'mwkr', 'fifo', 'greedy'] as const;
export type PriorityRule = (typeof PRIORITY_RULES)[number];
export const RULE_ATC = 0;
export const RULE_EDD = 1;
export const RULE_CR = 2;
export const RULE_SPT = 3;
export const RULE_MWKR = 4;
export const RULE_FIFO = 5;
export const RULE_GREEDY = 6;
export const NUM_PRIORITY_RULES = PRIORITY_RULES.length;

/** ATC look-ahead parameter k (Vepsalainen & Morton 1987 suggest 1.5 to 4.5 for tardiness). */
export const ATC_K = 2;

/**
 * The candidate-only terms of the apparent tardiness cost (Vepsalainen & Morton, Management
 * Science 1987), priority = (w / p) * exp(-max(0, due - remaining work - start) / (k * mean p)),
 * w = 2 for important jobs else 1, p the candidate's work: stored as its negated logarithm
 * split into `atcA = ln p - ln w` and `atcS = slack`, so that the key is
 * `atcA + atcS / (k * mean p)`: the same order as the priority, without exp (no underflow ties).
 * Called by the simulator whenever a candidate changes.
 */
export function writeAtcTerms(sim: Simulator, e: number, j: number): void {
  const inst = sim.instances[sim.instOf[e]];
  const ej = e * sim.J + j;
  const w = inst.jobImportant[j] === 1 ? 2 : 1;
  sim.candAtcA[ej] = Math.log(sim.candWork[ej]) - Math.log(w);
  sim.candAtcS[ej] = inst.jobHasDue[j] === 1 ? Math.max(0, sim.jobDue[ej] - sim.jobRemWork[ej] - sim.candStart[ej]) : 0;
}

/** 1 / (k * mean p) for ATC's key, from the conflict set's mean work (0 when it is 0). */
export function atcScale(pbar: number): number {
  return pbar > 0 ? 1 / (ATC_K * pbar) : 0;
}

/**
 * Rule r's key of job j's candidate in env e (lower = dispatched first). `atcInv` is
 * `atcScale(mean work of the conflict set)`; only ATC reads it.
 */
export function priorityKey(sim: Simulator, e: number, j: number, r: number, atcInv: number): number {
  const ej = e * sim.J + j;
  switch (r) {
    case RULE_ATC:
      return sim.candAtcA[ej] + sim.candAtcS[ej] * atcInv;
    case RULE_EDD:
      return sim.instances[sim.instOf[e]].jobHasDue[j] === 1 ? sim.jobDue[ej] : Infinity;
    case RULE_CR:
      // critical ratio = (due - start) / remaining work of the job
      return sim.instances[sim.instOf[e]].jobHasDue[j] === 1 ? (sim.jobDue[ej] - sim.candStart[ej]) / sim.jobRemWork[ej] : Infinity;
    case RULE_SPT:
      return sim.candWork[ej];
    case RULE_MWKR:
      return -sim.jobRemWork[ej];
    case RULE_FIFO:
      return sim.jobReady[ej];
    case RULE_GREEDY:
      return sim.candEnd[ej];
    default:
      throw new Error(`unknown priority rule ${r}`);
  }
}

/**
 * The planners' greedy rule's pick, as a position in env e's order: the candidate that
 * completes earliest (on its best machine); among equal completions (within TIME_EPS) the most
 * urgent: important first, then earliest due, then the lower position. The earliest
 * completion is always in the conflict set.
 */
export function greedyPosition(sim: Simulator, e: number): number {
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
    const due = inst.jobHasDue[j] === 1 ? sim.jobDue[eJ + j] : Infinity;
    const better = end < bestEnd - TIME_EPS || (end <= bestEnd + TIME_EPS && (imp > bestImp || (imp === bestImp && due < bestDue)));
    if (better) {
      best = p;
      bestEnd = end;
      bestImp = imp;
      bestDue = due;
    }
  }
  return best;
}

/**
 * The conflict set of env e (Giffler & Thompson's active-schedule generation, 1960, taken over
 * all machines): candidates that can start before the earliest completion of any candidate.
 * Sets `sim.conflictEnd[e]` (that earliest completion) and `sim.atcPbar[e]` (the set's mean
 * work) and returns the set's size. A candidate at position p is in the set when
 * `candStart < conflictEnd - TIME_EPS`.
 */
export function conflictStats(sim: Simulator, e: number): number {
  const eJ = e * sim.J;
  const order = sim.order;
  const candEnd = sim.candEnd;
  const candStart = sim.candStart;
  const len = sim.orderLen[e];
  let bound = Infinity;
  for (let p = 0; p < len; p++) {
    const x = candEnd[eJ + order[eJ + p]];
    if (x < bound) bound = x;
  }
  sim.conflictEnd[e] = bound;
  const b = bound - TIME_EPS;
  let n = 0;
  let sum = 0;
  for (let p = 0; p < len; p++) {
    const j = order[eJ + p];
    if (candStart[eJ + j] < b) {
      n++;
      sum += sim.candWork[eJ + j];
    }
  }
  sim.atcPbar[e] = n > 0 ? sum / n : 0;
  return n;
}

/**
 * Rule r's pick in env e: the conflict-set candidate with the lowest key, as a position
 * (ties: the lower position). Needs `conflictStats(sim, e)` first. Returns 0 when the set is empty.
 */
export function rulePosition(sim: Simulator, e: number, r: number): number {
  if (r === RULE_GREEDY) return greedyPosition(sim, e);
  const eJ = e * sim.J;
  const b = sim.conflictEnd[e] - TIME_EPS;
  const inv = atcScale(sim.atcPbar[e]);
  let best = -1;
  let bestKey = Infinity;
  for (let p = 0, len = sim.orderLen[e]; p < len; p++) {
    const j = sim.order[eJ + p];
    if (!(sim.candStart[eJ + j] < b)) continue;
    const k = priorityKey(sim, e, j, r, inv);
    if (best < 0 || k < bestKey) {
      bestKey = k;
      best = p;
    }
  }
  return best < 0 ? 0 : best;
}
