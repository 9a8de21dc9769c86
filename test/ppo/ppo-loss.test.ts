import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainedVariance, normalizeAdvantages, ppoLoss, type PpoLossInput } from '../../src/ppo/ppo.js';
import { Adam, clipGradNorm, globalNorm } from '../../src/ppo/adam.js';
import { Rng } from '../../src/util/rng.js';

function makeInput(rng: Rng, clipVf: number | null): PpoLossInput {
  const n = 6, k = 4;
  const masks = Uint8Array.from({ length: n * k }, (_, i) => (i % k === 3 && i % 2 === 1 ? 0 : 1));
  const actions = Int32Array.from({ length: n }, (_, r) => (r * 3) % 3);
  return {
    n, numActions: k,
    logits: Float32Array.from({ length: n * k }, () => rng.normal()),
    values: Float32Array.from({ length: n }, () => rng.normal()),
    masks, actions,
    oldLogProbs: Float32Array.from({ length: n }, () => -1.2 + 0.3 * rng.normal()),
    oldValues: Float32Array.from({ length: n }, () => rng.normal()),
    advantages: Float32Array.from({ length: n }, () => rng.normal()),
    returns: Float32Array.from({ length: n }, () => rng.normal()),
    clipRange: 0.2, clipRangeVf: clipVf, entCoef: 0.05, vfCoef: 0.5,
  };
}

for (const clipVf of [null, 0.3]) {
  test(`PPO loss gradient matches finite differences (value clipping ${clipVf})`, () => {
    const rng = new Rng(11);
    const inp = makeInput(rng, clipVf);
    const dL = new Float32Array(inp.n * inp.numActions);
    const dV = new Float32Array(inp.n);
    const probs = new Float64Array(inp.n * inp.numActions);
    ppoLoss(inp, dL, dV, probs);
    const f = () => ppoLoss(inp, new Float32Array(dL.length), new Float32Array(dV.length), probs).loss;
    const h = 1e-3;
    for (const [arr, grad] of [[inp.logits, dL], [inp.values, dV]] as const) {
      for (let i = 0; i < arr.length; i++) {
        const x = arr[i];
        arr[i] = x + h; const up = f();
        arr[i] = x - h; const down = f();
        arr[i] = x;
        const num = (up - down) / (2 * h);
        assert.ok(Math.abs(num - grad[i]) < 2e-3, `index ${i}: numeric ${num}, analytic ${grad[i]}`);
      }
    }
  });
}

test('PPO loss: ratio 1 gives -mean(A), zero KL and clip fraction; a masked logit gets no gradient', () => {
  const rng = new Rng(2);
  const inp = makeInput(rng, null);
  const dL = new Float32Array(inp.n * inp.numActions);
  const probs = new Float64Array(dL.length);
  // old log-probs equal to the current ones => ratio 1
  ppoLoss(inp, dL, new Float32Array(inp.n), probs);
  for (let r = 0; r < inp.n; r++) {
    let lse = -Infinity; const k = inp.numActions;
    const vals: number[] = [];
    for (let j = 0; j < k; j++) if (inp.masks[r * k + j]) vals.push(inp.logits[r * k + j]);
    const m = Math.max(...vals);
    lse = m + Math.log(vals.reduce((a, v) => a + Math.exp(v - m), 0));
    inp.oldLogProbs[r] = inp.logits[r * k + inp.actions[r]] - lse;
  }
  const out = ppoLoss(inp, dL, new Float32Array(inp.n), probs);
  const meanA = Array.from(inp.advantages).reduce((a, b) => a + b, 0) / inp.n;
  assert.ok(Math.abs(out.policyLoss + meanA) < 1e-5);
  assert.ok(Math.abs(out.approxKl) < 1e-6);
  assert.equal(out.clipFraction, 0);
  for (let i = 0; i < dL.length; i++) if (!inp.masks[i]) assert.equal(dL[i], 0);
});

test('advantage normalization uses the unbiased std; explained variance as SB3', () => {
  const a = Float32Array.from([1, 2, 3, 4]);
  normalizeAdvantages(a, 4);
  const std = Math.sqrt(5 / 3);
  assert.ok(Math.abs(a[0] - -1.5 / std) < 1e-5);
  const y = Float32Array.from([1, 2, 3, 4]);
  assert.ok(Math.abs(explainedVariance(y, y, 4) - 1) < 1e-12);
  assert.ok(Number.isNaN(explainedVariance(y, Float32Array.from([2, 2, 2, 2]), 4)));
});

test('global gradient-norm clipping scales to max_norm and leaves small gradients alone', () => {
  const g = Float32Array.from([3, 4, 0, 0]); // norm 5
  const before = clipGradNorm(g, 1);
  assert.equal(before, 5);
  assert.ok(Math.abs(globalNorm(g) - 1) < 1e-5);
  assert.ok(Math.abs(g[0] / g[1] - 0.75) < 1e-6, 'direction kept');
  const s = Float32Array.from([0.1, 0.2]);
  clipGradNorm(s, 1);
  assert.deepEqual(Array.from(s), [Math.fround(0.1), Math.fround(0.2)]);
  assert.ok(Number.isNaN(globalNorm(Float32Array.from([1, NaN]))));
});

test('Adam first step moves each parameter by lr against the gradient sign (torch arrangement, eps 1e-5)', () => {
  const adam = new Adam(3);
  const p = Float32Array.from([1, 1, 1]);
  adam.apply(p, Float32Array.from([0.5, -2, 0]), 0.1);
  assert.ok(Math.abs(p[0] - 0.9) < 1e-4);
  assert.ok(Math.abs(p[1] - 1.1) < 1e-4);
  assert.equal(p[2], 1);
  assert.equal(adam.step, 1);
});
