import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '../../src/ppo/backend.js';
import { PpoLearner, type LearnerOptions } from '../../src/ppo/learner.js';
import { loadLearner } from '../../src/ppo/checkpoint.js';
import { fileModelHandler } from '../../src/ppo/policy-model.js';
import { defaultHyperparams, defaultNormalize } from '../../src/ppo/hyperparams.js';
import { parseSchedule } from '../../src/ppo/schedules.js';
import { SchedError } from '../../src/errors.js';
import { ToyMaskedVecEnv } from '../helpers/toy-env.js';

const opts = (layerNorm = false, activation: 'relu' | 'tanh' = 'tanh'): LearnerOptions => ({
  obsDim: 3, numActions: 5, numEnvs: 4, seed: 3,
  hyperparams: defaultHyperparams({ nSteps: 16, batchSize: 32, nEpochs: 2, learningRate: parseSchedule('lin_1e-3'), clipRangeVf: parseSchedule(0.5) }),
  network: { hiddenSizes: [8, 8], activation, layerNorm },
  normalize: defaultNormalize(),
});

test('save then load resumes training exactly (weights, Adam, statistics, counters, RNG)', async () => {
  await selectBackend('cpu');
  const dir = mkdtempSync(join(tmpdir(), 'sched-ckpt-'));
  try {
    const a = new PpoLearner(opts());
    for (let i = 0; i < 2; i++) { a.collectRollout(new ToyMaskedVecEnv(4)); a.train(0.8); }
    await a.save(dir);
    const b = await PpoLearner.load(dir);
    assert.equal(b.numTimesteps, a.numTimesteps);
    assert.equal(b.nUpdates, a.nUpdates);
    assert.equal(b.hyperparams.learningRate.source, 'lin_1e-3');
    // both continue with a fresh env (reset from the learner RNG): results must be identical
    a.collectRollout(new ToyMaskedVecEnv(4)); const da = a.train(0.5);
    b.collectRollout(new ToyMaskedVecEnv(4)); const db = b.train(0.5);
    assert.deepEqual(b.engine.params, a.engine.params);
    assert.deepEqual(b.adam.m, a.adam.m);
    assert.deepEqual(b.vecNormalize.toJSON(), a.vecNormalize.toJSON());
    assert.equal(db.loss, da.loss);
    a.dispose(); b.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const [ln, act] of [[false, 'tanh'], [true, 'relu']] as const) {
  test(`the saved policy loads with tf.loadLayersModel and computes the same logits (layerNorm ${ln}, ${act})`, async () => {
    await selectBackend('cpu');
    const dir = mkdtempSync(join(tmpdir(), 'sched-ckpt-'));
    try {
      const l = new PpoLearner(opts(ln, act));
      l.collectRollout(new ToyMaskedVecEnv(4)); l.train(1);
      await l.save(dir);
      const model = await tfl.loadLayersModel(fileModelHandler(join(dir, 'policy')));
      const obs = Float32Array.from([0.1, -0.2, 0.3, 1, 2, -3]);
      const out = tf.tidy(() => (model.predict(tf.tensor2d(obs, [2, 3])) as tf.Tensor).dataSync());
      const logits = new Float32Array(10), values = new Float32Array(2);
      l.engine.forward(obs, 2, logits, values);
      for (let i = 0; i < 10; i++) assert.ok(Math.abs(out[i] - logits[i]) < 1e-5, `logit ${i}: ${out[i]} vs ${logits[i]}`);
      model.dispose(); l.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a missing or corrupted checkpoint file is a CHECKPOINT error naming the path', async () => {
  await selectBackend('cpu');
  const dir = mkdtempSync(join(tmpdir(), 'sched-ckpt-'));
  try {
    const l = new PpoLearner(opts());
    await l.save(dir);
    l.dispose();
    const expectErr = (file: string) => assert.throws(() => loadLearner(dir), (e: unknown) => e instanceof SchedError && e.code === 'CHECKPOINT' && e.message.includes(join(dir, file)));
    const keep = (f: string) => readFileSync(join(dir, f));
    const restore = (f: string, b: Buffer) => writeFileSync(join(dir, f), b);
    for (const f of ['learner_state.json', 'vec_normalize.json', 'optimizer.bin', 'policy/weights.bin', 'critic/model.json']) {
      const b = keep(f);
      unlinkSync(join(dir, f));
      expectErr(f);
      const broken = Buffer.from(b);
      if (f.endsWith('.json')) writeFileSync(join(dir, f), b.toString('utf8').slice(0, 40));
      else { broken[broken.length - 1] ^= 0xff; writeFileSync(join(dir, f), broken); }
      expectErr(f);
      restore(f, b);
    }
    const state = keep('learner_state.json');
    writeFileSync(join(dir, 'learner_state.json'), state.toString('utf8').replace('"lin_1e-3"', '"lin_fast"'));
    expectErr('learner_state.json');
    restore('learner_state.json', state);
    const ok = loadLearner(dir);
    ok.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
