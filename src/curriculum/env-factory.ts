import type { EnvConfig, StageConfig } from '../config/types.js';
import type { RewardWeights, VariationOptions } from '../env/config.js';
import { SchedulingVecEnv } from '../env/scheduling-vec-env.js';
import type { StageInstances } from './stage-data.js';

/** The training environment of a stage: its instance pool, reward weights, per-episode variation and placement. */
export function makeStageEnv(stage: StageConfig, data: StageInstances, configSeed: number): SchedulingVecEnv {
  return new SchedulingVecEnv({
    snapshots: data.train,
    numEnvs: stage.nEnvs,
    seed: (configSeed * 1_000 + stage.index) >>> 0,
    slots: stage.env.candidateSlots,
    reward: rewardWeights(stage.env),
    variation: stageVariation(stage),
    placement: stage.env.placement,
  });
}

/** The simulator's reward weights of a stage's env config (the preset's name is not a weight). */
export function rewardWeights(env: EnvConfig): Partial<RewardWeights> {
  const { preset: _preset, ...weights } = env.reward;
  return weights;
}

/** The simulator's per-episode variation of a stage's training episodes. */
export function stageVariation(stage: StageConfig): VariationOptions {
  const v = stage.env.variation;
  return { durationJitter: v.durationJitter, dueShiftHours: v.dueShiftDays * 24, jobKeepMin: v.jobSubset };
}
