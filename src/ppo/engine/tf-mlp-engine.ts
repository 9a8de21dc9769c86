import * as tf from '@tensorflow/tfjs-core';
import type { PolicyValueEngine } from './engine.js';
import { LAYER_NORM_EPS, type ParamLayout } from './layout.js';
import { deviceNets, deviceWeights, deviceWeightsT, scatterGrad, type DeviceLayer, type DeviceNet } from './device-net.js';
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
  /** outputs[l] = activation output of layer l in device form (the input of layer l+1). */
  outputs: tf.Tensor2D[];
  /** Layer norm intermediates per layer (normalized z, 1/std), when enabled. */
  zHat: (tf.Tensor2D | null)[];
  rstd: (tf.Tensor2D | null)[];
}

interface Kept {
  n: number;
  x: tf.Tensor2D;
  xT: tf.Tensor2D;
  nets: KeptNet[];
}

export interface TfMlpEngineOptions {
  /** Run actor and critic as one block-diagonal net (default false; see device-net.ts). */
  merge?: boolean;
}

/**
 * The MLP engine on TensorFlow.js ops, with a hand-written backward pass. tfjs' autodiff
 * computes the weight gradients with `matMul(..., transposeA/B)`, which the wasm backend runs
 * 10-20x slower than a plain `matMul`; here every product is a plain `matMul(a, b)` on
 * explicitly transposed operands (activations transposed on the device, weights transposed in
 * JS), the forward pass uses fused matMul + bias + activation, tanh runs as a sigmoid (see
 * device-net.ts), bias gradients are `ones @ dZ`, and results are read straight from the wasm
 * heap. Works on every tfjs backend.
 */
export class TfMlpEngine implements PolicyValueEngine {
  readonly name = 'tfjs-mlp';
  readonly params: Float32Array;
  readonly nets: DeviceNet[];
  private cache: LayerTensors[][] | null = null;
  private cacheDirty = false;
  private kept: Kept | null = null;
  private readonly wScratch: Float32Array[][];
  private readonly bScratch: Float32Array[][];
  private readonly wTScratch: Float32Array[][];
  private readonly gradW: Float32Array;
  private readonly gradB: Float32Array;
  private xTScratch = new Float32Array(0);
  private outScratch = new Float32Array(0);
  private disposed = false;

  constructor(readonly layout: ParamLayout, params: Float32Array, opts: TfMlpEngineOptions = {}) {
    if (params.length !== layout.size) throw new Error(`TfMlpEngine: expected ${layout.size} parameters, got ${params.length}`);
    this.params = params;
    this.nets = deviceNets(layout, opts.merge ?? false);
    this.wScratch = this.nets.map((n) => n.layers.map((l) => new Float32Array(l.in * l.out)));
    this.bScratch = this.nets.map((n) => n.layers.map((l) => new Float32Array(l.out)));
    this.wTScratch = this.nets.map((n) => n.layers.map((l) => new Float32Array(l.in * l.out)));
    let maxW = 0;
    let maxB = 0;
    for (const n of this.nets) for (const l of n.layers) { maxW = Math.max(maxW, l.in * l.out); maxB = Math.max(maxB, l.out); }
    this.gradW = new Float32Array(maxW);
    this.gradB = new Float32Array(maxB);
  }

  paramsChanged(): void {
    this.cacheDirty = true;
  }

