import { TIME_EPS } from './calendar.js';
import { conflictStats, NUM_PRIORITY_RULES, rulePosition } from './priorities.js';
import type { Simulator } from './simulator.js';

/**
 * Chooses the K candidates a policy sees in env e (docs/environment.md, "Action"): the
 * conflict set of Giffler & Thompson's active-schedule generation (1960, taken over all
 * machines: candidates that can start before the earliest completion of any candidate) first,
 * then, if slots remain, the other candidates, most urgent first. Urgency is the simulator's
 * order (least slack = due - remaining work, ties by job). When the conflict set alone has more
 * than K candidates, the pick of every dispatching rule of priorities.ts is shown first, then
 * the set's most urgent others: with K >= 7 (the rules), a policy can always choose what any rule
 * chooses.
 * Slots are in position order (conflict set first). Fills `sim.slotPos[e*K ..]` with positions
 * in the order, sets `sim.conflictEnd[e]` and `sim.atcPbar[e]`, and returns the slot count.
 */
export function selectSlots(sim: Simulator, e: number): number {
  const K = sim.K;
  const eJ = e * sim.J;
  const eK = e * K;
  const order = sim.order;
  const candStart = sim.candStart;
  const slotPos = sim.slotPos;
  const len = sim.orderLen[e];
  const nc = conflictStats(sim, e);
  const b = sim.conflictEnd[e] - TIME_EPS;
  let n = 0;
  if (nc <= K) {
    for (let p = 0; p < len; p++) if (candStart[eJ + order[eJ + p]] < b) slotPos[eK + n++] = p;
    for (let p = 0; p < len && n < K; p++) if (!(candStart[eJ + order[eJ + p]] < b)) slotPos[eK + n++] = p;
    sim.slotCount[e] = n;
    return n;
  }
  // every rule's pick, then the most urgent others of the conflict set
  for (let r = 0; r < NUM_PRIORITY_RULES && n < K; r++) {
    const p = rulePosition(sim, e, r);
    let seen = false;
    for (let i = 0; i < n; i++) if (slotPos[eK + i] === p) seen = true;
    if (!seen) slotPos[eK + n++] = p;
  }
  const reserved = n;
  for (let p = 0; p < len && n < K; p++) {
    if (!(candStart[eJ + order[eJ + p]] < b)) continue;
    let seen = false;
    for (let i = 0; i < reserved; i++) if (slotPos[eK + i] === p) seen = true;
    if (!seen) slotPos[eK + n++] = p;
  }
  // position order (insertion sort of at most K entries)
  for (let i = eK + 1; i < eK + n; i++) {
    const x = slotPos[i];
    let k = i - 1;
    while (k >= eK && slotPos[k] > x) {
      slotPos[k + 1] = slotPos[k];
      k--;
    }
    slotPos[k + 1] = x;
  }
  sim.slotCount[e] = n;
  return n;
}
