import * as tf from '@tensorflow/tfjs-core';
import type { PolicyValueEngine } from './engine.js';
import { LAYER_NORM_EPS, type LayerSpec, type NetSpec, type ParamLayout } from './layout.js';
import { readInto, transposeInto } from './tensor-io.js';

/** Device copies of one layer's parameters. `wT` only where the backward pass needs it. */
interface LayerTensors {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
  wT: tf.Tensor2D | null;
  gamma: tf.Tensor1D | null;
  beta: tf.Tensor1D | null;
}

/** What one net's forward pass keeps for its backward pass. */
interface KeptNet {
  weights: LayerTensors[];
  /** outputs[l] = activation output of layer l (the input of layer l+1). */
  outputs: tf.Tensor2D[];
  /** Layer norm intermediates per layer (normalized z, 1/std), when enabled. */
  zHat: (tf.Tensor2D | null)[];
  rstd: (tf.Tensor2D | null)[];
}

interface Kept {
  n: number;
  x: tf.Tensor2D;
  xT: tf.Tensor2D;
  actor: KeptNet;
  critic: KeptNet;
}

/**
 * The MLP engine on TensorFlow.js ops, with a hand-written backward pass. tfjs' autodiff
 * computes the weight gradients with `matMul(..., transposeA/B)`, which the wasm backend runs
 * 10-20x slower than a plain `matMul`; here every product is a plain `matMul(a, b)` on
 * explicitly transposed operands (activations transposed on the device, weights transposed in
 * JS), the forward pass uses fused matMul+bias(+ReLU), bias gradients are `ones @ dZ`, and
 * results are read straight from the wasm heap. Works on every tfjs backend.
 */
export class TfMlpEngine implements PolicyValueEngine {
  readonly name = 'tfjs-mlp';
  readonly params: Float32Array;
  private cache: { actor: LayerTensors[]; critic: LayerTensors[] } | null = null;
  private cacheDirty = false;
  private kept: Kept | null = null;
  private readonly wTScratch: Float32Array;
  private xTScratch = new Float32Array(0);
  private disposed = false;

  constructor(readonly layout: ParamLayout, params: Float32Array) {
    if (params.length !== layout.size) throw new Error(`TfMlpEngine: expected ${layout.size} parameters, got ${params.length}`);
    this.params = params;
    let maxW = 0;
    for (const net of [layout.actor, layout.critic]) for (const l of net.layers) maxW = Math.max(maxW, l.in * l.out);
    this.wTScratch = new Float32Array(maxW);
  }

  paramsChanged(): void {
    this.cacheDirty = true;
  }

  forward(obs: Float32Array, n: number, logits: Float32Array, values: Float32Array): void {
    this.checkAlive();
    if (!this.cache || this.cacheDirty) {
      this.disposeCache();
      this.cache = { actor: this.uploadNet(this.layout.actor, false, true), critic: this.uploadNet(this.layout.critic, false, true) };
      this.cacheDirty = false;
    }
    const cache = this.cache;
    tf.tidy(() => {
      const x = tf.tensor2d(obs.subarray(0, n * this.layout.obsDim), [n, this.layout.obsDim]);
      readInto(this.forwardNet(this.layout.actor, cache.actor, x, null), logits);
      readInto(this.forwardNet(this.layout.critic, cache.critic, x, null), values);
    });
  }

  forwardTrain(obs: Float32Array, n: number, logits: Float32Array, values: Float32Array): void {
    this.checkAlive();
    this.releaseKept();
    const d = this.layout.obsDim;
    if (this.xTScratch.length < n * d) this.xTScratch = new Float32Array(n * d);
    transposeInto(obs, 0, n, d, this.xTScratch);
    const xT = this.xTScratch;
    this.kept = tf.tidy(() => {
      const x = tf.tensor2d(obs.subarray(0, n * d), [n, d]);
      const xTt = tf.tensor2d(xT.subarray(0, n * d), [d, n]);
      const actor: KeptNet = { weights: this.uploadNet(this.layout.actor, true, false), outputs: [], zHat: [], rstd: [] };
      const critic: KeptNet = { weights: this.uploadNet(this.layout.critic, true, false), outputs: [], zHat: [], rstd: [] };
      readInto(this.forwardNet(this.layout.actor, actor.weights, x, actor), logits);
      readInto(this.forwardNet(this.layout.critic, critic.weights, x, critic), values);
      return { n, x, xT: xTt, actor, critic } as unknown as tf.TensorContainer;
    }) as unknown as Kept;
  }

