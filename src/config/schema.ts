/**
 * The zod schema of a curriculum file (configs/curriculum.yaml): RL-Zoo-like YAML with
 * snake_case keys and SB3's hyperparameter names. Every mapping is strict (an unknown key,
 * e.g. a typo, is an error). Defaults below apply when neither the stage nor the file's
 * `defaults` gives a value; docs/configuration.md lists them all.
 */
import { z } from 'zod';
import { DatabaseSourceSchema } from '../db/source.js';
import { DEFAULT_PLACEMENT, PLACEMENTS, type Placement } from '../env/config.js';
import { parseScheduleValue } from './schedule-string.js';

export const DEFAULTS = {
  seed: 0,
  nEnvs: 8,
  ppo: {
    learningRate: 3e-4,
    nSteps: 2048,
    batchSize: 64,
    nEpochs: 10,
    gamma: 0.99,
    gaeLambda: 0.95,
    clipRange: 0.2,
    clipRangeVf: null,
    entCoef: 0,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
    targetKl: null,
    normalizeAdvantage: true,
  },
  policy: { netArch: [256, 128, 64], activation: 'relu', layerNorm: false },
  normalize: { obs: true, reward: true, clipObs: 10, clipReward: 10, epsilon: 1e-8 },
  env: {
    candidateSlots: 32,
    /** The reward presets; `reward.preset` picks one, and any weight given overrides it. */
    rewardPresets: {
      /** The seed project's weights (SPEC.md): pays for earliness and per decision. */
      seed: { onTime: 100, earlyPerDay: 50, latePerDay: -30, action: 15, makespan: -10 },
      /** The KPIs only: a job on time, minus its days late; nothing for earliness or per decision. */
      kpi: { onTime: 100, earlyPerDay: 0, latePerDay: -30, action: 0, makespan: -10 },
    },
    rewardPreset: 'seed',
    variation: { durationJitter: 0.1, dueShiftDays: 1, jobSubset: 1 },
    placement: DEFAULT_PLACEMENT,
  },
  eval: { freq: 10_000, episodes: 5, seedOffset: 1_000_000, deterministic: true },
  checkpoint: { freq: 50_000 },
  success: { completionRate: 1, minEvals: 1, beatBestRule: false },
  pretrain: { episodes: 16, samples: 0, epsilon: 0.05, epochs: 10, batchSize: 256, learningRate: 1e-3, vfCoef: 0.5 },
  history: { eval: 1, test: 1 },
} as const;

const D = DEFAULTS;
const posInt = z.number().int().positive();
const posNum = z.number().positive();
const nonNeg = z.number().nonnegative();
const finite = z.number();
const unit = z.number().gte(0).lte(1);

/** A learning rate or clip range: a positive number or "lin_<number>". */
const schedule = z.unknown().superRefine((v, ctx) => {
  const r = parseScheduleValue(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message, input: v });
});
const nullableSchedule = z.unknown().superRefine((v, ctx) => {
  if (v === null) return;
  const r = parseScheduleValue(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: `${r.message} (or null)`, input: v });
});

export const DataSchema = z.strictObject({
  snapshot: z.string().min(1).optional(),
  // many snapshot files (src/data/snapshots/history.ts): a glob or a list, and the held-out split
  snapshots: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  eval: z.union([posInt, z.array(z.string().min(1)).min(1)]).optional(),
  test: z.union([posInt, z.array(z.string().min(1)).min(1)]).optional(),
  profile: z.string().min(1).optional(),
  seed: z.number().int().nonnegative().optional(),
  // read by src/db/source.ts (the same options as `sched ingest`), validated here with paths
  database: DatabaseSourceSchema.optional(),
});

export const PpoSchema = z.strictObject({
  learning_rate: schedule.default(D.ppo.learningRate),
  n_steps: posInt.default(D.ppo.nSteps),
  batch_size: posInt.default(D.ppo.batchSize),
  n_epochs: posInt.default(D.ppo.nEpochs),
  gamma: z.number().gt(0).lte(1).default(D.ppo.gamma),
  gae_lambda: unit.default(D.ppo.gaeLambda),
  clip_range: schedule.default(D.ppo.clipRange),
  clip_range_vf: nullableSchedule.default(D.ppo.clipRangeVf),
  ent_coef: nonNeg.default(D.ppo.entCoef),
  vf_coef: nonNeg.default(D.ppo.vfCoef),
  max_grad_norm: posNum.default(D.ppo.maxGradNorm),
  target_kl: posNum.nullable().default(D.ppo.targetKl),
  normalize_advantage: z.boolean().default(D.ppo.normalizeAdvantage),
});

