import { maskedLogSumExp, maskedProbs } from './masked-categorical.js';

/** One minibatch of the PPO loss: network outputs plus what the rollout stored. */
export interface PpoLossInput {
  n: number;
  numActions: number;
  /** Network outputs for the minibatch: logits `[n * numActions]`, values `[n]`. */
  logits: Float32Array;
  values: Float32Array;
  masks: Uint8Array;
  actions: Int32Array;
  oldLogProbs: Float32Array;
  oldValues: Float32Array;
  /** Already normalized when normalize_advantage is on. */
  advantages: Float32Array;
  returns: Float32Array;
  clipRange: number;
  clipRangeVf: number | null;
  entCoef: number;
  vfCoef: number;
}

export interface PpoLossOutput {
  loss: number;
  policyLoss: number;
  valueLoss: number;
  /** -mean(entropy), SB3's `entropy_loss`. */
  entropyLoss: number;
  approxKl: number;
  clipFraction: number;
}

/**
 * The clipped PPO loss of one minibatch (Schulman et al. 2017; SB3 `ppo.py` `train`), and its
 * gradient with respect to the logits (`dLogits`, `[n * numActions]`) and the values
 * (`dValues`, `[n]`), so that any engine can backpropagate it through its network:
 *
 *   loss = -mean(min(A r, A clip(r, 1-c, 1+c))) + ent_coef * -mean(H) + vf_coef * mean((R - V')^2)
 *
 * with r = exp(logp - old_logp) under the masked categorical, H its entropy over valid actions,
 * V' = V, or old_V + clip(V - old_V, -c_vf, c_vf) with value clipping (SB3 clips the prediction
 * and takes no max with the unclipped loss, unlike CleanRL). `probs` is `[n * numActions]` scratch.
 */
export function ppoLoss(inp: PpoLossInput, dLogits: Float32Array, dValues: Float32Array, probs: Float64Array): PpoLossOutput {
  const { n, numActions: k, logits, masks, actions, oldLogProbs, advantages, clipRange: c } = inp;
  const invN = 1 / n;
  let pgSum = 0;
  let entSum = 0;
  let klSum = 0;
  let clipped = 0;
  const entScale = inp.entCoef * invN;
  for (let r = 0; r < n; r++) {
    const o = r * k;
    const h = maskedProbs(logits, masks, r, k, probs); // probabilities and entropy over valid actions
    const lse = maskedLogSumExp(logits, masks, r, k);
    entSum += h;
    const a = actions[r];
    const logp = logits[o + a] - lse;
    const logRatio = logp - oldLogProbs[r];
    const ratio = Math.exp(logRatio);
    const adv = advantages[r];
    const s1 = adv * ratio;
    const rc = ratio < 1 - c ? 1 - c : ratio > 1 + c ? 1 + c : ratio;
    const s2 = adv * rc;
    pgSum += -(s1 < s2 ? s1 : s2);
    if (Math.abs(ratio - 1) > c) clipped += 1;
    klSum += ratio - 1 - logRatio; // approx KL, Schulman's k3 estimator (as SB3)
    // d(policy loss)/d(logp): the unclipped branch carries the gradient when it is the min
    const gLogp = s1 <= s2 ? -adv * ratio * invN : 0;
    // d(logp)/d(logit_j) = [j == a] - p_j ; d(-H)/d(logit_j) = p_j (log p_j + H)
    for (let j = 0; j < k; j++) {
      const p = probs[o + j];
      if (p === 0) { dLogits[o + j] = 0; continue; }
      const lpj = logits[o + j] - lse;
      dLogits[o + j] = gLogp * ((j === a ? 1 : 0) - p) + entScale * p * (lpj + h);
    }
  }
  // value loss, optionally on the clipped prediction
  let vSum = 0;
  const cv = inp.clipRangeVf;
  const vScale = 2 * inp.vfCoef * invN;
  for (let r = 0; r < n; r++) {
    let v = inp.values[r];
    let pass = 1;
    if (cv !== null) {
      const d = v - inp.oldValues[r];
      if (d > cv) { v = inp.oldValues[r] + cv; pass = 0; } else if (d < -cv) { v = inp.oldValues[r] - cv; pass = 0; }
    }
    const err = v - inp.returns[r];
    vSum += err * err;
    dValues[r] = pass * vScale * err;
  }
  const policyLoss = pgSum * invN;
  const valueLoss = vSum * invN;
  const entropyLoss = -entSum * invN;
  return {
    loss: policyLoss + inp.entCoef * entropyLoss + inp.vfCoef * valueLoss,
    policyLoss,
    valueLoss,
    entropyLoss,
    approxKl: klSum * invN,
    clipFraction: clipped * invN,
  };
}

/** In place: (a - mean) / (std + 1e-8) with the unbiased std (torch's `.std()`), n > 1 only. */
export function normalizeAdvantages(a: Float32Array, n: number): void {
  if (n <= 1) return;
  let m = 0;
  for (let i = 0; i < n; i++) m += a[i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - m) * (a[i] - m);
  const std = Math.sqrt(s / (n - 1));
  for (let i = 0; i < n; i++) a[i] = (a[i] - m) / (std + 1e-8);
}

/** 1 - Var(y - pred) / Var(y), NaN when Var(y) = 0 (SB3 `explained_variance`). */
export function explainedVariance(pred: Float32Array, y: Float32Array, n: number): number {
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) { my += y[i]; md += y[i] - pred[i]; }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (y[i] - my) ** 2;
    vd += (y[i] - pred[i] - md) ** 2;
  }
  return vy === 0 ? NaN : 1 - vd / vy;
}