  backward(dLogits: Float32Array, dValues: Float32Array, grad: Float32Array): void {
    this.checkAlive();
    const kept = this.kept;
    if (!kept) throw new Error('TfMlpEngine.backward: call forwardTrain first');
    const n = kept.n;
    try {
      tf.tidy(() => {
        const ones = tf.ones([1, n]) as tf.Tensor2D;
        const dA = tf.tensor2d(dLogits.subarray(0, n * this.layout.numActions), [n, this.layout.numActions]);
        this.backwardNet(this.layout.actor, kept.actor, kept, dA, ones, grad);
        const dV = tf.tensor2d(dValues.subarray(0, n), [n, 1]);
        this.backwardNet(this.layout.critic, kept.critic, kept, dV, ones, grad);
      });
    } finally {
      this.releaseKept();
    }
  }

  release(): void {
    this.releaseKept();
  }

  dispose(): void {
    this.releaseKept();
    this.disposeCache();
    this.disposed = true;
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error('TfMlpEngine: used after dispose()');
  }

  private releaseKept(): void {
    if (this.kept) {
      tf.dispose(this.kept as unknown as tf.TensorContainer);
      this.kept = null;
    }
  }

  private disposeCache(): void {
    if (this.cache) tf.dispose(this.cache as unknown as tf.TensorContainer);
    this.cache = null;
  }

  /**
   * Uploads one net's parameters in the form the device computation uses. A tanh layer's
   * output h is carried as s = sigmoid(2z) (h = 2s - 1): the wasm backend's tanh is a scalar
   * libm loop ~15x slower than its vectorized sigmoid, which also fuses into the matMul. So a
   * tanh layer gets weights and bias x2, and a layer reading s instead of h gets W' = 2W and
   * b' = b - colsum(W) (since h W + b = s (2W) + b - 1ᵀW). `withT` adds W^T for the backward
   * pass, x4 when the layer below is tanh (d tanh = 4 s (1 - s)).
   */
  private uploadNet(net: NetSpec, withT: boolean, copy: boolean): LayerTensors[] {
    const p = this.params;
    return net.layers.map((l, i) => {
      const inSig = i > 0 && net.layers[i - 1].activation === 'tanh';
      const outScale = l.activation === 'tanh' && !l.layerNorm ? 2 : 1;
      const wScale = (inSig ? 2 : 1) * outScale;
      let w: Float32Array;
      let b: Float32Array;
      if (wScale === 1 && !inSig) {
        w = copy ? p.slice(l.wOffset, l.wOffset + l.in * l.out) : p.subarray(l.wOffset, l.wOffset + l.in * l.out);
        b = copy ? p.slice(l.bOffset, l.bOffset + l.out) : p.subarray(l.bOffset, l.bOffset + l.out);
      } else {
        w = new Float32Array(l.in * l.out);
        b = new Float32Array(l.out);
        for (let j = 0; j < l.out; j++) b[j] = p[l.bOffset + j];
        for (let r = 0, o = l.wOffset; r < l.in; r++) {
          for (let j = 0; j < l.out; j++, o++) {
            const v = p[o];
            w[r * l.out + j] = v * wScale;
            if (inSig) b[j] -= v;
          }
        }
        if (outScale !== 1) for (let j = 0; j < l.out; j++) b[j] *= outScale;
      }
      let wT: tf.Tensor2D | null = null;
      if (withT && i > 0) {
        transposeInto(p, l.wOffset, l.in, l.out, this.wTScratch);
        const t = this.wTScratch.slice(0, l.in * l.out);
        if (inSig) for (let k = 0; k < t.length; k++) t[k] *= 4;
        wT = tf.tensor2d(t, [l.out, l.in]);
      }
      const view = (o: number, len: number) => (copy ? p.slice(o, o + len) : p.subarray(o, o + len));
      return {
        w: tf.tensor2d(w, [l.in, l.out]),
        b: tf.tensor1d(b),
        wT,
        gamma: l.layerNorm ? tf.tensor1d(view(l.lnGammaOffset, l.out)) : null,
        beta: l.layerNorm ? tf.tensor1d(view(l.lnBetaOffset, l.out)) : null,
      };
    });
  }

