import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RolloutBuffer } from '../../src/ppo/rollout-buffer.js';

test('GAE against a hand-computed example with a terminal and a time-limit truncation', () => {
  // one env, 4 steps; the episode terminates at t=1 and is truncated at t=2 (final V = 10)
  const g = 0.9, lam = 0.5;
  const buf = new RolloutBuffer(4, 1, 1, 2);
  const rewards = [1, 2, 3, 4];
  const values = [0.5, 1.0, 2.0, 3.0];
  const term = [0, 1, 0, 0];
  const trunc = [0, 0, 1, 0];
  for (let t = 0; t < 4; t++) {
    buf.add(new Float32Array([t]), new Uint8Array([1, 1]), new Int32Array([0]), new Float32Array([0]), new Float32Array([values[t]]),
      new Float32Array([rewards[t]]), new Uint8Array([term[t]]), new Uint8Array([trunc[t]]), new Float32Array([10]));
  }
  buf.computeReturnsAndAdvantage(new Float32Array([5]), g, lam);
  // t=3: delta = 4 + 0.9*5 - 3 = 5.5 (bootstrap from lastValues), A3 = 5.5
  // t=2: truncated: delta = 3 + 0.9*10 - 2 = 10, chain cut: A2 = 10
  // t=1: terminal: delta = 2 + 0 - 1 = 1, A1 = 1
  // t=0: delta = 1 + 0.9*1.0 - 0.5 = 1.4, A0 = 1.4 + 0.9*0.5*1 = 1.85
  const expected = [1.85, 1, 10, 5.5];
  expected.forEach((a, t) => {
    assert.ok(Math.abs(buf.advantages[t] - a) < 1e-6, `A[${t}] = ${buf.advantages[t]}, expected ${a}`);
    assert.ok(Math.abs(buf.returns[t] - (a + values[t])) < 1e-6);
  });
});

test('GAE keeps environments apart (step-major layout)', () => {
  const buf = new RolloutBuffer(2, 2, 1, 1);
  for (let t = 0; t < 2; t++) {
    buf.add(new Float32Array(2), new Uint8Array([1, 1]), new Int32Array(2), new Float32Array(2), new Float32Array([0, 0]),
      new Float32Array([1, t === 0 ? 0 : 2]), new Uint8Array([0, 0]), new Uint8Array([0, 0]), new Float32Array(2));
  }
  buf.computeReturnsAndAdvantage(new Float32Array([0, 1]), 1, 1);
  // env 0: rewards 1, 1 -> A = [2, 1]; env 1: rewards 0, 2, last V 1 -> A = [3, 3]
  assert.deepEqual(Array.from(buf.advantages), [2, 3, 1, 3]);
});
