import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SchedError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.js';
import { formatPath } from '../data/snapshots/load.js';
import type { Logger } from '../log.js';
import type { PolicyValueEngine } from './engine/engine.js';
import type { ParamLayout } from './engine/layout.js';
import { hyperparamsFromJson, hyperparamsToJson, type PpoHyperparams } from './hyperparams.js';
import { PpoLearner } from './learner.js';
import { checkpointError, readLayersModelParams, saveLayersModel } from './policy-model.js';
import type { VecNormalizeJson } from './vec-normalize.js';

/** Files of a learner checkpoint folder. */
export const CHECKPOINT_FILES = {
  policy: 'policy', // policy/model.json + policy/weights.bin (tf.loadLayersModel)
  critic: 'critic',
  optimizer: 'optimizer.bin', // Adam m then v, float32 little-endian
  vecNormalize: 'vec_normalize.json',
  state: 'learner_state.json',
} as const;

const schedule = z.union([z.number(), z.string()]);
const stats = z.object({ mean: z.array(z.number()), var: z.array(z.number()), count: z.number() });
const rngState = z.array(z.number().nullable()).min(4).max(5);

const StateSchema = z.object({
  format: z.literal('sched-learner'),
  version: z.literal(1),
  obsDim: z.number().int().positive(),
  /** The environment's name for what the observation holds (absent in models saved before it existed). */
  obsLayout: z.string().optional(),
  numActions: z.number().int().positive(),
  numEnvs: z.number().int().positive(),
  seed: z.number(),
  backend: z.string(),
  network: z.object({ hiddenSizes: z.array(z.number().int().positive()).min(1), activation: z.enum(['relu', 'tanh']), layerNorm: z.boolean() }),
  hyperparams: z.object({
    learningRate: schedule, nSteps: z.number(), batchSize: z.number(), nEpochs: z.number(), gamma: z.number(), gaeLambda: z.number(),
    clipRange: schedule, clipRangeVf: schedule.nullable(), entCoef: z.number(), vfCoef: z.number(), maxGradNorm: z.number(),
    targetKl: z.number().nullable(), normalizeAdvantage: z.boolean(),
  }),
  numTimesteps: z.number().int().nonnegative(),
  nUpdates: z.number().int().nonnegative(),
  iterations: z.number().int().nonnegative(),
  rng: rngState,
  predictRng: rngState,
  adam: z.object({ step: z.number().int().nonnegative(), beta1: z.number(), beta2: z.number(), eps: z.number(), size: z.number().int() }),
  /** sha256 of every binary file, checked at load. */
  sha256: z.record(z.string(), z.string()),
});

const VecNormSchema = z.object({
  format: z.literal('sched-vec-normalize'),
  version: z.literal(1),
  config: z.object({ obs: z.boolean(), reward: z.boolean(), clipObs: z.number(), clipReward: z.number(), gamma: z.number(), epsilon: z.number() }),
  obsRms: stats,
  retRms: stats,
});

export type LearnerStateJson = z.infer<typeof StateSchema>;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Writes the whole learner state into `dir`: the policy and the critic as tfjs layers models,
 * the Adam moments, the VecNormalize statistics and `learner_state.json` (counters, RNG states,
 * hyperparameters, checksums), each file atomically; `learner_state.json` last.
 */
export async function saveLearner(learner: PpoLearner, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const p = learner.engine.params;
  const policyBin = await saveLayersModel(join(dir, CHECKPOINT_FILES.policy), learner.layout.actor, 'policy', p);
  const criticBin = await saveLayersModel(join(dir, CHECKPOINT_FILES.critic), learner.layout.critic, 'critic', p);
  const a = learner.adam;
  const opt = new Float32Array(2 * a.size);
  opt.set(a.m, 0);
  opt.set(a.v, a.size);
  const optBytes = new Uint8Array(opt.buffer);
  writeFileAtomic(join(dir, CHECKPOINT_FILES.optimizer), optBytes);
  writeJsonAtomic(join(dir, CHECKPOINT_FILES.vecNormalize), learner.vecNormalize.toJSON());
  const state: LearnerStateJson = {
    format: 'sched-learner',
    version: 1,
    obsDim: learner.obsDim,
    ...(learner.obsLayout !== null ? { obsLayout: learner.obsLayout } : {}),
    numActions: learner.numActions,
    numEnvs: learner.numEnvs,
    seed: learner.seed,
    backend: learner.backend,
    network: learner.network,
    hyperparams: hyperparamsToJson(learner.hyperparams),
    numTimesteps: learner.numTimesteps,
    nUpdates: learner.nUpdates,
    iterations: learner.iterations,
    rng: learner.rng.getState(),
    predictRng: learner.predictRng.getState(),
    adam: { step: a.step, beta1: a.beta1, beta2: a.beta2, eps: a.eps, size: a.size },
    sha256: {
      [`${CHECKPOINT_FILES.policy}/weights.bin`]: sha(policyBin),
      [`${CHECKPOINT_FILES.critic}/weights.bin`]: sha(criticBin),
      [CHECKPOINT_FILES.optimizer]: sha(optBytes),
    },
  };
  writeJsonAtomic(join(dir, CHECKPOINT_FILES.state), state);
}