  private forwardNet(net: NetSpec, weights: LayerTensors[], x: tf.Tensor2D, keep: KeptNet | null): tf.Tensor2D {
    let a = x;
    net.layers.forEach((l, i) => {
      const wt = weights[i];
      let zHat: tf.Tensor2D | null = null;
      let rstd: tf.Tensor2D | null = null;
      let h: tf.Tensor2D;
      if (l.layerNorm) {
        const z = tf.fused.matMul({ a, b: wt.w, bias: wt.b }) as tf.Tensor2D;
        const mean = tf.mean(z, 1, true);
        const zc = tf.sub(z, mean);
        const variance = tf.mean(tf.square(zc), 1, true);
        rstd = tf.rsqrt(tf.add(variance, LAYER_NORM_EPS)) as tf.Tensor2D;
        zHat = tf.mul(zc, rstd) as tf.Tensor2D;
        h = activate(tf.add(tf.mul(zHat, wt.gamma!), wt.beta!) as tf.Tensor2D, l);
      } else {
        const activation = l.activation === 'relu' ? 'relu' : l.activation === 'tanh' ? 'sigmoid' : 'linear';
        h = tf.fused.matMul({ a, b: wt.w, bias: wt.b, activation }) as tf.Tensor2D;
      }
      if (keep) {
        keep.outputs.push(h);
        keep.zHat.push(zHat);
        keep.rstd.push(rstd);
      }
      a = h;
    });
    return a;
  }

  /** Backpropagates dOut (d loss / d net output) through one net; writes its gradient. */
  private backwardNet(net: NetSpec, k: KeptNet, kept: Kept, dOut: tf.Tensor2D, ones: tf.Tensor2D, grad: Float32Array): void {
    let dZ = dOut;
    for (let i = net.layers.length - 1; i >= 0; i--) {
      const l = net.layers[i];
      const aT = i === 0 ? kept.xT : (tf.transpose(k.outputs[i - 1]) as tf.Tensor2D);
      readInto(tf.matMul(aT, dZ), grad, l.wOffset);
      readInto(tf.matMul(ones, dZ), grad, l.bOffset);
      if (i > 0 && net.layers[i - 1].activation === 'tanh') {
        // the input was s = (h + 1) / 2: dW = h^T dZ = 2 s^T dZ - 1 db
        for (let r = 0, o = l.wOffset; r < l.in; r++) for (let j = 0; j < l.out; j++, o++) grad[o] = 2 * grad[o] - grad[l.bOffset + j];
      }
      if (i === 0) break;
      const dA = tf.matMul(dZ, k.weights[i].wT!) as tf.Tensor2D;
      const prev = net.layers[i - 1];
      const dY = activationGrad(dA, k.outputs[i - 1], prev);
      if (prev.layerNorm) {
        const zHat = k.zHat[i - 1]!;
        readInto(tf.matMul(ones, tf.mul(dY, zHat)), grad, prev.lnGammaOffset);
        readInto(tf.matMul(ones, dY), grad, prev.lnBetaOffset);
        const dzHat = tf.mul(dY, k.weights[i - 1].gamma!) as tf.Tensor2D;
        // layer norm backward: rstd * (dzHat - mean(dzHat) - zHat * mean(dzHat * zHat))
        const m1 = tf.mean(dzHat, 1, true);
        const m2 = tf.mean(tf.mul(dzHat, zHat), 1, true);
        dZ = tf.mul(k.rstd[i - 1]!, tf.sub(tf.sub(dzHat, m1), tf.mul(zHat, m2))) as tf.Tensor2D;
      } else {
        dZ = dY;
      }
    }
  }
}

/** The activation in device form: tanh layers output s = sigmoid(2z) (see uploadNet). */
function activate(z: tf.Tensor2D, l: LayerSpec): tf.Tensor2D {
  if (l.activation === 'relu') return tf.relu(z) as tf.Tensor2D;
  if (l.activation === 'tanh') return tf.sigmoid(tf.mul(z, 2)) as tf.Tensor2D;
  return z;
}

/**
 * d loss / d z from the output h in device form and g = dA (already x4 for tanh through the
 * uploaded W^T): relu: g * step(h); tanh: g * s (1 - s), which is dh * (1 - tanh^2).
 */
function activationGrad(dA: tf.Tensor2D, h: tf.Tensor2D, l: LayerSpec): tf.Tensor2D {
  if (l.activation === 'relu') return tf.mul(dA, tf.step(h)) as tf.Tensor2D;
  if (l.activation === 'tanh') return tf.mul(dA, tf.sub(h, tf.square(h))) as tf.Tensor2D;
  return dA;
}
