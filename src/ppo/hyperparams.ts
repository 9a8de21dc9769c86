import { SchedError } from '../errors.js';
import { parseSchedule, type Schedule } from './schedules.js';

/** PPO hyperparameters with Stable-Baselines3's meanings (camelCase names). */
export interface PpoHyperparams {
  learningRate: Schedule;
  /** Steps per environment per rollout. */
  nSteps: number;
  batchSize: number;
  nEpochs: number;
  gamma: number;
  gaeLambda: number;
  clipRange: Schedule;
  /** Value clipping around the old value; null = no clipping (SB3 default). */
  clipRangeVf: Schedule | null;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
  /** Stop the epochs of an update early when approx_kl > 1.5 * targetKl; null = never. */
  targetKl: number | null;
  normalizeAdvantage: boolean;
}

export interface NetworkConfig {
  hiddenSizes: number[];
  activation: 'relu' | 'tanh';
  layerNorm: boolean;
}

/** VecNormalize settings (SB3 defaults). */
export interface NormalizeConfig {
  obs: boolean;
  reward: boolean;
  clipObs: number;
  clipReward: number;
  /** Discount of the return whose variance scales the rewards (use the PPO gamma). */
  gamma: number;
  epsilon: number;
}

/** Plain-JSON form of the hyperparameters (schedules by their source), for checkpoints. */
export type PpoHyperparamsJson = Omit<PpoHyperparams, 'learningRate' | 'clipRange' | 'clipRangeVf'> & {
  learningRate: number | string;
  clipRange: number | string;
  clipRangeVf: number | string | null;
};

/** SB3's PPO defaults. */
export function defaultHyperparams(over: Partial<PpoHyperparams> = {}): PpoHyperparams {
  return {
    learningRate: parseSchedule(3e-4),
    nSteps: 2048,
    batchSize: 64,
    nEpochs: 10,
    gamma: 0.99,
    gaeLambda: 0.95,
    clipRange: parseSchedule(0.2),
    clipRangeVf: null,
    entCoef: 0,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
    targetKl: null,
    normalizeAdvantage: true,
    ...over,
  };
}

export function defaultNetwork(over: Partial<NetworkConfig> = {}): NetworkConfig {
  return { hiddenSizes: [256, 128, 64], activation: 'relu', layerNorm: false, ...over };
}

export function defaultNormalize(over: Partial<NormalizeConfig> = {}): NormalizeConfig {
  return { obs: true, reward: true, clipObs: 10, clipReward: 10, gamma: 0.99, epsilon: 1e-8, ...over };
}

export function hyperparamsToJson(h: PpoHyperparams): PpoHyperparamsJson {
  return { ...h, learningRate: h.learningRate.source, clipRange: h.clipRange.source, clipRangeVf: h.clipRangeVf ? h.clipRangeVf.source : null };
}

export function hyperparamsFromJson(j: PpoHyperparamsJson, path = 'hyperparams'): PpoHyperparams {
  return {
    ...j,
    learningRate: parseSchedule(j.learningRate, `${path}.learningRate`),
    clipRange: parseSchedule(j.clipRange, `${path}.clipRange`),
    clipRangeVf: j.clipRangeVf === null ? null : parseSchedule(j.clipRangeVf, `${path}.clipRangeVf`),
  };
}

/**
 * Checks the hyperparameters against the rollout size; every problem is listed at once
 * (SchedError('CONFIG')), e.g. `n_steps * n_envs = 1000 is not a multiple of batch_size = 64`.
 */
export function validateHyperparams(h: PpoHyperparams, numEnvs: number, net?: NetworkConfig): void {
  const problems: string[] = [];
  const posInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 1) problems.push(`${name}: expected a positive integer, got ${v}`);
  };
  posInt(h.nSteps, 'n_steps');
  posInt(h.batchSize, 'batch_size');
  posInt(h.nEpochs, 'n_epochs');
  posInt(numEnvs, 'n_envs');
  const unit = (v: number, name: string) => {
    if (!(v >= 0 && v <= 1)) problems.push(`${name}: expected a number in [0, 1], got ${v}`);
  };
  unit(h.gamma, 'gamma');
  unit(h.gaeLambda, 'gae_lambda');
  const nonNeg = (v: number, name: string) => {
    if (!(Number.isFinite(v) && v >= 0)) problems.push(`${name}: expected a finite number >= 0, got ${v}`);
  };
  nonNeg(h.entCoef, 'ent_coef');
  nonNeg(h.vfCoef, 'vf_coef');
  if (!(h.maxGradNorm > 0)) problems.push(`max_grad_norm: expected a number > 0, got ${h.maxGradNorm}`);
  if (h.targetKl !== null && !(h.targetKl > 0)) problems.push(`target_kl: expected a number > 0 or null, got ${h.targetKl}`);
  const lr = h.learningRate(1);
  if (!(lr > 0)) problems.push(`learning_rate: expected a number > 0 at the start, got ${lr}`);
  const cr = h.clipRange(1);
  if (!(cr > 0)) problems.push(`clip_range: expected a number > 0 at the start, got ${cr}`);
  if (Number.isInteger(h.nSteps) && Number.isInteger(numEnvs) && Number.isInteger(h.batchSize) && h.batchSize > 0) {
    const n = h.nSteps * numEnvs;
    if (n % h.batchSize !== 0) problems.push(`n_steps * n_envs = ${n} is not a multiple of batch_size = ${h.batchSize}`);
    if (h.batchSize > n) problems.push(`batch_size = ${h.batchSize} is larger than n_steps * n_envs = ${n}`);
  }
  if (net) {
    if (net.hiddenSizes.length === 0 || net.hiddenSizes.some((s) => !Number.isInteger(s) || s < 1)) {
      problems.push(`hidden_sizes: expected a non-empty list of positive integers, got ${JSON.stringify(net.hiddenSizes)}`);
    }
    if (net.activation !== 'relu' && net.activation !== 'tanh') problems.push(`activation: expected "relu" or "tanh", got ${JSON.stringify(net.activation)}`);
  }
  if (problems.length > 0) {
    throw new SchedError('CONFIG', `invalid PPO hyperparameters (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
  }
}