export interface LoadOptions {
  backend?: string;
  engineFactory?: (layout: ParamLayout, params: Float32Array) => PolicyValueEngine;
  log?: Logger;
  /** Replace the saved hyperparameters (e.g. a new stage). */
  hyperparams?: PpoHyperparams;
  numEnvs?: number;
  /**
   * The observation layout the caller's environment builds: a model saved with another one (or
   * with none) is refused with a SchedError('CHECKPOINT') instead of being misread.
   */
  obsLayout?: { name: string; describe: (name: string | undefined) => string };
}

/**
 * Restores a learner saved by `saveLearner` so that training continues exactly (same weights,
 * optimizer moments, statistics, counters and random streams). A missing, unreadable or
 * inconsistent file is a SchedError('CHECKPOINT') naming its path.
 */
export function loadLearner(dir: string, opts: LoadOptions = {}): PpoLearner {
  const statePath = join(dir, CHECKPOINT_FILES.state);
  const state = readJson(statePath, StateSchema);
  if (opts.obsLayout !== undefined && state.obsLayout !== opts.obsLayout.name) {
    const want = opts.obsLayout;
    throw new SchedError(
      'CHECKPOINT',
      `the model in ${dir} was trained on ${want.describe(state.obsLayout)}, but this version of sched builds ${want.describe(want.name)}; it cannot be read: train it again`,
    );
  }
  const vnPath = join(dir, CHECKPOINT_FILES.vecNormalize);
  const vn = readJson(vnPath, VecNormSchema) as VecNormalizeJson;
  if (vn.obsRms.mean.length !== state.obsDim || vn.obsRms.var.length !== state.obsDim) {
    throw new SchedError('CHECKPOINT', `corrupted checkpoint file ${vnPath}: obs statistics have ${vn.obsRms.mean.length} values, the model expects ${state.obsDim}`);
  }
  let saved: PpoHyperparams;
  try {
    saved = hyperparamsFromJson(state.hyperparams, 'hyperparams');
  } catch (err) {
    throw new SchedError('CHECKPOINT', `corrupted checkpoint file ${statePath}: ${err instanceof Error ? err.message : String(err)}`, [], { cause: err });
  }
  const learner = new PpoLearner({
    obsDim: state.obsDim,
    ...(state.obsLayout !== undefined ? { obsLayout: state.obsLayout } : {}),
    numActions: state.numActions,
    numEnvs: opts.numEnvs ?? state.numEnvs,
    hyperparams: opts.hyperparams ?? saved,
    network: state.network,
    normalize: vn.config,
    seed: state.seed,
    backend: opts.backend ?? state.backend,
    engineFactory: opts.engineFactory,
    log: opts.log,
  });
  try {
    const p = learner.engine.params;
    const check = (rel: string, bytes: Uint8Array) => {
      if (state.sha256[rel] !== undefined && state.sha256[rel] !== sha(bytes)) {
        throw new SchedError('CHECKPOINT', `corrupted checkpoint file ${join(dir, rel)}: its checksum does not match ${statePath}`);
      }
    };
    check(`${CHECKPOINT_FILES.policy}/weights.bin`, readLayersModelParams(join(dir, CHECKPOINT_FILES.policy), learner.layout.actor, 'policy', p));
    check(`${CHECKPOINT_FILES.critic}/weights.bin`, readLayersModelParams(join(dir, CHECKPOINT_FILES.critic), learner.layout.critic, 'critic', p));
    learner.engine.paramsChanged();
    const optPath = join(dir, CHECKPOINT_FILES.optimizer);
    let opt: Buffer;
    try {
      opt = readFileSync(optPath);
    } catch (err) {
      throw checkpointError(optPath, err);
    }
    if (state.adam.size !== learner.layout.size || opt.byteLength !== 8 * learner.layout.size) {
      throw new SchedError('CHECKPOINT', `corrupted checkpoint file ${optPath}: ${opt.byteLength} bytes, expected ${8 * learner.layout.size}`);
    }
    check(CHECKPOINT_FILES.optimizer, opt);
    const f = new Float32Array(opt.buffer.slice(opt.byteOffset, opt.byteOffset + opt.byteLength));
    learner.adam.m.set(f.subarray(0, learner.layout.size));
    learner.adam.v.set(f.subarray(learner.layout.size));
    learner.adam.step = state.adam.step;
    learner.vecNormalize.setState(vn);
    learner.numTimesteps = state.numTimesteps;
    learner.nUpdates = state.nUpdates;
    learner.iterations = state.iterations;
    learner.rng.setState(state.rng.map((x) => (x === null ? NaN : x)));
    learner.predictRng.setState(state.predictRng.map((x) => (x === null ? NaN : x)));
  } catch (err) {
    learner.dispose();
    throw err;
  }
  return learner;
}

function readJson<T>(path: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw checkpointError(path, err);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new SchedError('CHECKPOINT', `corrupted checkpoint file ${path} (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
  }
  return r.data;
}
