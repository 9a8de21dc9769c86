import type { EpisodeRecord } from '../env/vec-env.js';

/** Diagnostics of one `train()` call, with Stable-Baselines3's names (`train/<key>`). */
export interface TrainDiagnostics {
  approx_kl: number;
  clip_fraction: number;
  entropy_loss: number;
  policy_gradient_loss: number;
  value_loss: number;
  loss: number;
  explained_variance: number;
  learning_rate: number;
  clip_range: number;
  clip_range_vf: number | null;
  n_updates: number;
  /** Global gradient norm before clipping, mean over minibatches. */
  grad_norm: number;
  /** Epochs run (fewer than n_epochs when target_kl stopped the update). */
  epochs: number;
  /** Seconds spent in this update. */
  train_s: number;
}

/** What one rollout produced (`rollout/*` and `time/*`). */
export interface RolloutSummary {
  steps: number;
  /** Episodes finished during this rollout (raw rewards). */
  episodes: EpisodeRecord[];
  /** Mean return / length over the last 100 episodes (SB3's ep_info_buffer), NaN if none. */
  ep_rew_mean: number;
  ep_len_mean: number;
  collect_s: number;
}

/**
 * One update's scalars under Stable-Baselines3's TensorBoard tags (`train/*`, `rollout/*`,
 * `time/*`), ready for a logger's record/dump sink. NaN/null values are left out.
 */
export function sb3Record(d: TrainDiagnostics, r: RolloutSummary, fps: number, totalTimesteps: number, iterations: number): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (k: string, v: number | null) => {
    if (v !== null && Number.isFinite(v)) out[k] = v;
  };
  for (const k of ['approx_kl', 'clip_fraction', 'entropy_loss', 'policy_gradient_loss', 'value_loss', 'loss', 'explained_variance', 'learning_rate', 'clip_range', 'clip_range_vf', 'n_updates'] as const) {
    put(`train/${k}`, d[k]);
  }
  put('rollout/ep_rew_mean', r.ep_rew_mean);
  put('rollout/ep_len_mean', r.ep_len_mean);
  put('time/fps', fps);
  put('time/total_timesteps', totalTimesteps);
  put('time/iterations', iterations);
  return out;
}
