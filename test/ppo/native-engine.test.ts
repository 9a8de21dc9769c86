import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/ppo/backend.js';
import { buildLayout, initParams } from '../../src/ppo/engine/layout.js';
import { loadNativeAddon, NativeMlpEngine } from '../../src/ppo/engine/native-engine.js';
import { TfMlpEngine } from '../../src/ppo/engine/tf-mlp-engine.js';
import type { PolicyValueEngine } from '../../src/ppo/engine/engine.js';
import { defaultHyperparams, defaultNormalize, type NetworkConfig } from '../../src/ppo/hyperparams.js';
import { PpoLearner, type LearnerOptions } from '../../src/ppo/learner.js';
import { loadLearner } from '../../src/ppo/checkpoint.js';
import { parseSchedule } from '../../src/ppo/schedules.js';
import { Rng } from '../../src/util/rng.js';
import { maxRelErr } from '../helpers/rel-err.js';
import { Adam, clipGradNorm } from '../../src/ppo/adam.js';
import { ToyMaskedVecEnv } from '../helpers/toy-env.js';
import { writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { train } from '../../src/curriculum/trainer.js';
import { createProgress } from '../../src/cli/progress.js';
import { readTrainingState } from '../../src/checkpoints/training-state.js';
import { TINY_CONFIG } from '../helpers/tiny-run.js';
import { runCli } from '../helpers/cli.js';

// Every test here needs the addon (npm ci builds it when OpenBLAS and a compiler are there).
const addon = loadNativeAddon();
const skip = typeof addon === 'string' ? `native engine not available: ${addon}` : false;
if (skip) console.log(`# skipping the native engine tests: ${skip}`);


/** Outputs and gradient of one engine on one batch. */
function run(engine: PolicyValueEngine, obs: Float32Array, n: number, dL: Float32Array, dV: Float32Array) {
  const K = engine.layout.numActions;
  const logits = new Float32Array(n * K);
  const values = new Float32Array(n);
  engine.forwardTrain(obs, n, logits, values);
  const grad = new Float32Array(engine.layout.size);
  engine.backward(dL, dV, grad);
  const inferLogits = new Float32Array(n * K);
  const inferValues = new Float32Array(n);
  engine.forward(obs, n, inferLogits, inferValues);
  return { logits, values, grad, inferLogits, inferValues };
}

const cases: [string, number, number, NetworkConfig, number][] = [
  ['relu [256, 128, 64], the benchmark shape', 64, 32, { hiddenSizes: [256, 128, 64], activation: 'relu', layerNorm: false }, 256],
  ['tanh [256, 128, 64], the benchmark shape', 64, 32, { hiddenSizes: [256, 128, 64], activation: 'tanh', layerNorm: false }, 256],
  ['tanh [64, 64] (CartPole), 8 rows', 4, 2, { hiddenSizes: [64, 64], activation: 'tanh', layerNorm: false }, 8],
  ['relu + layer norm [48, 24], 37 rows', 13, 7, { hiddenSizes: [48, 24], activation: 'relu', layerNorm: true }, 37],
  ['tanh + layer norm [32], 1 row', 5, 3, { hiddenSizes: [32], activation: 'tanh', layerNorm: true }, 1],
];

for (const [name, D, K, net, n] of cases) {
  test(`native engine = wasm engine on a random network and batch, relative error <= 1e-4 (${name})`, { skip }, async (t) => {
    await selectBackend('wasm');
    const rng = new Rng(7 + n);
    const layout = buildLayout(D, K, net);
    const params = initParams(layout, rng);
    // perturb everything (biases, heads, gamma, beta) so every path carries signal
    for (let i = 0; i < params.length; i++) params[i] += 0.05 * rng.normal();
    const obs = Float32Array.from({ length: n * D }, () => 2 * rng.normal());
    const dL = Float32Array.from({ length: n * K }, () => rng.normal());
    const dV = Float32Array.from({ length: n }, () => rng.normal());
    const wasm = new TfMlpEngine(layout, params.slice());
    const native = new NativeMlpEngine(layout, params.slice());
    const a = run(native, obs, n, dL, dV);
    const b = run(wasm, obs, n, dL, dV);
    const errs: string[] = [];
    for (const key of ['logits', 'values', 'grad', 'inferLogits', 'inferValues'] as const) {
      const err = maxRelErr(a[key], b[key]);
      errs.push(`${key} ${err.toExponential(1)}`);
      assert.ok(err <= 1e-4, `${key}: relative error ${err.toExponential(2)} > 1e-4`);
    }
    t.diagnostic(`relative errors: ${errs.join(', ')}`);
    // forward for inference equals the training forward exactly (same code, same data)
    assert.deepEqual(a.inferLogits, a.logits);
    assert.deepEqual(a.inferValues, a.values);
    wasm.dispose();
    native.dispose();
  });
}

test('native gradients match central finite differences of sum(dL * logits) + sum(dV * values)', { skip }, (t) => {
  for (const activation of ['tanh', 'relu'] as const) {
    for (const layerNorm of [false, true]) {
      const rng = new Rng(11);
      const layout = buildLayout(4, 3, { hiddenSizes: [6, 5], activation, layerNorm });
      const params = initParams(layout, rng);
      for (let i = 0; i < params.length; i++) params[i] += 0.2 * rng.normal();
      const n = 5;
      const obs = Float32Array.from({ length: n * 4 }, () => rng.normal());
      const dL = Float32Array.from({ length: n * 3 }, () => rng.normal());
      const dV = Float32Array.from({ length: n }, () => rng.normal());
      const engine = new NativeMlpEngine(layout, params);
      const grad = run(engine, obs, n, dL, dV).grad;
      const logits = new Float32Array(n * 3);
      const values = new Float32Array(n);
      const loss = () => {
        engine.forward(obs, n, logits, values);
        let s = 0;
        for (let i = 0; i < logits.length; i++) s += dL[i] * logits[i];
        for (let i = 0; i < n; i++) s += dV[i] * values[i];
        return s;
      };
      const h = 1e-2;
      let worst = 0;
      for (let i = 0; i < params.length; i++) {
        const p0 = params[i];
        params[i] = p0 + h;
        const up = loss();
        params[i] = p0 - h;
        const down = loss();
        params[i] = p0;
        const fd = (up - down) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - grad[i]) / Math.max(1, Math.abs(grad[i])));
      }
      // float32 outputs and a second-order truncation error: ~1e-3 at this step size
      assert.ok(worst < 5e-3, `${activation}${layerNorm ? ' + layer norm' : ''}: worst finite-difference error ${worst}`);
      t.diagnostic(`${activation}${layerNorm ? ' + layer norm' : ''}: worst finite-difference error ${worst.toExponential(1)}`);
      engine.dispose();
    }
  }
});

