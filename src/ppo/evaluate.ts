import type { VecEnv } from '../env/vec-env.js';
import type { PpoLearner } from './learner.js';

export interface EvalResult {
  episodes: number;
  meanReturn: number;
  stdReturn: number;
  meanLength: number;
  returns: number[];
}

/**
 * Runs `episodes` episodes of `env` with `learner.predict` (masks always applied, statistics
 * frozen), SB3 `evaluate_policy` style: each of the env's copies contributes its share of the
 * episodes (the first ones it finishes), so the result does not favour short episodes.
 */
export function evaluatePolicy(learner: PpoLearner, env: VecEnv, episodes: number, deterministic = true, seed = 0): EvalResult {
  const E = env.numEnvs;
  const targets = new Int32Array(E);
  for (let e = 0; e < E; e++) targets[e] = Math.floor((episodes + e) / E);
  const counts = new Int32Array(E);
  const returns: number[] = [];
  const lengths: number[] = [];
  const actions = new Int32Array(E);
  env.reset(seed);
  env.drainEpisodes();
  while (returns.length < episodes) {
    learner.predict(env.obs, env.masks, deterministic, E, actions);
    env.step(actions);
    for (const ep of env.drainEpisodes()) {
      if (counts[ep.env] < targets[ep.env]) {
        counts[ep.env]++;
        returns.push(ep.return);
        lengths.push(ep.length);
      }
    }
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
  return { episodes: returns.length, meanReturn: mean, stdReturn: std, meanLength: lengths.reduce((a, b) => a + b, 0) / lengths.length, returns };
}
