import type { ScheduleSpec } from './schedule-string.js';

/** Where a stage's instances come from. */
export type DataSource =
  | { kind: 'snapshot'; path: string }
  | { kind: 'profile'; profile: string; seed: number | null }
  /** Opaque here: `mysql` URL plus whatever options the database loader accepts. */
  | { kind: 'database'; mysql: string; options: Record<string, unknown> };

export interface PpoConfig {
  learningRate: ScheduleSpec;
  /** Steps per environment per rollout (the rollout is nSteps * nEnvs samples). */
  nSteps: number;
  batchSize: number;
  nEpochs: number;
  gamma: number;
  gaeLambda: number;
  clipRange: ScheduleSpec;
  clipRangeVf: ScheduleSpec | null;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
  targetKl: number | null;
  normalizeAdvantage: boolean;
}

export interface PolicyConfig {
  /** Hidden sizes of the actor (pi) and critic (vf) MLPs. */
  netArch: { pi: number[]; vf: number[] };
  activation: 'relu' | 'tanh';
  layerNorm: boolean;
}

export interface NormalizeConfig {
  obs: boolean;
  reward: boolean;
  clipObs: number;
  clipReward: number;
  epsilon: number;
}

export interface EnvConfig {
  candidateSlots: number;
  reward: { onTime: number; earlyPerDay: number; latePerDay: number; action: number; makespan: number };
  variation: { durationJitter: number; dueShiftDays: number; jobSubset: number };
}

export interface EvalConfig {
  freq: number;
  episodes: number;
  seedOffset: number;
  deterministic: boolean;
}

export interface SuccessConfig {
  completionRate: number;
  onTimeRate: number;
  minEvals: number;
}

export interface StageConfig {
  name: string;
  /** 0-based position in the curriculum. */
  index: number;
  data: DataSource;
  timesteps: number;
  nEnvs: number;
  ppo: PpoConfig;
  policy: PolicyConfig;
  normalize: NormalizeConfig;
  env: EnvConfig;
  eval: EvalConfig;
  checkpoint: { freq: number };
  /** null: the stage always runs its whole budget. */
  success: SuccessConfig | null;
  maxStageTimeMinutes: number | null;
}

export interface CurriculumConfig {
  /** The file it was loaded from (or a label). */
  source: string;
  description: string | null;
  seed: number;
  stages: StageConfig[];
}
