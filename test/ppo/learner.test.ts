import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/ppo/backend.js';
import { PpoLearner, type LearnerOptions } from '../../src/ppo/learner.js';
import { defaultHyperparams, defaultNormalize, type PpoHyperparams } from '../../src/ppo/hyperparams.js';
import { parseSchedule } from '../../src/ppo/schedules.js';
import { SchedError } from '../../src/errors.js';
import { sb3Record } from '../../src/ppo/diagnostics.js';
import { ToyMaskedVecEnv } from '../helpers/toy-env.js';

function opts(over: Partial<LearnerOptions> = {}, hp: Partial<PpoHyperparams> = {}): LearnerOptions {
  return {
    obsDim: 3, numActions: 5, numEnvs: 4, seed: 7,
    hyperparams: defaultHyperparams({ nSteps: 16, batchSize: 16, nEpochs: 2, learningRate: parseSchedule('lin_3e-3'), ...hp }),
    network: { hiddenSizes: [16, 16], activation: 'relu', layerNorm: false },
    normalize: defaultNormalize(),
    ...over,
  };
}

test('learner: a short learn never picks a masked action, reports SB3 diagnostics, counts steps', async () => {
  await selectBackend('cpu');
  const learner = new PpoLearner(opts());
  const env = new ToyMaskedVecEnv(4);
  let d;
  let r;
  for (let i = 0; i < 3; i++) {
    r = learner.collectRollout(env);
    assert.equal(r.steps, 64);
    d = learner.train(1 - learner.numTimesteps / 192);
  }
  const rec = sb3Record(d!, r!, learner.fps, learner.numTimesteps, learner.iterations);
  assert.equal(rec['train/n_updates'], 6);
  assert.equal(rec['time/total_timesteps'], 192);
  assert.ok(rec['rollout/ep_rew_mean'] > 0 && rec['rollout/ep_len_mean'] === 5, 'toy episodes last 5 steps');
  assert.ok(!('train/clip_range_vf' in rec), 'null values are left out');
  assert.equal(env.invalidActions, 0);
  assert.equal(learner.numTimesteps, 192);
  assert.equal(learner.nUpdates, 6);
  assert.ok(d);
  for (const k of ['approx_kl', 'clip_fraction', 'entropy_loss', 'policy_gradient_loss', 'value_loss', 'loss', 'explained_variance', 'learning_rate', 'clip_range'] as const) {
    assert.ok(Number.isFinite(d[k]), `${k} = ${d[k]}`);
  }
  assert.equal(d.learning_rate, 0, 'lin_3e-3 at progress_remaining 0');
  assert.ok(d.entropy_loss < 0, 'entropy_loss = -entropy');
  assert.ok(learner.fps > 0);
  // prediction uses masks: deterministic actions are valid
  const acts = learner.predict(env.obs, env.masks, true);
  for (let e = 0; e < 4; e++) assert.equal(env.masks[e * 5 + acts[e]], 1);
  learner.dispose();
});

test('learner: the same seed gives bit-identical parameters; another seed differs', async () => {
  await selectBackend('cpu');
  const run = (seed: number) => {
    const l = new PpoLearner(opts({ seed }));
    const env = new ToyMaskedVecEnv(4);
    for (let i = 0; i < 2; i++) { l.collectRollout(env); l.train(1); }
    const p = l.engine.params.slice();
    l.dispose();
    return p;
  };
  const a = run(1), b = run(1), c = run(2);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('learner: no tensor leaks across an update (tf.memory().numTensors unchanged)', async () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    await selectBackend(backend);
    const l = new PpoLearner(opts({}, { nEpochs: 1 }));
    const env = new ToyMaskedVecEnv(4);
    l.collectRollout(env);
    l.train(1);
    const before = tf.memory().numTensors;
    l.collectRollout(env);
    l.train(1);
    assert.equal(tf.memory().numTensors, before, backend);
    l.dispose();
  }
});

test('learner: target_kl stops the epochs early', async () => {
  await selectBackend('cpu');
  const l = new PpoLearner(opts({}, { nEpochs: 10, targetKl: 1e-9, learningRate: parseSchedule(1e-2) }));
  const env = new ToyMaskedVecEnv(4);
  l.collectRollout(env);
  const d = l.train(1);
  assert.ok(d.epochs < 10, `ran ${d.epochs} epochs`);
  l.dispose();
});

test('learner: a non-finite loss is a TRAINING error and the update is undone', async () => {
  await selectBackend('cpu');
  const l = new PpoLearner(opts());
  const env = new ToyMaskedVecEnv(4);
  l.collectRollout(env);
  l.train(1);
  const bad = new ToyMaskedVecEnv(4);
  bad.step = function (a) { ToyMaskedVecEnv.prototype.step.call(this, a); this.rewards.fill(NaN); };
  l.collectRollout(bad);
  const before = l.engine.params.slice();
  const m = l.adam.m.slice();
  const n = l.nUpdates;
  assert.throws(() => l.train(1), (e: unknown) => e instanceof SchedError && e.code === 'TRAINING' && /not finite/.test(e.message));
  assert.deepEqual(l.engine.params, before);
  assert.deepEqual(l.adam.m, m);
  assert.equal(l.nUpdates, n);
  l.dispose();
});

test('learner: parameters that become non-finite (an exploding learning rate) are a TRAINING error, undone', async () => {
  await selectBackend('cpu');
  const l = new PpoLearner(opts({}, { learningRate: parseSchedule(1e39), maxGradNorm: 1e30 }));
  l.collectRollout(new ToyMaskedVecEnv(4));
  const before = l.engine.params.slice();
  assert.throws(() => l.train(1), (e: unknown) => e instanceof SchedError && e.code === 'TRAINING');
  assert.deepEqual(l.engine.params, before);
  l.dispose();
});

test('learner: inconsistent hyperparameters are listed at once as a CONFIG error', () => {
  assert.throws(
    () => new PpoLearner(opts({ numEnvs: 5 }, { nSteps: 200, batchSize: 64, gamma: 1.5 })),
    (e: unknown) => e instanceof SchedError && e.code === 'CONFIG' && e.details.some((d) => d.includes('n_steps * n_envs = 1000 is not a multiple of batch_size = 64')) && e.details.some((d) => d.startsWith('gamma')),
  );
});

test('learner: setHyperparams keeps weights and statistics and accepts a new number of envs', async () => {
  await selectBackend('cpu');
  const l = new PpoLearner(opts());
  l.collectRollout(new ToyMaskedVecEnv(4));
  l.train(1);
  const p = l.engine.params.slice();
  const stats = JSON.stringify(l.vecNormalize.obsRms.toJSON());
  l.setHyperparams(defaultHyperparams({ nSteps: 8, batchSize: 32, nEpochs: 1 }), 8);
  assert.deepEqual(l.engine.params, p);
  assert.equal(JSON.stringify(l.vecNormalize.obsRms.toJSON()), stats);
  const r = l.collectRollout(new ToyMaskedVecEnv(8));
  assert.equal(r.steps, 64);
  l.train(1);
  assert.equal(l.numTimesteps, 128);
  l.dispose();
});
