import * as tf from '@tensorflow/tfjs-core';
import type { EpisodeRecord, VecEnv } from '../env/vec-env.js';
import { selectBackend, type BackendChoice } from '../ppo/backend.js';
import { defaultHyperparams, defaultNormalize } from '../ppo/hyperparams.js';
import { PpoLearner } from '../ppo/learner.js';
import { Rng } from '../util/rng.js';
import type { Logger } from '../log.js';

/** The update benchmark's fixed shape (REFERENCE.md: the SB3 MaskablePPO yardstick). */
export const UPDATE_BENCH = { obsDim: 64, numActions: 32, samples: 16384, epochs: 10, batchSize: 256, hiddenSizes: [256, 128, 64], numEnvs: 16 } as const;

export interface UpdateBenchResult {
  backend: string;
  device: string;
  activation: 'relu' | 'tanh';
  /** samples x epochs / seconds, median over repeats. */
  samples_per_s: number;
  /** Milliseconds per 256-sample gradient step, median. */
  ms_per_step: number;
  /** Gradient steps timed per repeat (640 = the full update; fewer on slow backends). */
  steps_timed: number;
  repeats: number;
  /** Every repeat's samples/s. */
  all: number[];
}

export interface UpdateBenchSkip {
  backend: string;
  skipped: string;
}

/** Random observations and masks (about half the actions valid), for timing only. */
export class RandomMaskedEnv implements VecEnv {
  readonly obs: Float32Array;
  readonly masks: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalObs: Float32Array;
  private rng = new Rng(0);
  constructor(readonly numEnvs: number, readonly obsDim: number, readonly numActions: number) {
    this.obs = new Float32Array(numEnvs * obsDim);
    this.masks = new Uint8Array(numEnvs * numActions);
    this.rewards = new Float32Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.finalObs = new Float32Array(numEnvs * obsDim);
  }
  reset(seed?: number): void {
    if (seed !== undefined) this.rng = new Rng(seed);
    this.fill();
  }
  step(): void {
    for (let e = 0; e < this.numEnvs; e++) {
      this.rewards[e] = this.rng.normal();
      this.terminated[e] = this.rng.chance(0.01) ? 1 : 0;
    }
    this.fill();
  }
  drainEpisodes(): EpisodeRecord[] {
    return [];
  }
  private fill(): void {
    for (let i = 0; i < this.obs.length; i++) this.obs[i] = this.rng.normal();
    for (let i = 0; i < this.masks.length; i++) this.masks[i] = this.rng.chance(0.5) ? 1 : 0;
    for (let e = 0; e < this.numEnvs; e++) this.masks[e * this.numActions] = 1;
  }
}

/**
 * Times one PPO update alone (no rollout): obs 64, 32 masked actions, 16,384 samples, 10 epochs,
 * minibatch 256, separate [256, 128, 64] actor and critic, on the backend currently selected.
 * `maxSteps` limits the timed gradient steps per repeat (for slow backends); samples/s is
 * 256 x steps / seconds either way, which equals samples x epochs / seconds for a full update.
 */
export function benchUpdate(activation: 'relu' | 'tanh', opts: { repeats?: number; maxSteps?: number; backend: string; device: string }): UpdateBenchResult {
  const B = UPDATE_BENCH;
  const nSteps = B.samples / B.numEnvs;
  const totalSteps = (B.samples / B.batchSize) * B.epochs;
  const maxSteps = Math.min(opts.maxSteps ?? totalSteps, totalSteps);
  const epochs = Math.ceil(maxSteps / (B.samples / B.batchSize));
  const learner = new PpoLearner({
    obsDim: B.obsDim, numActions: B.numActions, numEnvs: B.numEnvs, seed: 0, backend: opts.backend,
    hyperparams: defaultHyperparams({ nSteps, batchSize: B.batchSize, nEpochs: epochs, learningRate: defaultHyperparams().learningRate }),
    network: { hiddenSizes: [...B.hiddenSizes], activation, layerNorm: false },
    normalize: defaultNormalize(),
  });
  try {
    learner.collectRollout(new RandomMaskedEnv(B.numEnvs, B.obsDim, B.numActions));
    const repeats = opts.repeats ?? 3;
    const all: number[] = [];
    const stepsTimed = maxSteps;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      learner.train(1, maxSteps);
      const s = (performance.now() - t0) / 1000;
      all.push((stepsTimed * B.batchSize) / s);
    }
    const sorted = [...all].sort((a, b) => a - b);
    const med = sorted[Math.floor(sorted.length / 2)];
    return { backend: opts.backend, device: opts.device, activation, samples_per_s: med, ms_per_step: (B.batchSize / med) * 1000, steps_timed: stepsTimed, repeats, all };
  } finally {
    learner.dispose();
  }
}

