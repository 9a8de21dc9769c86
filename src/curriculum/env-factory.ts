import type { StageConfig } from '../config/types.js';
import { SchedulingVecEnv } from '../env/scheduling-vec-env.js';
import type { StageInstances } from './stage-data.js';

/** The training environment of a stage: its instance pool, reward weights and per-episode variation. */
export function makeStageEnv(stage: StageConfig, data: StageInstances, configSeed: number): SchedulingVecEnv {
  const v = stage.env.variation;
  return new SchedulingVecEnv({
    snapshots: data.train,
    numEnvs: stage.nEnvs,
    seed: (configSeed * 1_000 + stage.index) >>> 0,
    slots: stage.env.candidateSlots,
    reward: stage.env.reward,
    variation: { durationJitter: v.durationJitter, dueShiftHours: v.dueShiftDays * 24, jobKeepMin: v.jobSubset },
  });
}
