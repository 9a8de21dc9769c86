/**
 * The contract between a vectorized environment and the PPO learner. The scheduling
 * environment (src/env) and CartPole (src/ppo/cartpole) both implement it; the learner knows
 * nothing else about them.
 *
 * Layout: all buffers are preallocated and owned by the environment; `obs` is
 * `[numEnvs * obsDim]`, `masks` is `[numEnvs * numActions]` (1 = the action is valid).
 * `step` auto-resets finished environments, like SB3's VecEnv: after it, `obs`/`masks` of a
 * finished env already hold its next episode's first observation, while `finalObs` holds the
 * observation the episode ended on (for bootstrapping a time-limit truncation).
 */
export interface VecEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly numActions: number;
  readonly obs: Float32Array;
  readonly masks: Uint8Array;
  readonly rewards: Float32Array;
  /** 1 where the episode ended in a terminal state this step. */
  readonly terminated: Uint8Array;
  /** 1 where the episode was cut by a time limit this step (not a terminal state). */
  readonly truncated: Uint8Array;
  /** For envs with terminated|truncated this step: the last observation before the reset. */
  readonly finalObs: Float32Array;
  /** Resets every env; `seed` reseeds the episode generator deterministically. */
  reset(seed?: number): void;
  /** Applies one action per env (`actions[e]`), fills rewards/dones/obs/masks. */
  step(actions: Int32Array): void;
  /** Episodes finished since the last call (moved out; the env keeps no reference). */
  drainEpisodes(): EpisodeRecord[];
}

export interface EpisodeRecord {
  env: number;
  /** Undiscounted sum of raw (unnormalized) rewards. */
  return: number;
  length: number;
  /** Environment-specific metrics, e.g. completion_rate, on_time_rate, makespan. */
  metrics?: Record<string, number>;
}
