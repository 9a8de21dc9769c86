import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SchedError } from '../../errors.js';
import type { Adam } from '../adam.js';
import type { PolicyValueEngine } from './engine.js';
import type { NetSpec, ParamLayout } from './layout.js';

/** The Node-API addon built from native/ (native/src/sched_native.cc). */
export interface NativeAddon {
  create(obsDim: number, numActions: number, desc: Int32Array, paramCount: number): unknown;
  forward(handle: unknown, params: Float32Array, obs: Float32Array, n: number, logits: Float32Array, values: Float32Array, train: boolean): void;
  backward(handle: unknown, params: Float32Array, dLogits: Float32Array, dValues: Float32Array, grad: Float32Array): void;
  release(handle: unknown): void;
  /** Frees the engine's buffers at once; the handle is unusable afterwards. */
  destroy(handle: unknown): void;
  clipAndAdam(params: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, lr: number, step: number, beta1: number, beta2: number, eps: number, maxNorm: number): number;
  setThreads(n: number): void;
  info(): { threads: number; config: string; corename: string };
}

/** Where `npm ci` (node-gyp, native/binding.gyp) puts the addon. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL('../../../native/build/Release/sched_native.node', import.meta.url));

const INSTALL_HINT = 'install OpenBLAS and a C++ compiler (apt-get install libopenblas-dev g++ make), then run npm ci or npm run build:native';

let cached: NativeAddon | string | null = null;

/**
 * The native addon, or one sentence saying why it cannot be used (not built, or built but
 * OpenBLAS missing at run time) and what to install. Loaded once per process.
 */
export function loadNativeAddon(): NativeAddon | string {
  if (cached !== null) return cached;
  if (!existsSync(NATIVE_ADDON_PATH)) {
    cached = `the native engine is not built (no ${NATIVE_ADDON_PATH}): ${INSTALL_HINT}`;
    return cached;
  }
  try {
    cached = createRequire(import.meta.url)(NATIVE_ADDON_PATH) as NativeAddon;
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    cached = /openblas/i.test(msg)
      ? `the native engine cannot find OpenBLAS (${msg}): apt-get install libopenblas0, or ${INSTALL_HINT}`
      : `the native engine failed to load (${msg}): ${INSTALL_HINT}`;
  }
  return cached;
}

/** The addon, or SchedError('BACKEND') with the reason. */
export function requireNativeAddon(): NativeAddon {
  const addon = loadNativeAddon();
  if (typeof addon === 'string') throw new SchedError('BACKEND', `the native backend cannot be used: ${addon}`);
  return addon;
}

const ACTIVATION_CODE = { linear: 0, relu: 1, tanh: 2 } as const;

/**
 * The layout as the addon reads it: number of nets, then per net (actor, critic) whether its
 * output is the value, its number of layers, and per layer in, out, activation, layer norm and
 * the offsets of W, b, gamma, beta in the flat parameter vector.
 */
export function nativeLayerDescription(layout: ParamLayout): Int32Array {
  const out: number[] = [2];
  const net = (spec: NetSpec, valuesOut: number) => {
    out.push(valuesOut, spec.layers.length);
    for (const l of spec.layers) out.push(l.in, l.out, ACTIVATION_CODE[l.activation], l.layerNorm ? 1 : 0, l.wOffset, l.bOffset, l.lnGammaOffset, l.lnBetaOffset);
  };
  net(layout.actor, 0);
  net(layout.critic, 1);
  return Int32Array.from(out);
}

/**
 * The MLP engine in native code: OpenBLAS `cblas_sgemm` with transpose flags (no explicit
 * transposes), bias and activation fused in one pass, tanh and ReLU computed as themselves,
 * the weight and bias gradients written straight into the flat gradient, and gradient clipping
 * + Adam fused in one native pass (`clipAndAdam`). Same layout, same
 * math as `TfMlpEngine`, so checkpoints move freely between the two. The parameters stay in
 * the JavaScript `params` vector, which the addon reads on every call (nothing to upload:
 * `paramsChanged` is free). Threads: `NativeAddon.setThreads` (process-wide, see backend.ts).
 */
export class NativeMlpEngine implements PolicyValueEngine {
  readonly name = 'native-mlp';
  readonly params: Float32Array;
  private readonly addon: NativeAddon;
  private handle: unknown;
  private kept = false;

  constructor(readonly layout: ParamLayout, params: Float32Array, addon: NativeAddon = requireNativeAddon()) {
    if (params.length !== layout.size) throw new Error(`NativeMlpEngine: expected ${layout.size} parameters, got ${params.length}`);
    this.params = params;
    this.addon = addon;
    this.handle = addon.create(layout.obsDim, layout.numActions, nativeLayerDescription(layout), layout.size);
  }

  paramsChanged(): void {
    // the addon reads `params` itself on every call
  }

  forward(obs: Float32Array, n: number, logits: Float32Array, values: Float32Array): void {
    this.addon.forward(this.alive(), this.params, obs, n, logits, values, false);
  }

  forwardTrain(obs: Float32Array, n: number, logits: Float32Array, values: Float32Array): void {
    this.addon.forward(this.alive(), this.params, obs, n, logits, values, true);
    this.kept = true;
  }

  backward(dLogits: Float32Array, dValues: Float32Array, grad: Float32Array): void {
    const h = this.alive();
    if (!this.kept) throw new Error('NativeMlpEngine.backward: call forwardTrain first');
    this.kept = false;
    this.addon.backward(h, this.params, dLogits, dValues, grad);
  }

  clipAndAdam(grad: Float32Array, adam: Adam, lr: number, maxNorm: number): number {
    this.alive();
    const norm = this.addon.clipAndAdam(this.params, grad, adam.m, adam.v, lr, adam.step + 1, adam.beta1, adam.beta2, adam.eps, maxNorm);
    if (Number.isFinite(norm)) adam.step += 1;
    return norm;
  }

  release(): void {
    if (this.handle !== null) this.addon.release(this.handle);
    this.kept = false;
  }

  dispose(): void {
    if (this.handle !== null) this.addon.destroy(this.handle);
    this.handle = null;
    this.kept = false;
  }

  private alive(): unknown {
    if (this.handle === null) throw new Error('NativeMlpEngine: used after dispose()');
    return this.handle;
  }
}
