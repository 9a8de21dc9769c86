import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskedArgmax, maskedLogProb, maskedProbs, maskedSample } from '../../src/ppo/masked-categorical.js';
import { Rng } from '../../src/util/rng.js';

const logits = Float32Array.from([2, 0, 5, 1, /* row 1 */ 0, 0, 0, 0]);
const masks = Uint8Array.from([1, 1, 0, 1, /* row 1 */ 0, 1, 1, 0]);

test('masked log-probs and entropy use only valid actions', () => {
  const z = Math.exp(2) + Math.exp(0) + Math.exp(1);
  assert.ok(Math.abs(maskedLogProb(logits, masks, 0, 4, 0) - (2 - Math.log(z))) < 1e-6);
  const p = new Float64Array(8);
  const h0 = maskedProbs(logits, masks, 0, 4, p);
  assert.equal(p[2], 0, 'masked action has probability 0 even with the largest logit');
  const ps = [Math.exp(2) / z, 1 / z, Math.exp(1) / z];
  assert.ok(Math.abs(h0 + ps.reduce((a, q) => a + q * Math.log(q), 0)) < 1e-6);
  const h1 = maskedProbs(logits, masks, 1, 4, p);
  assert.ok(Math.abs(h1 - Math.log(2)) < 1e-6, 'uniform over 2 valid actions: entropy ln 2');
  assert.deepEqual(Array.from(p.subarray(4)), [0, 0.5, 0.5, 0]);
});

test('argmax and sampling never pick an invalid action; sampling follows the probabilities', () => {
  assert.equal(maskedArgmax(logits, masks, 0, 4), 0);
  const rng = new Rng(1);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 20000; i++) counts[maskedSample(logits, masks, 0, 4, rng)]++;
  assert.equal(counts[2], 0);
  const z = Math.exp(2) + 1 + Math.exp(1);
  assert.ok(Math.abs(counts[0] / 20000 - Math.exp(2) / z) < 0.02);
  for (let i = 0; i < 200; i++) assert.ok([1, 2].includes(maskedSample(logits, masks, 1, 4, rng)));
});
