/**
 * Adam over one flat parameter vector (PyTorch's `torch.optim.Adam` update, eps 1e-5 as SB3's
 * PPO sets it), plus global gradient-norm clipping (`clip_grad_norm_`). Flat typed arrays: the
 * state is three vectors and a step count, saved exactly with the checkpoint.
 */
export class Adam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  step = 0;

  constructor(readonly size: number, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-5) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** params -= lr * m_hat / (sqrt(v_hat) + eps), with PyTorch's bias-correction arrangement. */
  apply(params: Float32Array, grad: Float32Array, lr: number): void {
    this.step += 1;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const bc1 = 1 - Math.pow(b1, this.step);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, this.step));
    const stepSize = lr / bc1;
    const eps = this.eps;
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < this.size; i++) {
      const g = grad[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  }
}

/** The L2 norm of the whole gradient vector (NaN/Infinity if any entry is not finite). */
export function globalNorm(grad: Float32Array): number {
  let s = 0;
  for (let i = 0; i < grad.length; i++) s += grad[i] * grad[i];
  return Math.sqrt(s);
}

/**
 * Scales `grad` in place so that its global norm is at most `maxNorm` (PyTorch
 * `clip_grad_norm_`: factor maxNorm / (norm + 1e-6) when below 1). Returns the norm before.
 */
export function clipGradNorm(grad: Float32Array, maxNorm: number): number {
  const norm = globalNorm(grad);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (let i = 0; i < grad.length; i++) grad[i] *= coef;
  return norm;
}
