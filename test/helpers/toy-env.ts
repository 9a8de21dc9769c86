import type { EpisodeRecord, VecEnv } from '../../src/env/vec-env.js';
import { Rng } from '../../src/util/rng.js';

/**
 * A tiny masked VecEnv for learner tests: obs 3 values, 5 actions of which a random subset
 * (at least one) is valid each step; reward = action / 4 (so higher valid actions are better);
 * episodes are cut by a time limit after `horizon` steps (truncation). Counts invalid picks.
 */
export class ToyMaskedVecEnv implements VecEnv {
  readonly obsDim = 3;
  readonly numActions = 5;
  readonly obs: Float32Array;
  readonly masks: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalObs: Float32Array;
  invalidActions = 0;
  private rng = new Rng(0);
  private t: Int32Array;
  private ret: Float64Array;
  private eps: EpisodeRecord[] = [];

  constructor(readonly numEnvs: number, readonly horizon = 5) {
    this.obs = new Float32Array(numEnvs * 3);
    this.masks = new Uint8Array(numEnvs * 5);
    this.rewards = new Float32Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.finalObs = new Float32Array(numEnvs * 3);
    this.t = new Int32Array(numEnvs);
    this.ret = new Float64Array(numEnvs);
  }

  reset(seed?: number): void {
    if (seed !== undefined) this.rng = new Rng(seed);
    for (let e = 0; e < this.numEnvs; e++) this.fresh(e);
    this.eps = [];
  }

  step(actions: Int32Array): void {
    for (let e = 0; e < this.numEnvs; e++) {
      const a = actions[e];
      if (!this.masks[e * 5 + a]) this.invalidActions++;
      this.rewards[e] = a / 4;
      this.ret[e] += a / 4;
      this.t[e]++;
      this.terminated[e] = 0;
      this.truncated[e] = this.t[e] >= this.horizon ? 1 : 0;
      if (this.truncated[e]) {
        this.finalObs.set(this.obs.subarray(e * 3, e * 3 + 3), e * 3);
        this.eps.push({ env: e, return: this.ret[e], length: this.t[e] });
        this.fresh(e);
      } else {
        this.observe(e);
      }
    }
  }

  drainEpisodes(): EpisodeRecord[] {
    const out = this.eps;
    this.eps = [];
    return out;
  }

  private fresh(e: number): void {
    this.t[e] = 0;
    this.ret[e] = 0;
    this.observe(e);
  }

  private observe(e: number): void {
    for (let i = 0; i < 3; i++) this.obs[e * 3 + i] = this.rng.normal() * 2 + i;
    let any = false;
    for (let j = 0; j < 5; j++) {
      const v = this.rng.chance(0.5) ? 1 : 0;
      this.masks[e * 5 + j] = v;
      if (v) any = true;
    }
    if (!any) this.masks[e * 5 + this.rng.int(5)] = 1;
  }
}
