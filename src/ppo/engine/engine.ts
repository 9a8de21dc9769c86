import type { Adam } from '../adam.js';
import type { ParamLayout } from './layout.js';

/**
 * The network and its gradient, behind one small interface so that a faster engine (a native
 * kernel, a GPU backend) can replace it without touching the PPO logic. The engine knows
 * nothing of PPO: it maps observations to logits and values, and backpropagates a gradient
 * given with respect to those outputs. Parameters live in one flat `params` vector (layout in
 * `layout`), owned by the engine; the optimizer updates it in place and then calls
 * `paramsChanged()`.
 */
export interface PolicyValueEngine {
  readonly name: string;
  readonly layout: ParamLayout;
  readonly params: Float32Array;
  /** Must be called after `params` was modified (drops cached device copies). */
  paramsChanged(): void;
  /** Inference: `obs` `[n * obsDim]` -> `logits` `[n * numActions]`, `values` `[n]`. Keeps nothing. */
  forward(obs: Float32Array, n: number, logits: Float32Array, values: Float32Array): void;
  /** Like `forward`, and keeps what `backward` needs. */
  forwardTrain(obs: Float32Array, n: number, logits: Float32Array, values: Float32Array): void;
  /**
   * After `forwardTrain`: writes d(loss)/d(params) into `grad` (`[layout.size]`), given
   * d(loss)/d(logits) and d(loss)/d(values) of that batch, and frees the kept state.
   */
  backward(dLogits: Float32Array, dValues: Float32Array, grad: Float32Array): void;
  /** Drops what `forwardTrain` kept without a backward pass (e.g. an update skipped by target_kl). */
  release(): void;
  /**
   * Optional, for engines that can do it faster than adam.ts: clips `grad` to global norm
   * `maxNorm` and applies one `adam` step to `params` (exactly `clipGradNorm` then
   * `adam.apply`), returning the norm before clipping; when that norm is not finite, nothing
   * is changed. Calls `paramsChanged` itself.
   */
  clipAndAdam?(grad: Float32Array, adam: Adam, lr: number, maxNorm: number): number;
  /** Frees device memory; the engine is unusable afterwards. */
  dispose(): void;
}