/** Runs the update benchmark on every backend that loads here (each explicitly selected). */
export async function benchUpdateAllBackends(opts: { repeats?: number; cpuSteps?: number; activations?: ('relu' | 'tanh')[]; backends?: BackendChoice[]; log?: Logger; threads?: number } = {}): Promise<(UpdateBenchResult | UpdateBenchSkip)[]> {
  const out: (UpdateBenchResult | UpdateBenchSkip)[] = [];
  for (const name of opts.backends ?? (['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu'] as BackendChoice[])) {
    let info;
    try {
      info = await selectBackend(name, { log: opts.log, ...(opts.threads !== undefined ? { threads: opts.threads } : {}) });
    } catch (err) {
      out.push({ backend: name, skipped: err instanceof Error ? err.message : String(err) });
      continue;
    }
    for (const act of opts.activations ?? ['relu', 'tanh']) {
      // the pure JS backend is ~50x slower: time a few gradient steps instead of 640
      const maxSteps = info.name === 'cpu' ? opts.cpuSteps ?? 8 : undefined;
      out.push(benchUpdate(act, { repeats: info.name === 'cpu' ? 1 : opts.repeats, maxSteps, backend: name, device: info.device }));
    }
  }
  return out;
}

export interface MemorySample {
  update: number;
  rss_mb: number;
  heap_mb: number;
  tensors: number;
}

/**
 * Memory over many PPO updates on the backend currently selected (`backend` as returned by
 * `selectBackend`): the update benchmark's network on rollouts of 16 envs x 16 steps, minibatch
 * 64, 4 epochs (16 gradient steps per update), the process's RSS, V8 heap and tfjs tensor count
 * sampled every `every` updates. A leak shows as a steady rise; a flat line means none.
 */
export function benchMemory(opts: { updates: number; every?: number; backend: string; activation?: 'relu' | 'tanh'; onSample?: (s: MemorySample) => void }): MemorySample[] {
  const B = UPDATE_BENCH;
  const every = opts.every ?? 100;
  const learner = new PpoLearner({
    obsDim: B.obsDim, numActions: B.numActions, numEnvs: B.numEnvs, seed: 0, backend: opts.backend,
    hyperparams: defaultHyperparams({ nSteps: 16, batchSize: 64, nEpochs: 4 }),
    network: { hiddenSizes: [...B.hiddenSizes], activation: opts.activation ?? 'relu', layerNorm: false },
    normalize: defaultNormalize(),
  });
  const env = new RandomMaskedEnv(B.numEnvs, B.obsDim, B.numActions);
  const out: MemorySample[] = [];
  const sample = (update: number) => {
    const m = process.memoryUsage();
    const s = { update, rss_mb: Math.round(m.rss / 2 ** 20 * 10) / 10, heap_mb: Math.round(m.heapUsed / 2 ** 20 * 10) / 10, tensors: tf.memory().numTensors };
    out.push(s);
    opts.onSample?.(s);
  };
  try {
    for (let u = 1; u <= opts.updates; u++) {
      learner.collectRollout(env);
      learner.train(1 - u / opts.updates);
      if (u === 1 || u % every === 0) sample(u);
    }
  } finally {
    learner.dispose();
  }
  return out;
}
