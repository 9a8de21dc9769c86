/**
 * Rollout storage for `nSteps` vectorized steps of `numEnvs` envs (SB3 `buffers.py`), with the
 * action masks, and GAE(lambda) computed backwards. Arrays are `[nSteps * numEnvs (* dim)]`,
 * step-major (index `t * numEnvs + e`), allocated once.
 *
 * Episode ends: `dones[t, e]` = the episode ended at step t (terminal or time limit). For a
 * time-limit truncation `finalValues[t, e]` holds V(final observation), which bootstraps the
 * return instead of 0 (SB3 adds gamma * V(terminal_observation) to the reward; same result).
 */
export class RolloutBuffer {
  readonly size: number;
  readonly obs: Float32Array;
  readonly masks: Uint8Array;
  readonly actions: Int32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  readonly rewards: Float32Array;
  readonly dones: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalValues: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  pos = 0;

  constructor(readonly nSteps: number, readonly numEnvs: number, readonly obsDim: number, readonly numActions: number) {
    const n = nSteps * numEnvs;
    this.size = n;
    this.obs = new Float32Array(n * obsDim);
    this.masks = new Uint8Array(n * numActions);
    this.actions = new Int32Array(n);
    this.logProbs = new Float32Array(n);
    this.values = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.dones = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.finalValues = new Float32Array(n);
    this.advantages = new Float32Array(n);
    this.returns = new Float32Array(n);
  }

  get full(): boolean {
    return this.pos === this.nSteps;
  }

  reset(): void {
    this.pos = 0;
    this.truncated.fill(0);
    this.finalValues.fill(0);
  }

  /**
   * Appends one vectorized step. `finalValues` is read only where `truncated[e]`.
   */
  add(
    obs: Float32Array,
    masks: Uint8Array,
    actions: Int32Array,
    logProbs: Float32Array,
    values: Float32Array,
    rewards: Float32Array,
    terminated: Uint8Array,
    truncated: Uint8Array,
    finalValues: Float32Array,
  ): void {
    if (this.pos >= this.nSteps) throw new Error('RolloutBuffer.add: buffer is full');
    const E = this.numEnvs;
    const t0 = this.pos * E;
    this.obs.set(obs.subarray(0, E * this.obsDim), t0 * this.obsDim);
    this.masks.set(masks.subarray(0, E * this.numActions), t0 * this.numActions);
    for (let e = 0; e < E; e++) {
      const i = t0 + e;
      this.actions[i] = actions[e];
      this.logProbs[i] = logProbs[e];
      this.values[i] = values[e];
      this.rewards[i] = rewards[e];
      const tr = truncated[e] && !terminated[e] ? 1 : 0;
      this.dones[i] = terminated[e] || truncated[e] ? 1 : 0;
      this.truncated[i] = tr;
      this.finalValues[i] = tr ? finalValues[e] : 0;
    }
    this.pos += 1;
  }

  /**
   * GAE(lambda) backwards over the filled steps (Schulman et al. 2016; SB3
   * `compute_returns_and_advantage`); `lastValues[e]` = V(observation after the last step).
   * returns = advantages + values (the value targets, TD(lambda)).
   */
  computeReturnsAndAdvantage(lastValues: Float32Array, gamma: number, gaeLambda: number): void {
    computeGae(this.rewards, this.values, this.dones, this.truncated, this.finalValues, lastValues, this.pos, this.numEnvs, gamma, gaeLambda, this.advantages, this.returns);
  }
}

/**
 * GAE over `nSteps` x `numEnvs` step-major arrays. At an episode end the chain is cut; a
 * terminal bootstraps 0, a truncation bootstraps `finalValues`. Exported for the unit test.
 */
export function computeGae(
  rewards: Float32Array,
  values: Float32Array,
  dones: Uint8Array,
  truncated: Uint8Array,
  finalValues: Float32Array,
  lastValues: Float32Array,
  nSteps: number,
  numEnvs: number,
  gamma: number,
  gaeLambda: number,
  advantages: Float32Array,
  returns: Float32Array,
): void {
  for (let e = 0; e < numEnvs; e++) {
    let lastGae = 0;
    for (let t = nSteps - 1; t >= 0; t--) {
      const i = t * numEnvs + e;
      let nextValue: number;
      let cont: number; // 1 when the GAE chain continues into step t+1
      if (dones[i]) {
        nextValue = truncated[i] ? finalValues[i] : 0;
        cont = 0;
      } else {
        nextValue = t === nSteps - 1 ? lastValues[e] : values[i + numEnvs];
        cont = 1;
      }
      const delta = rewards[i] + gamma * nextValue - values[i];
      lastGae = delta + gamma * gaeLambda * cont * lastGae;
      advantages[i] = lastGae;
      returns[i] = lastGae + values[i];
    }
  }
}