const hidden = z.array(posInt).min(1);
export const PolicySchema = z.strictObject({
  net_arch: z.union([hidden, z.strictObject({ pi: hidden, vf: hidden })]).default([...D.policy.netArch]),
  activation: z.enum(['relu', 'tanh']).default(D.policy.activation),
  layer_norm: z.boolean().default(D.policy.layerNorm),
});

export const NormalizeSchema = z.strictObject({
  obs: z.boolean().default(D.normalize.obs),
  reward: z.boolean().default(D.normalize.reward),
  clip_obs: posNum.default(D.normalize.clipObs),
  clip_reward: posNum.default(D.normalize.clipReward),
  epsilon: posNum.default(D.normalize.epsilon),
});

export const EnvSchema = z.strictObject({
  candidate_slots: posInt.default(D.env.candidateSlots),
  reward: z
    .strictObject({
      preset: z.enum(['seed', 'kpi']).default(D.env.rewardPreset),
      on_time: finite.optional(),
      early_per_day: finite.optional(),
      late_per_day: finite.optional(),
      action: finite.optional(),
      makespan: finite.optional(),
    })
    .prefault({}),
  variation: z
    .strictObject({
      duration_jitter: z.number().gte(0).lt(1).default(D.env.variation.durationJitter),
      due_shift_days: nonNeg.default(D.env.variation.dueShiftDays),
      job_subset: z.number().gt(0).lte(1).default(D.env.variation.jobSubset),
    })
    .prefault({}),
  placement: z.enum(PLACEMENTS as [Placement, ...Placement[]]).default(D.env.placement),
});

export const EvalSchema = z.strictObject({
  freq: posInt.default(D.eval.freq),
  episodes: posInt.default(D.eval.episodes),
  seed_offset: z.number().int().nonnegative().default(D.eval.seedOffset),
  deterministic: z.boolean().default(D.eval.deterministic),
});

export const CheckpointSchema = z.strictObject({
  freq: posInt.default(D.checkpoint.freq),
});

export const SuccessSchema = z.strictObject({
  completion_rate: unit.default(D.success.completionRate),
  // required unless beat_best_rule is true (checked in curriculum.ts)
  on_time_rate: unit.optional(),
  min_evals: posInt.default(D.success.minEvals),
  beat_best_rule: z.boolean().default(D.success.beatBestRule),
});

/** Imitation of a dispatching rule before PPO (src/curriculum/pretrain.ts); `rule` is checked in curriculum.ts. */
export const PretrainSchema = z.strictObject({
  rule: z.string().min(1),
  episodes: posInt.default(D.pretrain.episodes),
  samples: z.number().int().nonnegative().default(D.pretrain.samples),
  epsilon: unit.default(D.pretrain.epsilon),
  epochs: posInt.default(D.pretrain.epochs),
  batch_size: posInt.default(D.pretrain.batchSize),
  learning_rate: posNum.default(D.pretrain.learningRate),
  vf_coef: nonNeg.default(D.pretrain.vfCoef),
});

/** Stage names become folder names (checkpoints/<stage>/, tensorboard/<stage>/). */
export const STAGE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export const StageSchema = z.strictObject({
  name: z.string().regex(STAGE_NAME, 'a stage name uses letters, digits, "_", "-" and "." only (it names folders)'),
  data: DataSchema,
  timesteps: posInt,
  n_envs: posInt.default(D.nEnvs),
  ppo: PpoSchema.prefault({}),
  policy: PolicySchema.prefault({}),
  normalize: NormalizeSchema.prefault({}),
  env: EnvSchema.prefault({}),
  eval: EvalSchema.prefault({}),
  checkpoint: CheckpointSchema.prefault({}),
  success: SuccessSchema.nullable().default(null),
  pretrain: PretrainSchema.nullable().default(null),
  max_stage_time_minutes: posNum.nullable().default(null),
});

export type StageInput = z.output<typeof StageSchema>;

export const TOP_LEVEL_KEYS = ['description', 'seed', 'defaults', 'stages'] as const;
