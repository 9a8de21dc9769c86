import type { Rng } from '../util/rng.js';

/**
 * Masked categorical distribution over one row of logits (sb3-contrib `MaskableCategorical`):
 * invalid actions get the logit MASKED_LOGIT before the softmax, so their probability is 0;
 * the entropy sums over valid actions only. All functions read row `r` of a row-major
 * `[n, k]` array and allocate nothing. A row with no valid action is treated as all-valid.
 */
export const MASKED_LOGIT = -1e8;

/** Log-sum-exp of the valid logits of row r (the softmax normalizer). */
export function maskedLogSumExp(logits: Float32Array, masks: Uint8Array, r: number, k: number): number {
  const o = r * k;
  let max = -Infinity;
  let any = false;
  for (let j = 0; j < k; j++) if (masks[o + j]) { any = true; if (logits[o + j] > max) max = logits[o + j]; }
  if (!any) for (let j = 0; j < k; j++) if (logits[o + j] > max) max = logits[o + j];
  let s = 0;
  for (let j = 0; j < k; j++) if (!any || masks[o + j]) s += Math.exp(logits[o + j] - max);
  return max + Math.log(s);
}

/** Writes the masked probabilities of row r into `probs[o..o+k)` and returns the entropy. */
export function maskedProbs(logits: Float32Array, masks: Uint8Array, r: number, k: number, probs: Float32Array | Float64Array): number {
  const o = r * k;
  const lse = maskedLogSumExp(logits, masks, r, k);
  let any = false;
  for (let j = 0; j < k; j++) if (masks[o + j]) { any = true; break; }
  let h = 0;
  for (let j = 0; j < k; j++) {
    if (any && !masks[o + j]) { probs[o + j] = 0; continue; }
    const lp = logits[o + j] - lse;
    const p = Math.exp(lp);
    probs[o + j] = p;
    h -= p * lp;
  }
  return h;
}

/** Log-probability of action a in row r. */
export function maskedLogProb(logits: Float32Array, masks: Uint8Array, r: number, k: number, a: number): number {
  return logits[r * k + a] - maskedLogSumExp(logits, masks, r, k);
}

/** The most probable valid action of row r (first on ties). */
export function maskedArgmax(logits: Float32Array, masks: Uint8Array, r: number, k: number): number {
  const o = r * k;
  let best = -1;
  let bestV = -Infinity;
  for (let j = 0; j < k; j++) if (masks[o + j] && logits[o + j] > bestV) { bestV = logits[o + j]; best = j; }
  if (best < 0) for (let j = 0; j < k; j++) if (logits[o + j] > bestV) { bestV = logits[o + j]; best = j; }
  return best;
}

/** Samples a valid action of row r by inverse CDF with one uniform draw from `rng`. */
export function maskedSample(logits: Float32Array, masks: Uint8Array, r: number, k: number, rng: Rng): number {
  const o = r * k;
  const lse = maskedLogSumExp(logits, masks, r, k);
  let any = false;
  for (let j = 0; j < k; j++) if (masks[o + j]) { any = true; break; }
  const u = rng.float();
  let c = 0;
  let last = -1;
  for (let j = 0; j < k; j++) {
    if (any && !masks[o + j]) continue;
    c += Math.exp(logits[o + j] - lse);
    last = j;
    if (u < c) return j;
  }
  return last; // rounding: u beyond the summed probabilities
}
