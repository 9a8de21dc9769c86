import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.js';

test('same seed, same sequence; different seeds differ', () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const sa = Array.from({ length: 8 }, () => a.nextU32());
  const sb = Array.from({ length: 8 }, () => b.nextU32());
  const sc = Array.from({ length: 8 }, () => c.nextU32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  assert.ok(sa.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32));
});

test('state save and restore continues the exact sequence', () => {
  const a = new Rng(7);
  for (let i = 0; i < 10; i++) a.normal();
  a.normal(); // leaves a spare normal cached
  const state = JSON.parse(JSON.stringify(a.getState()));
  const b = new Rng(0);
  b.setState(state);
  for (let i = 0; i < 20; i++) assert.equal(b.normal(), a.normal());
  for (let i = 0; i < 20; i++) assert.equal(b.nextU32(), a.nextU32());
});

test('float, int and normal have the right ranges and moments', () => {
  const r = new Rng(1);
  const n = 200_000;
  let sum = 0, sumSq = 0, nsum = 0, nsq = 0;
  const counts = new Array(10).fill(0);
  for (let i = 0; i < n; i++) {
    const f = r.float();
    assert.ok(f >= 0 && f < 1);
    sum += f;
    sumSq += f * f;
    counts[r.int(10)]++;
    const z = r.normal();
    nsum += z;
    nsq += z * z;
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.01);
  assert.ok(Math.abs(sumSq / n - 1 / 3) < 0.01);
  for (const c of counts) assert.ok(Math.abs(c / n - 0.1) < 0.01, `bucket ${c}`);
  assert.ok(Math.abs(nsum / n) < 0.01);
  assert.ok(Math.abs(nsq / n - 1) < 0.02);
});

test('shuffle is a permutation', () => {
  const r = new Rng(3);
  const a = Int32Array.from({ length: 100 }, (_, i) => i);
  r.shuffle(a);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepEqual([...a], Array.from({ length: 100 }, (_, i) => i));
});
