import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunningMeanStd } from '../../src/ppo/running-mean-std.js';
import { VecNormalize } from '../../src/ppo/vec-normalize.js';
import { defaultNormalize } from '../../src/ppo/hyperparams.js';
import { Rng } from '../../src/util/rng.js';

test('running mean/std merged over batches equals the statistics of the concatenated data', () => {
  const rng = new Rng(5);
  const d = 3;
  const batches = [7, 1, 20, 3].map((n) => Float32Array.from({ length: n * d }, () => rng.normal() * 3 + 1));
  const rms = new RunningMeanStd(d, 0); // no prior count: exact statistics
  rms.count = 0;
  for (const b of batches) rms.update(b, b.length / d);
  const all = batches.flatMap((b) => Array.from(b));
  const n = all.length / d;
  for (let i = 0; i < d; i++) {
    let m = 0;
    for (let r = 0; r < n; r++) m += all[r * d + i];
    m /= n;
    let v = 0;
    for (let r = 0; r < n; r++) v += (all[r * d + i] - m) ** 2;
    v /= n;
    assert.ok(Math.abs(rms.mean[i] - m) < 1e-9, `mean ${i}`);
    assert.ok(Math.abs(rms.var[i] - v) < 1e-9, `var ${i}`);
  }
  assert.equal(rms.count, n);
});

test('VecNormalize normalizes and clips, scales rewards by the return std, and freezes when not training', () => {
  const vn = new VecNormalize(2, 2, defaultNormalize({ clipObs: 5, gamma: 0.9 }));
  const obs = Float32Array.from([1, 100, 3, 300]);
  vn.observeObs(obs, 2);
  const out = new Float32Array(4);
  vn.normalizeObs(obs, 2, out);
  assert.ok(Math.abs(out[0] + 1) < 1e-3 && Math.abs(out[1] + 1) < 1e-3 && Math.abs(out[2] - 1) < 1e-3);
  vn.normalizeObs(Float32Array.from([1e6, 200, 0, 0]), 2, out);
  assert.equal(out[0], 5); // clipped
  const before = vn.toJSON();
  vn.training = false;
  vn.observeObs(Float32Array.from([50, 50, 60, 60]), 2);
  const r = new Float32Array(2);
  vn.processRewards(Float32Array.from([1, 2]), Uint8Array.from([0, 0]), r);
  assert.deepEqual(vn.toJSON(), before, 'statistics frozen while not training');
  vn.training = true;
  const dones = Uint8Array.from([1, 0]);
  vn.processRewards(Float32Array.from([1, 2]), dones, r);
  assert.equal(vn.returns[0], 0, 'return reset at episode end');
  assert.ok(Math.abs(vn.returns[1] - 2) < 1e-12);
  const s = Math.sqrt(vn.retRms.var[0] + 1e-8);
  assert.ok(Math.abs(r[1] - 2 / s) < 1e-5);
});

test('VecNormalize save/load round trip restores identical statistics and transforms', () => {
  const rng = new Rng(9);
  const a = new VecNormalize(4, 3, defaultNormalize());
  for (let k = 0; k < 5; k++) {
    a.observeObs(Float32Array.from({ length: 12 }, () => rng.normal() * 2), 3);
    a.processRewards(Float32Array.from({ length: 3 }, () => rng.normal()), Uint8Array.from([0, 1, 0]), new Float32Array(3));
  }
  const json = JSON.parse(JSON.stringify(a.toJSON()));
  const b = new VecNormalize(4, 3, json.config);
  b.setState(json);
  assert.deepEqual(b.toJSON(), a.toJSON());
  const x = Float32Array.from({ length: 12 }, () => rng.normal());
  const oa = new Float32Array(12), ob = new Float32Array(12);
  a.normalizeObs(x, 3, oa);
  b.normalizeObs(x, 3, ob);
  assert.deepEqual(ob, oa);
});
