import type { EpisodeRecord, VecEnv } from '../env/vec-env.js';
import { Rng } from '../util/rng.js';

// gymnasium CartPole-v1 constants (gymnasium/envs/classic_control/cartpole.py)
const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_CART + MASS_POLE;
const LENGTH = 0.5; // half the pole's length
const POLE_MASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02; // seconds between state updates (Euler integration)
const THETA_LIMIT = (12 * 2 * Math.PI) / 360;
const X_LIMIT = 2.4;
export const CARTPOLE_MAX_STEPS = 500;

/**
 * CartPole-v1 with gymnasium's dynamics, vectorized: obs (x, x_dot, theta, theta_dot), two
 * actions (push left / right, always valid), reward 1 per step including the last, terminal when
 * |x| > 2.4 or |theta| > 12 degrees, truncated at 500 steps; reset state uniform in +-0.05.
 * State in Float64Array (gymnasium computes in float64), observations float32.
 */
export class CartPoleVecEnv implements VecEnv {
  readonly obsDim = 4;
  readonly numActions = 2;
  readonly obs: Float32Array;
  readonly masks: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalObs: Float32Array;
  private readonly state: Float64Array;
  private readonly steps: Int32Array;
  private readonly epReturn: Float64Array;
  private rng: Rng;
  private episodes: EpisodeRecord[] = [];

  constructor(readonly numEnvs: number, seed = 0, readonly maxSteps = CARTPOLE_MAX_STEPS) {
    this.obs = new Float32Array(numEnvs * 4);
    this.masks = new Uint8Array(numEnvs * 2).fill(1);
    this.rewards = new Float32Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.finalObs = new Float32Array(numEnvs * 4);
    this.state = new Float64Array(numEnvs * 4);
    this.steps = new Int32Array(numEnvs);
    this.epReturn = new Float64Array(numEnvs);
    this.rng = new Rng(seed);
    this.reset(seed);
  }

  reset(seed?: number): void {
    if (seed !== undefined) this.rng = new Rng(seed);
    for (let e = 0; e < this.numEnvs; e++) this.resetOne(e);
    this.episodes = [];
  }

  step(actions: Int32Array): void {
    const s = this.state;
    for (let e = 0; e < this.numEnvs; e++) {
      const o = e * 4;
      let x = s[o], xDot = s[o + 1], theta = s[o + 2], thetaDot = s[o + 3];
      const force = actions[e] === 1 ? FORCE_MAG : -FORCE_MAG;
      const cos = Math.cos(theta);
      const sin = Math.sin(theta);
      const temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
      const thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - (MASS_POLE * cos * cos) / TOTAL_MASS));
      const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
      x += TAU * xDot;
      xDot += TAU * xAcc;
      theta += TAU * thetaDot;
      thetaDot += TAU * thetaAcc;
      s[o] = x; s[o + 1] = xDot; s[o + 2] = theta; s[o + 3] = thetaDot;
      this.steps[e] += 1;
      this.rewards[e] = 1;
      this.epReturn[e] += 1;
      const term = x < -X_LIMIT || x > X_LIMIT || theta < -THETA_LIMIT || theta > THETA_LIMIT;
      const trunc = !term && this.steps[e] >= this.maxSteps;
      this.terminated[e] = term ? 1 : 0;
      this.truncated[e] = trunc ? 1 : 0;
      if (term || trunc) {
        for (let i = 0; i < 4; i++) this.finalObs[o + i] = s[o + i];
        this.episodes.push({ env: e, return: this.epReturn[e], length: this.steps[e] });
        this.resetOne(e);
      } else {
        for (let i = 0; i < 4; i++) this.obs[o + i] = s[o + i];
      }
    }
  }

  drainEpisodes(): EpisodeRecord[] {
    const out = this.episodes;
    this.episodes = [];
    return out;
  }

  private resetOne(e: number): void {
    const o = e * 4;
    for (let i = 0; i < 4; i++) {
      this.state[o + i] = this.rng.uniform(-0.05, 0.05);
      this.obs[o + i] = this.state[o + i];
    }
    this.steps[e] = 0;
    this.epReturn[e] = 0;
  }
}