  forward(obs: Float32Array, n: number, logits: Float32Array, values: Float32Array): void {
    this.checkAlive();
    if (!this.cache || this.cacheDirty) {
      this.disposeCache();
      this.cache = this.nets.map((net) => this.upload(net, -1, false));
      this.cacheDirty = false;
    }
    const cache = this.cache;
    tf.tidy(() => {
      const x = tf.tensor2d(obs.subarray(0, n * this.layout.obsDim), [n, this.layout.obsDim]);
      this.nets.forEach((net, k) => this.readOutputs(net, this.forwardNet(net, cache[k], x, null), n, logits, values));
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
      const nets = this.nets.map((net, k) => {
        const kn: KeptNet = { weights: this.upload(net, k, true), outputs: [], zHat: [], rstd: [] };
        this.readOutputs(net, this.forwardNet(net, kn.weights, x, kn), n, logits, values);
        return kn;
      });
      return { n, x, xT: xTt, nets } as unknown as tf.TensorContainer;
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
        this.nets.forEach((net, k) => {
          const outDim = net.layers[net.layers.length - 1].out;
          const dOut = this.outBuffer(n * outDim);
          for (let r = 0; r < n; r++) {
            for (let j = 0; j < net.logitCols; j++) dOut[r * outDim + j] = dLogits[r * net.logitCols + j];
            if (net.valueCol >= 0) dOut[r * outDim + net.valueCol] = dValues[r];
          }
          this.backwardNet(net, kept.nets[k], kept, tf.tensor2d(dOut.slice(0, n * outDim), [n, outDim]), ones, grad);
        });
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

  private outBuffer(size: number): Float32Array {
    if (this.outScratch.length < size) this.outScratch = new Float32Array(size);
    return this.outScratch;
  }

  /** Splits a net's output `[n, out]` into logits and/or values. */
  private readOutputs(net: DeviceNet, out: tf.Tensor2D, n: number, logits: Float32Array, values: Float32Array): void {
    const outDim = out.shape[1];
    if (net.logitCols === outDim) {
      readInto(out, logits);
      return;
    }
    const buf = this.outBuffer(n * outDim);
    readInto(out, buf);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < net.logitCols; j++) logits[r * net.logitCols + j] = buf[r * outDim + j];
      if (net.valueCol >= 0) values[r] = buf[r * outDim + net.valueCol];
    }
  }

  /**
   * Uploads one net's parameters in device form. `k` >= 0: training upload from the per-layer
   * scratch (the tensors die before the scratch is rewritten) plus W^T for the backward pass;
   * k < 0: the inference cache, from fresh arrays (a backend may keep the array it was given).
   */
  private upload(net: DeviceNet, k: number, withT: boolean): LayerTensors[] {
    const p = this.params;
    return net.layers.map((l, i) => {
      const w = k >= 0 ? this.wScratch[k][i] : new Float32Array(l.in * l.out);
      const b = k >= 0 ? this.bScratch[k][i] : new Float32Array(l.out);
      let wT: tf.Tensor2D | null = null;
      if (withT && i > 0) {
        const t = this.wTScratch[k][i];
        deviceWeightsT(l, p, t);
        wT = tf.tensor2d(t, [l.out, l.in]);
      }
      const blk = l.blocks[0];
      const transformed = deviceWeights(l, p, w, b, k < 0);
      const ln = (o: number) => tf.tensor1d(k < 0 ? p.slice(o, o + l.out) : p.subarray(o, o + l.out));
      return {
        w: transformed ? tf.tensor2d(w, [l.in, l.out]) : tf.tensor2d(p.subarray(blk.wOffset, blk.wOffset + l.in * l.out), [l.in, l.out]),
        b: transformed ? tf.tensor1d(b) : tf.tensor1d(p.subarray(blk.bOffset, blk.bOffset + l.out)),
        wT,
        gamma: l.layerNorm ? ln(l.lnGammaOffset) : null,
        beta: l.layerNorm ? ln(l.lnBetaOffset) : null,
      };
    });
  }

  private forwardNet(net: DeviceNet, weights: LayerTensors[], x: tf.Tensor2D, keep: KeptNet | null): tf.Tensor2D {
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
  private backwardNet(net: DeviceNet, k: KeptNet, kept: Kept, dOut: tf.Tensor2D, ones: tf.Tensor2D, grad: Float32Array): void {
    let dZ = dOut;
    for (let i = net.layers.length - 1; i >= 0; i--) {
      const l = net.layers[i];
      const aT = i === 0 ? kept.xT : (tf.transpose(k.outputs[i - 1]) as tf.Tensor2D);
      readInto(tf.matMul(aT, dZ), this.gradW);
      readInto(tf.matMul(ones, dZ), this.gradB);
      scatterGrad(l, this.gradW, this.gradB, grad);
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

/** The activation in device form: tanh layers output s = sigmoid(2z) (see device-net.ts). */
function activate(z: tf.Tensor2D, l: DeviceLayer): tf.Tensor2D {
  if (l.activation === 'relu') return tf.relu(z) as tf.Tensor2D;
  if (l.activation === 'tanh') return tf.sigmoid(tf.mul(z, 2)) as tf.Tensor2D;
  return z;
}

/**
 * d loss / d z from the output h in device form and g = dA (already x4 for tanh through the
 * uploaded W^T): relu: g * step(h); tanh: g * s (1 - s), which is dh * (1 - tanh^2).
 */
function activationGrad(dA: tf.Tensor2D, h: tf.Tensor2D, l: DeviceLayer): tf.Tensor2D {
  if (l.activation === 'relu') return tf.mul(dA, tf.step(h)) as tf.Tensor2D;
  if (l.activation === 'tanh') return tf.mul(dA, tf.sub(h, tf.square(h))) as tf.Tensor2D;
  return dA;
}
