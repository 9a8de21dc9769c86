import { RunningMeanStd } from './running-mean-std.js';
import type { NormalizeConfig } from './hyperparams.js';

export interface VecNormalizeJson {
  format: 'sched-vec-normalize';
  version: 1;
  config: NormalizeConfig;
  obsRms: { mean: number[]; var: number[]; count: number };
  retRms: { mean: number[]; var: number[]; count: number };
}

/**
 * VecNormalize's statistics and transforms (SB3 `vec_normalize.py`), owned by the learner
 * rather than wrapping the env: observations are standardized with a running mean/var and
 * clipped; rewards are divided by the standard deviation of the discounted return and clipped.
 * Statistics change only while `training` is true and only through `observe*` methods;
 * `normalizeObs` never updates them.
 */
export class VecNormalize {
  readonly obsRms: RunningMeanStd;
  readonly retRms: RunningMeanStd;
  training = true;
  /** Discounted return per env (for reward scaling); reset at episode ends. */
  returns: Float64Array;

  constructor(readonly obsDim: number, public numEnvs: number, readonly config: NormalizeConfig) {
    this.obsRms = new RunningMeanStd(obsDim);
    this.retRms = new RunningMeanStd(1);
    this.returns = new Float64Array(numEnvs);
  }

  /** Updates the obs statistics with n rows (only while training and obs normalization is on). */
  observeObs(obs: Float32Array, n: number): void {
    if (this.training && this.config.obs) this.obsRms.update(obs, n);
  }

  /** out = clip((obs - mean) / sqrt(var + eps)); identity copy when obs normalization is off. */
  normalizeObs(obs: Float32Array, n: number, out: Float32Array): void {
    const d = this.obsDim;
    if (!this.config.obs) {
      if (out !== obs) out.set(obs.subarray(0, n * d));
      return;
    }
    const { mean, var: v } = this.obsRms;
    const c = this.config.clipObs;
    const eps = this.config.epsilon;
    for (let r = 0; r < n; r++) {
      for (let i = 0, o = r * d; i < d; i++) {
        const x = (obs[o + i] - mean[i]) / Math.sqrt(v[i] + eps);
        out[o + i] = x < -c ? -c : x > c ? c : x;
      }
    }
  }

  /**
   * Scales one step's rewards (SB3 `_update_reward` + `normalize_reward`): updates the
   * discounted return per env and its variance (while training), writes the scaled rewards to
   * `out`, then zeroes the return of envs whose episode ended (`dones[e]`).
   */
  processRewards(rewards: Float32Array, dones: Uint8Array, out: Float32Array): void {
    const n = this.numEnvs;
    if (!this.config.reward) {
      out.set(rewards.subarray(0, n));
      return;
    }
    if (this.training) {
      for (let e = 0; e < n; e++) this.returns[e] = this.returns[e] * this.config.gamma + rewards[e];
      this.retRms.update(this.returns, n);
    }
    const s = Math.sqrt(this.retRms.var[0] + this.config.epsilon);
    const c = this.config.clipReward;
    for (let e = 0; e < n; e++) {
      const x = rewards[e] / s;
      out[e] = x < -c ? -c : x > c ? c : x;
      if (dones[e]) this.returns[e] = 0;
    }
  }

  resetReturns(): void {
    this.returns.fill(0);
  }

  /** A new number of envs (a new curriculum stage): statistics kept, returns restart at 0. */
  setNumEnvs(n: number): void {
    this.numEnvs = n;
    this.returns = new Float64Array(n);
  }

  toJSON(): VecNormalizeJson {
    return { format: 'sched-vec-normalize', version: 1, config: { ...this.config }, obsRms: this.obsRms.toJSON(), retRms: this.retRms.toJSON() };
  }

  setState(j: VecNormalizeJson): void {
    this.obsRms.setState(j.obsRms);
    this.retRms.setState(j.retRms);
  }
}