const learnerOpts = (backend: string): LearnerOptions => ({
  obsDim: 3, numActions: 5, numEnvs: 4, seed: 5, backend,
  hyperparams: defaultHyperparams({ nSteps: 32, batchSize: 32, nEpochs: 3, learningRate: parseSchedule('lin_1e-3') }),
  network: { hiddenSizes: [16, 16], activation: 'tanh', layerNorm: false },
  normalize: defaultNormalize(),
});

test('a learner on the native engine trains, and its checkpoint resumes on the wasm engine (and back) with the same next update', { skip }, async () => {
  await selectBackend('native', { threads: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'sched-native-'));
  try {
    const a = new PpoLearner(learnerOpts('native'));
    assert.equal(a.engine.name, 'native-mlp');
    const before = a.engine.params.slice();
    for (let i = 0; i < 3; i++) { a.collectRollout(new ToyMaskedVecEnv(4)); a.train(1 - i / 10); }
    assert.ok(maxRelErr(a.engine.params, before) > 1e-3, 'training moved the parameters');
    await a.save(dir);
    // the same next iteration on both engines, from the same checkpoint
    const next = async (backend: 'native' | 'wasm') => {
      await selectBackend(backend, { threads: 1 });
      const l = loadLearner(dir, { backend });
      assert.equal(l.engine.name, backend === 'native' ? 'native-mlp' : 'tfjs-mlp');
      assert.deepEqual(l.engine.params, a.engine.params, 'the checkpoint loads the same weights');
      l.collectRollout(new ToyMaskedVecEnv(4));
      const d = l.train(0.7);
      const out = { params: l.engine.params.slice(), d };
      l.dispose();
      return out;
    };
    const onWasm = await next('wasm');
    const onNative = await next('native');
    assert.equal(onWasm.d.epochs, onNative.d.epochs);
    assert.ok(Math.abs(onWasm.d.loss - onNative.d.loss) <= 1e-3 * Math.max(1, Math.abs(onNative.d.loss)), `loss ${onWasm.d.loss} vs ${onNative.d.loss}`);
    const err = maxRelErr(onWasm.params, onNative.params);
    assert.ok(err < 1e-3, `parameters after the resumed update differ by ${err}`);
    // back: a wasm-trained checkpoint resumes on native
    await selectBackend('wasm');
    const w = loadLearner(dir, { backend: 'wasm' });
    w.collectRollout(new ToyMaskedVecEnv(4));
    w.train(0.6);
    await w.save(dir);
    await selectBackend('native', { threads: 1 });
    const back = loadLearner(dir, { backend: 'native' });
    assert.equal(back.engine.name, 'native-mlp');
    assert.deepEqual(back.engine.params, w.engine.params);
    back.collectRollout(new ToyMaskedVecEnv(4));
    assert.ok(Number.isFinite(back.train(0.5).loss));
    w.dispose();
    back.dispose();
    a.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sched train started on the native engine resumes on wasm, and sched test runs the result on native', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-native-run-'));
  try {
    writeFileSync(join(dir, 'tiny.yaml'), TINY_CONFIG);
    const ac = new AbortController();
    const progress = createProgress({ mode: 'silent' });
    const update = progress.update.bind(progress);
    progress.update = (st) => {
      update(st);
      if (st.stage === 'toy_easy' && st.step >= 256) ac.abort(); // stop mid-stage, with a checkpoint
    };
    const base = { configPath: join(dir, 'tiny.yaml'), out: join(dir, 'run'), cwd: dir, log: pino({ level: 'silent' }) };
    const first = await train({ ...base, backend: 'native', threads: 1, progress, signal: ac.signal });
    assert.equal(first.interrupted, true);
    assert.equal(first.backend, 'native');
    const saved = readTrainingState(join(dir, 'run/checkpoints/training_state.json'));
    assert.equal(saved.currentStage, 'toy_easy');
    const second = await train({ ...base, configPath: undefined, resume: true, backend: 'wasm', progress: createProgress({ mode: 'silent' }) });
    assert.equal(second.interrupted, false);
    assert.equal(second.backend, 'wasm');
    assert.deepEqual(second.state.stages.map((x) => x.status), ['done', 'done']);
    assert.equal(second.state.stages[0].startStep, 0, 'toy_easy was resumed, not restarted');
    const r = await runCli(['test', '--run', join(dir, 'run'), '--stage', 'toy_normal', '--episodes', '2', '--rules', 'edd', '--backend', 'native', '--json']);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as { policy: string; completion_rate: number }[];
    assert.equal(rows.find((x) => x.policy === 'ppo')?.completion_rate, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('native engine: no tfjs tensors and no memory growth over 250 gradient steps; disposed engines free their buffers', { skip }, async () => {
  await selectBackend('native', { threads: 1 });
  const layout = buildLayout(64, 32, { hiddenSizes: [256, 128, 64], activation: 'relu', layerNorm: false });
  const rng = new Rng(1);
  const n = 256;
  const obs = Float32Array.from({ length: n * 64 }, () => rng.normal());
  const dL = Float32Array.from({ length: n * 32 }, () => rng.normal());
  const dV = Float32Array.from({ length: n }, () => rng.normal());
  const logits = new Float32Array(n * 32);
  const values = new Float32Array(n);
  const params = initParams(layout, rng);
  const engine = new NativeMlpEngine(layout, params.slice());
  const grad = new Float32Array(layout.size);
  const step = () => {
    engine.forwardTrain(obs, n, logits, values);
    engine.backward(dL, dV, grad);
    engine.forward(obs, 16, logits, values);
  };
  for (let i = 0; i < 100; i++) step();
  const tensors = tf.memory().numTensors;
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < 250; i++) step();
  const grew = process.memoryUsage().rss - rss0;
  assert.equal(tf.memory().numTensors, tensors);
  // one leaked activation buffer per step would be >= 250 x 64 KB = 16 MB
  assert.ok(grew < 6 * 2 ** 20, `RSS grew by ${(grew / 2 ** 20).toFixed(1)} MB over 250 steps`);
  engine.dispose();
  assert.throws(() => engine.forward(obs, 1, logits, values), /used after dispose/);
  // engines made and disposed: their buffers (~1.5 MB each at 256 rows) do not pile up
  const rss1 = process.memoryUsage().rss;
  for (let i = 0; i < 200; i++) {
    const e = new NativeMlpEngine(layout, params.slice());
    e.forwardTrain(obs, n, logits, values);
    e.backward(dL, dV, grad);
    e.dispose();
  }
  const grew2 = process.memoryUsage().rss - rss1;
  assert.ok(grew2 < 32 * 2 ** 20, `RSS grew by ${(grew2 / 2 ** 20).toFixed(1)} MB over 200 engines`);
});

test('native clip + Adam = clipGradNorm then Adam.apply (with and without clipping); a non-finite gradient changes nothing', { skip }, () => {
  const layout = buildLayout(6, 4, { hiddenSizes: [10, 7], activation: 'relu', layerNorm: false });
  for (const maxNorm of [0.5, 1e6]) {
    const rng = new Rng(4);
    const p0 = initParams(layout, rng);
    const engine = new NativeMlpEngine(layout, p0.slice());
    const ref = p0.slice();
    const adamN = new Adam(layout.size);
    const adamJ = new Adam(layout.size);
    for (let step = 0; step < 5; step++) {
      const g = Float32Array.from({ length: layout.size }, () => rng.normal());
      const gJ = g.slice();
      const normN = engine.clipAndAdam(g, adamN, 3e-4, maxNorm);
      const normJ = clipGradNorm(gJ, maxNorm);
      adamJ.apply(ref, gJ, 3e-4);
      assert.ok(Math.abs(normN - normJ) <= 1e-12 * normJ, `norm ${normN} vs ${normJ}`);
      assert.ok(maxRelErr(g, gJ) <= 1e-7, 'the clipped gradient');
    }
    assert.equal(adamN.step, adamJ.step);
    assert.ok(maxRelErr(engine.params, ref) <= 1e-6, `params ${maxRelErr(engine.params, ref)}`);
    assert.ok(maxRelErr(adamN.m, adamJ.m) <= 1e-6 && maxRelErr(adamN.v, adamJ.v) <= 1e-6, 'moments');
    const before = engine.params.slice();
    const bad = new Float32Array(layout.size);
    bad[3] = NaN;
    assert.ok(Number.isNaN(engine.clipAndAdam(bad, adamN, 3e-4, maxNorm)));
    assert.deepEqual(engine.params, before);
    assert.equal(adamN.step, 5);
    engine.dispose();
  }
});

test('native engine: backward without forwardTrain, and a batch larger than the arrays, are errors', { skip }, () => {
  const layout = buildLayout(3, 2, { hiddenSizes: [4], activation: 'relu', layerNorm: false });
  const engine = new NativeMlpEngine(layout, initParams(layout, new Rng(2)));
  const grad = new Float32Array(layout.size);
  assert.throws(() => engine.backward(new Float32Array(2), new Float32Array(1), grad), /forwardTrain first/);
  assert.throws(() => engine.forward(new Float32Array(3), 2, new Float32Array(4), new Float32Array(2)), /do not fit/);
  engine.forwardTrain(new Float32Array(3), 1, new Float32Array(2), new Float32Array(1));
  engine.release();
  assert.throws(() => engine.backward(new Float32Array(2), new Float32Array(1), grad), /forwardTrain first/);
  engine.dispose();
});
