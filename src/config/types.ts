import type { Placement } from '../env/config.js';
import type { ScheduleSpec } from './schedule-string.js';

/** Where a stage's instances come from. */
export type DataSource =
  | { kind: 'snapshot'; path: string }
  /** Many files (a plant's history): globs or paths, and the held-out rule (a count of newest files, or a list). */
  | { kind: 'snapshots'; snapshots: string | string[]; eval: number | string[]; test: number | string[] }
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
  /** The weights in force: the preset's, with the weights the config gives on top. */
  reward: { preset: 'seed' | 'kpi'; onTime: number; earlyPerDay: number; latePerDay: number; action: number; makespan: number };
  variation: { durationJitter: number; dueShiftDays: number; jobSubset: number };
  /** Whether a task may go into an idle gap between placed tasks (docs/environment.md). */
  placement: Placement;
}

export interface EvalConfig {
  freq: number;
  episodes: number;
  seedOffset: number;
  deterministic: boolean;
}

export interface SuccessConfig {
  completionRate: number;
  /** 0 when only `beatBestRule` is asked. */
  onTimeRate: number;
  minEvals: number;
  /**
   * Also require the evaluation to be at least as good as the best dispatching rule on the same
   * held-out instances, on each KPI against the rule best at it (on-time rate and mean days
   * late; the makespan for makespan-objective instances).
   */
  beatBestRule: boolean;
}

/** Behaviour cloning of a dispatching rule before the stage's PPO (src/curriculum/pretrain.ts). */
export interface PretrainConfig {
  /** A rule name, or `best`: the rule best on the stage's training instances. */
  rule: string;
  /** Teacher episodes on (varied) training instances. */
  episodes: number;
  /** 0: the rule itself; N > 0: per episode, the best of the rule and N runs of it that take a random conflict-set candidate at `epsilon` of decisions (self-labeling). */
  samples: number;
  epsilon: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  vfCoef: number;
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
  /** null: the stage starts PPO from the model it has. */
  pretrain: PretrainConfig | null;
  maxStageTimeMinutes: number | null;
}

export interface CurriculumConfig {
  /** The file it was loaded from (or a label). */
  source: string;
  description: string | null;
  seed: number;
  stages: StageConfig[];
}
