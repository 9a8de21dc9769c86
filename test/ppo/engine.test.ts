import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients tf.grads needs
import { selectBackend } from '../../src/ppo/backend.js';
import { buildLayout, initParams, LAYER_NORM_EPS, type NetSpec, type ParamLayout } from '../../src/ppo/engine/layout.js';
import { TfMlpEngine } from '../../src/ppo/engine/tf-mlp-engine.js';
import type { NetworkConfig } from '../../src/ppo/hyperparams.js';
import { Rng } from '../../src/util/rng.js';
import { maxRelErr } from '../helpers/rel-err.js';

/** The same network written plainly with tfjs ops, differentiated by tf.grads. */
function referenceGrad(layout: ParamLayout, params: Float32Array, obs: Float32Array, n: number, dL: Float32Array, dV: Float32Array) {
  const vars: tf.Tensor[] = [];
  const slots: { offset: number; size: number }[] = [];
  const param = (offset: number, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(params.slice(offset, offset + size), shape);
    vars.push(t);
    slots.push({ offset, size });
    return vars.length - 1;
  };
  const plan = (net: NetSpec) => net.layers.map((l) => ({ l, w: param(l.wOffset, [l.in, l.out]), b: param(l.bOffset, [l.out]), g: l.layerNorm ? param(l.lnGammaOffset, [l.out]) : -1, be: l.layerNorm ? param(l.lnBetaOffset, [l.out]) : -1 }));
  const actor = plan(layout.actor);
  const critic = plan(layout.critic);
  const x = tf.tensor2d(obs.slice(0, n * layout.obsDim), [n, layout.obsDim]);
  const run = (p: ReturnType<typeof plan>, v: tf.Tensor[]) => {
    let a: tf.Tensor = x;
    for (const { l, w, b, g, be } of p) {
      let z = tf.add(tf.matMul(a as tf.Tensor2D, v[w] as tf.Tensor2D), v[b]);
      if (l.layerNorm) {
        const { mean, variance } = tf.moments(z, 1, true);
        z = tf.add(tf.mul(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, LAYER_NORM_EPS))), v[g]), v[be]);
      }
      a = l.activation === 'relu' ? tf.relu(z) : l.activation === 'tanh' ? tf.tanh(z) : z;
    }
    return a;
  };
  const f = (...v: tf.Tensor[]) => {
    const logits = run(actor, v);
    const values = run(critic, v);
    return tf.add(tf.sum(tf.mul(logits, tf.tensor2d(dL, [n, layout.numActions]))), tf.sum(tf.mul(values, tf.tensor2d(dV, [n, 1])))) as tf.Scalar;
  };
  const grads = tf.grads(f)(vars);
  const out = new Float32Array(layout.size);
  grads.forEach((g, i) => out.set(g.dataSync() as Float32Array, slots[i].offset));
  const logits = run(actor, vars).dataSync() as Float32Array;
  const values = run(critic, vars).dataSync() as Float32Array;
  return { grad: out, logits, values };
}


const cases: [string, NetworkConfig, boolean][] = [
  ['relu', { hiddenSizes: [16, 12, 8], activation: 'relu', layerNorm: false }, false],
  ['tanh', { hiddenSizes: [16, 12], activation: 'tanh', layerNorm: false }, false],
  ['relu, actor and critic merged', { hiddenSizes: [16, 12, 8], activation: 'relu', layerNorm: false }, true],
  ['tanh, actor and critic merged', { hiddenSizes: [16, 12], activation: 'tanh', layerNorm: false }, true],
  ['relu + layer norm', { hiddenSizes: [16, 12], activation: 'relu', layerNorm: true }, false],
  ['tanh + layer norm', { hiddenSizes: [16, 12], activation: 'tanh', layerNorm: true }, false],
];

for (const backend of ['cpu', 'wasm'] as const) {
  for (const [name, net, merge] of cases) {
    test(`hand-written gradients equal tf.grad (${name}, ${backend})`, async () => {
      await selectBackend(backend);
      const rng = new Rng(3);
      const layout = buildLayout(5, 4, net);
      const params = initParams(layout, rng);
      // larger head weights than the 0.01 init so every path carries signal
      for (let i = 0; i < params.length; i++) params[i] += 0.1 * rng.normal();
      const n = 7;
      const obs = Float32Array.from({ length: n * 5 }, () => rng.normal());
      const dL = Float32Array.from({ length: n * 4 }, () => rng.normal());
      const dV = Float32Array.from({ length: n }, () => rng.normal());
      const engine = new TfMlpEngine(layout, params.slice(), { merge });
      assert.equal(engine.nets.length, merge ? 1 : 2);
      const logits = new Float32Array(n * 4);
      const values = new Float32Array(n);
      engine.forwardTrain(obs, n, logits, values);
      const grad = new Float32Array(layout.size);
      engine.backward(dL, dV, grad);
      const ref = tf.tidy(() => referenceGrad(layout, params, obs, n, dL, dV));
      assert.ok(maxRelErr(logits, ref.logits) < 1e-4, `logits differ: ${maxRelErr(logits, ref.logits)}`);
      assert.ok(maxRelErr(values, ref.values) < 1e-4, `values differ: ${maxRelErr(values, ref.values)}`);
      assert.ok(maxRelErr(grad, ref.grad) < 1e-4, `gradients differ: ${maxRelErr(grad, ref.grad)}`);
      // inference forward gives the same outputs
      const l2 = new Float32Array(n * 4);
      const v2 = new Float32Array(n);
      engine.forward(obs, n, l2, v2);
      assert.ok(maxRelErr(l2, ref.logits) < 1e-4);
      assert.ok(maxRelErr(v2, ref.values) < 1e-4);
      engine.dispose();
    });
  }
}

test('orthogonal init: gains and orthonormal columns, zero biases', () => {
  const layout = buildLayout(6, 3, { hiddenSizes: [8, 4], activation: 'relu', layerNorm: false });
  const p = initParams(layout, new Rng(1));
  const l0 = layout.actor.layers[0]; // [6, 8]: rows < cols, orthonormal rows times sqrt(2)
  for (let a = 0; a < 6; a++) {
    for (let b = 0; b < 6; b++) {
      let dot = 0;
      for (let j = 0; j < 8; j++) dot += p[l0.wOffset + a * 8 + j] * p[l0.wOffset + b * 8 + j];
      assert.ok(Math.abs(dot - (a === b ? 2 : 0)) < 1e-5, `row ${a}.${b} = ${dot}`);
    }
  }
  const head = layout.actor.layers[2]; // [4, 3], gain 0.01: orthonormal columns x 0.01
  let colNorm = 0;
  for (let r = 0; r < 4; r++) colNorm += p[head.wOffset + r * 3] ** 2;
  assert.ok(Math.abs(Math.sqrt(colNorm) - 0.01) < 1e-6);
  const vHead = layout.critic.layers[2];
  let vNorm = 0;
  for (let r = 0; r < 4; r++) vNorm += p[vHead.wOffset + r] ** 2;
  assert.ok(Math.abs(Math.sqrt(vNorm) - 1) < 1e-5);
  for (const l of [...layout.actor.layers, ...layout.critic.layers]) for (let j = 0; j < l.out; j++) assert.equal(p[l.bOffset + j], 0);
});
