import { TIME_EPS } from './calendar.js';
import type { Simulator } from './simulator.js';

/**
 * Chooses the K candidates a policy sees in env e (docs/environment.md, "Action"):
 * first the candidates that can start before the earliest completion time of any candidate
 * (the conflict set of Giffler & Thompson's active-schedule generation, 1960, taken over all
 * machines), most urgent first; then, if slots remain, the other candidates, most urgent
 * first. Urgency is the simulator's order (least slack = due - remaining work, ties by job).
 * Fills `sim.slotPos[e*K ..]` with positions in the order and returns the slot count.
 */
export function selectSlots(sim: Simulator, e: number): number {
  const K = sim.K;
  const eJ = e * sim.J;
  const eK = e * K;
  const order = sim.order;
  const candStart = sim.candStart;
  const candEnd = sim.candEnd;
  const slotPos = sim.slotPos;
  const len = sim.orderLen[e];
  let bound = Infinity;
  for (let p = 0; p < len; p++) {
    const x = candEnd[eJ + order[eJ + p]];
    if (x < bound) bound = x;
  }
  sim.conflictEnd[e] = bound;
  if (len <= K) {
    // every candidate is visible: conflict set first, then the rest, each in urgency order
    let n = 0;
    for (let p = 0; p < len; p++) if (candStart[eJ + order[eJ + p]] < bound - TIME_EPS) slotPos[eK + n++] = p;
    for (let p = 0; p < len; p++) if (!(candStart[eJ + order[eJ + p]] < bound - TIME_EPS)) slotPos[eK + n++] = p;
    sim.slotCount[e] = len;
    return len;
  }
  let n = 0;
  for (let p = 0; p < len && n < K; p++) if (candStart[eJ + order[eJ + p]] < bound - TIME_EPS) slotPos[eK + n++] = p;
  if (n < K) {
    // the rest by urgency; slots taken so far are in increasing position order
    let q = 0;
    const taken = n;
    for (let p = 0; p < len && n < K; p++) {
      if (q < taken && slotPos[eK + q] === p) {
        q++;
        continue;
      }
      slotPos[eK + n++] = p;
    }
  }
  sim.slotCount[e] = n;
  return n;
}
