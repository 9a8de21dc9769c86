/**
 * Running mean and variance of a vector-valued stream (SB3 `running_mean_std.py`). Batches are
 * merged with the parallel algorithm of Chan, Golub & LeVeque (1979), so the result equals the
 * statistics of all data seen so far (population variance), up to the `epsilon` prior count.
 */
export class RunningMeanStd {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count: number;
  private readonly bMean: Float64Array;
  private readonly bVar: Float64Array;

  constructor(readonly size: number, epsilon = 1e-4) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = epsilon;
    this.bMean = new Float64Array(size);
    this.bVar = new Float64Array(size);
  }

  /** Adds `n` rows of `size` values from `data` (row-major). */
  update(data: ArrayLike<number>, n: number): void {
    if (n <= 0) return;
    const d = this.size;
    const bm = this.bMean.fill(0);
    const bv = this.bVar.fill(0);
    for (let r = 0; r < n; r++) for (let i = 0, o = r * d; i < d; i++) bm[i] += data[o + i];
    for (let i = 0; i < d; i++) bm[i] /= n;
    for (let r = 0; r < n; r++) {
      for (let i = 0, o = r * d; i < d; i++) {
        const x = data[o + i] - bm[i];
        bv[i] += x * x;
      }
    }
    for (let i = 0; i < d; i++) bv[i] /= n;
    this.updateFromMoments(bm, bv, n);
  }

  /** Merges a batch given by its mean, population variance and count (Chan et al.). */
  updateFromMoments(batchMean: ArrayLike<number>, batchVar: ArrayLike<number>, batchCount: number): void {
    const tot = this.count + batchCount;
    for (let i = 0; i < this.size; i++) {
      const delta = batchMean[i] - this.mean[i];
      const mA = this.var[i] * this.count;
      const mB = batchVar[i] * batchCount;
      const m2 = mA + mB + (delta * delta * this.count * batchCount) / tot;
      this.mean[i] += (delta * batchCount) / tot;
      this.var[i] = m2 / tot;
    }
    this.count = tot;
  }

  toJSON(): { mean: number[]; var: number[]; count: number } {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  /** Restores from `toJSON()` output; the caller validates the shape. */
  setState(s: { mean: readonly number[]; var: readonly number[]; count: number }): void {
    this.mean.set(s.mean);
    this.var.set(s.var);
    this.count = s.count;
  }
}
