import { SchedError } from '../errors.js';
import type { Logger } from '../log.js';
import type { EpisodeRecord, VecEnv } from '../env/vec-env.js';
import type { RolloutSummary, TrainDiagnostics } from './diagnostics.js';
import { Rng } from '../util/rng.js';
import { Adam, clipGradNorm } from './adam.js';
import type { PolicyValueEngine } from './engine/engine.js';
import { buildLayout, initParams, type ParamLayout } from './engine/layout.js';
import { NativeMlpEngine } from './engine/native-engine.js';
import { TfMlpEngine } from './engine/tf-mlp-engine.js';
import { validateHyperparams, type NetworkConfig, type NormalizeConfig, type PpoHyperparams } from './hyperparams.js';
import { maskedArgmax, maskedLogProb, maskedSample } from './masked-categorical.js';
import { explainedVariance, normalizeAdvantages, ppoLoss } from './ppo.js';
import { RolloutBuffer } from './rollout-buffer.js';
import { VecNormalize } from './vec-normalize.js';

export interface LearnerOptions {
  obsDim: number;
  /** The environment's name for its observation layout, saved with the model (opaque here). */
  obsLayout?: string;
  numActions: number;
  numEnvs: number;
  hyperparams: PpoHyperparams;
  network: NetworkConfig;
  normalize: NormalizeConfig;
  seed: number;
  /** The backend name in use (from `selectBackend`), recorded in checkpoints. */
  backend?: string;
  /** Builds the engine; default: the native engine on the 'native' backend, else the TensorFlow.js MLP engine. */
  engineFactory?: (layout: ParamLayout, params: Float32Array) => PolicyValueEngine;
  log?: Logger;
}

/**
 * PPO with invalid-action masking (SB3 `PPO` / sb3-contrib `MaskablePPO` semantics), driven
 * one iteration at a time: `collectRollout(env)` then `train(progressRemaining)`, so that the
 * caller can evaluate and checkpoint between iterations. Owns the engine (network + gradient),
 * the Adam state, the VecNormalize statistics, the RNGs and the global step counters.
 */
export class PpoLearner {
  readonly obsDim: number;
  readonly obsLayout: string | null;
  readonly numActions: number;
  numEnvs: number;
  hyperparams: PpoHyperparams;
  readonly network: NetworkConfig;
  readonly layout: ParamLayout;
  readonly engine: PolicyValueEngine;
  readonly adam: Adam;
  readonly vecNormalize: VecNormalize;
  readonly seed: number;
  readonly backend: string;
  /** Training randomness: action sampling, minibatch shuffles, env reset seeds. */
  readonly rng: Rng;
  /** Randomness of `predict(..., deterministic = false)`, apart so evaluation never shifts training. */
  readonly predictRng: Rng;
  /** Global timestep counter (env steps x envs), continuous across stages and resumes. */
  numTimesteps = 0;
  nUpdates = 0;
  iterations = 0;
  /** Seconds spent collecting + training since construction or load (for time/fps). */
  private workSeconds = 0;
  private stepsThisSession = 0;
  private buffer: RolloutBuffer;
  private boundEnv: VecEnv | null = null;
  private readonly log?: Logger;
  private readonly epInfo: EpisodeRecord[] = [];
  private s!: ReturnType<typeof allocScratch>;

  constructor(opts: LearnerOptions, params?: Float32Array) {
    validateHyperparams(opts.hyperparams, opts.numEnvs, opts.network);
    this.obsDim = opts.obsDim;
    this.obsLayout = opts.obsLayout ?? null;
    this.numActions = opts.numActions;
    this.numEnvs = opts.numEnvs;
    this.hyperparams = opts.hyperparams;
    this.network = opts.network;
    this.seed = opts.seed;
    this.backend = opts.backend ?? 'unknown';
    this.log = opts.log;
    this.rng = new Rng(opts.seed);
    this.predictRng = new Rng((opts.seed ^ 0x5bd1e995) >>> 0);
    this.layout = buildLayout(opts.obsDim, opts.numActions, opts.network);
    const p = params ?? initParams(this.layout, new Rng((opts.seed + 0x9e3779b9) >>> 0));
    this.engine = (opts.engineFactory ?? defaultEngine(this.backend))(this.layout, p);
    this.adam = new Adam(this.layout.size);
    this.vecNormalize = new VecNormalize(opts.obsDim, opts.numEnvs, opts.normalize);
    this.buffer = new RolloutBuffer(opts.hyperparams.nSteps, opts.numEnvs, opts.obsDim, opts.numActions);
    this.s = allocScratch(this.numEnvs, this.obsDim, this.numActions, opts.hyperparams.batchSize, this.layout.size, this.buffer.size);
  }

  /**
   * A new stage: new hyperparameters (and maybe a new number of envs); weights, optimizer
   * moments, normalization statistics and counters are kept. The next rollout resets its env.
   */
  setHyperparams(hp: PpoHyperparams, numEnvs = this.numEnvs): void {
    validateHyperparams(hp, numEnvs, this.network);
    this.hyperparams = hp;
    if (numEnvs !== this.numEnvs) {
      this.numEnvs = numEnvs;
      this.vecNormalize.setNumEnvs(numEnvs);
    }
    this.buffer = new RolloutBuffer(hp.nSteps, this.numEnvs, this.obsDim, this.numActions);
    this.s = allocScratch(this.numEnvs, this.obsDim, this.numActions, hp.batchSize, this.layout.size, this.buffer.size);
    this.boundEnv = null;
  }

  /**
   * Runs `nSteps` vectorized steps in `env` with the current policy (sampled actions under the
   * masks) and computes GAE. A different env object than last time is reset first (its seed
   * drawn from the learner's RNG). Statistics update only while `vecNormalize.training`.
   */
  collectRollout(env: VecEnv): RolloutSummary {
    const t0 = performance.now();
    const { numEnvs: E, obsDim: D, numActions: K } = this;
    if (env.numEnvs !== E || env.obsDim !== D || env.numActions !== K) {
      throw new SchedError('CONFIG', `environment shape (envs ${env.numEnvs}, obs ${env.obsDim}, actions ${env.numActions}) does not match the learner (envs ${E}, obs ${D}, actions ${K})`);
    }
    const s = this.s;
    const vn = this.vecNormalize;
    if (this.boundEnv !== env) {
      env.reset(this.rng.nextU32());
      env.drainEpisodes();
      vn.resetReturns();
      vn.observeObs(env.obs, E);
      vn.normalizeObs(env.obs, E, s.lastObs);
      s.lastMasks.set(env.masks.subarray(0, E * K));
      this.boundEnv = env;
    }
    const buf = this.buffer;
    const episodes: EpisodeRecord[] = [];
    buf.reset();
    for (let t = 0; t < this.hyperparams.nSteps; t++) {
      this.engine.forward(s.lastObs, E, s.logits, s.values);
      for (let e = 0; e < E; e++) {
        const a = maskedSample(s.logits, s.lastMasks, e, K, this.rng);
        s.actions[e] = a;
        s.logProbs[e] = maskedLogProb(s.logits, s.lastMasks, e, K, a);
      }
      env.step(s.actions);
      vn.observeObs(env.obs, E); // SB3 VecNormalize: update, then normalize obs and final obs
      let nTrunc = 0;
      for (let e = 0; e < E; e++) {
        s.dones[e] = env.terminated[e] || env.truncated[e] ? 1 : 0;
        if (env.truncated[e] && !env.terminated[e]) {
          // bootstrap a time-limit truncation with V(final observation) (SB3 collect_rollouts)
          s.truncRows[nTrunc] = e;
          s.truncObs.set(env.finalObs.subarray(e * D, (e + 1) * D), nTrunc * D);
          nTrunc++;
        }
      }
      if (nTrunc > 0) {
        vn.normalizeObs(s.truncObs, nTrunc, s.truncObs);
        this.engine.forward(s.truncObs, nTrunc, s.truncLogits, s.truncValues);
        for (let i = 0; i < nTrunc; i++) s.finalValues[s.truncRows[i]] = s.truncValues[i];
      }
      vn.processRewards(env.rewards, s.dones, s.rewards);
      buf.add(s.lastObs, s.lastMasks, s.actions, s.logProbs, s.values, s.rewards, env.terminated, env.truncated, s.finalValues);
      vn.normalizeObs(env.obs, E, s.lastObs);
      s.lastMasks.set(env.masks.subarray(0, E * K));
      this.numTimesteps += E;
      this.stepsThisSession += E;
      for (const ep of env.drainEpisodes()) {
        episodes.push(ep);
        this.epInfo.push(ep);
        if (this.epInfo.length > 100) this.epInfo.shift();
      }
    }
    this.engine.forward(s.lastObs, E, s.logits, s.values);
    buf.computeReturnsAndAdvantage(s.values, this.hyperparams.gamma, this.hyperparams.gaeLambda);
    const collect_s = (performance.now() - t0) / 1000;
    this.workSeconds += collect_s;
    const n = this.epInfo.length;
    return {
      steps: this.hyperparams.nSteps * E,
      episodes,
      ep_rew_mean: n ? this.epInfo.reduce((a, b) => a + b.return, 0) / n : NaN,
      ep_len_mean: n ? this.epInfo.reduce((a, b) => a + b.length, 0) / n : NaN,
      collect_s,
    };
  }

  /**
   * One PPO update on the collected rollout: `nEpochs` over shuffled minibatches, stopped
   * early by target_kl. `progressRemaining` (1 -> 0 over the stage) drives the schedules.
   * A non-finite loss, gradient or parameter throws SchedError('TRAINING') and restores the
   * parameters and the optimizer state to what they were before this update (so a checkpoint
   * taken afterwards is the last good model). `maxSteps` caps the gradient steps (benchmarks).
   */
  train(progressRemaining: number, maxSteps = Infinity): TrainDiagnostics {
    if (!this.buffer.full) throw new Error('PpoLearner.train: collect a rollout first');
    const saved = { params: this.engine.params.slice(), m: this.adam.m.slice(), v: this.adam.v.slice(), step: this.adam.step, nUpdates: this.nUpdates };
    try {
      const d = this.runUpdate(progressRemaining, maxSteps);
      const p = this.engine.params;
      for (let i = 0; i < p.length; i++) {
        if (!Number.isFinite(p[i])) {
          throw new SchedError('TRAINING', `a network parameter became ${p[i]} during update ${this.nUpdates} at timestep ${this.numTimesteps}; the update was undone`);
        }
      }
      return d;
    } catch (err) {
      if (err instanceof SchedError && err.code === 'TRAINING') {
        this.engine.params.set(saved.params);
        this.engine.paramsChanged();
        this.adam.m.set(saved.m);
        this.adam.v.set(saved.v);
        this.adam.step = saved.step;
        this.nUpdates = saved.nUpdates;
      }
      throw err;
    }
  }

  private runUpdate(progressRemaining: number, maxSteps: number): TrainDiagnostics {
    const t0 = performance.now();
    const hp = this.hyperparams;
    const lr = hp.learningRate(progressRemaining);
    const clip = hp.clipRange(progressRemaining);
    const clipVf = hp.clipRangeVf ? hp.clipRangeVf(progressRemaining) : null;
    const buf = this.buffer;
    const { obsDim: D, numActions: K } = this;
    const N = buf.size;
    const B = hp.batchSize;
    const s = this.s;
    const idx = s.indices;
    let pgSum = 0, vSum = 0, entSum = 0, cfSum = 0, klSum = 0, normSum = 0, count = 0;
    let lastLoss = NaN;
    let epochs = 0;
    let continueTraining = true;
    for (let epoch = 0; epoch < hp.nEpochs && continueTraining; epoch++) {
      for (let i = 0; i < N; i++) idx[i] = i;
      this.rng.shuffle(idx, N);
      for (let start = 0; start < N; start += B) {
        if (count >= maxSteps) { continueTraining = false; break; }
        // gather the minibatch (mbIdx = idx[start .. start + B))
        for (let j = 0; j < B; j++) {
          const i = idx[start + j];
          for (let c = 0, src = i * D, dst = j * D; c < D; c++) s.mbObs[dst + c] = buf.obs[src + c];
          for (let c = 0, src = i * K, dst = j * K; c < K; c++) s.mbMasks[dst + c] = buf.masks[src + c];
          s.mbActions[j] = buf.actions[i];
          s.mbOldLogProbs[j] = buf.logProbs[i];
          s.mbOldValues[j] = buf.values[i];
          s.mbAdvantages[j] = buf.advantages[i];
          s.mbReturns[j] = buf.returns[i];
        }
        if (hp.normalizeAdvantage) normalizeAdvantages(s.mbAdvantages, B);
        this.engine.forwardTrain(s.mbObs, B, s.mbLogits, s.mbValues);
        const out = ppoLoss(
          {
            n: B, numActions: K, logits: s.mbLogits, values: s.mbValues, masks: s.mbMasks, actions: s.mbActions,
            oldLogProbs: s.mbOldLogProbs, oldValues: s.mbOldValues, advantages: s.mbAdvantages, returns: s.mbReturns,
            clipRange: clip, clipRangeVf: clipVf, entCoef: hp.entCoef, vfCoef: hp.vfCoef,
          },
          s.dLogits, s.dValues, s.probs,
        );
        if (!Number.isFinite(out.loss)) {
          this.engine.release();
          throw new SchedError('TRAINING', `the PPO loss is not finite (${out.loss}) at update ${this.nUpdates + 1}, timestep ${this.numTimesteps}; the update was undone`, [
            `policy_gradient_loss=${out.policyLoss} value_loss=${out.valueLoss} entropy_loss=${out.entropyLoss}`,
          ]);
        }
        pgSum += out.policyLoss; vSum += out.valueLoss; entSum += out.entropyLoss; cfSum += out.clipFraction; klSum += out.approxKl;
        count++;
        lastLoss = out.loss;
        if (hp.targetKl !== null && out.approxKl > 1.5 * hp.targetKl) {
          this.engine.release();
          this.log?.debug({ epoch, approx_kl: out.approxKl }, 'early stopping: approx_kl above 1.5 * target_kl');
          continueTraining = false;
          break;
        }
        this.engine.backward(s.dLogits, s.dValues, s.grad);
        const norm = this.clipAndStep(s.grad, lr, hp.maxGradNorm);
        if (!Number.isFinite(norm)) {
          throw new SchedError('TRAINING', `the gradient is not finite (norm ${norm}) at update ${this.nUpdates + 1}, timestep ${this.numTimesteps}; the update was undone`);
        }
        normSum += norm;
      }
      epochs++;
      this.nUpdates++;
    }
    this.iterations++;
    const train_s = (performance.now() - t0) / 1000;
    this.workSeconds += train_s;
    const c = Math.max(1, count);
    return {
      approx_kl: klSum / c,
      clip_fraction: cfSum / c,
      entropy_loss: entSum / c,
      policy_gradient_loss: pgSum / c,
      value_loss: vSum / c,
      loss: lastLoss,
      explained_variance: explainedVariance(buf.values, buf.returns, N),
      learning_rate: lr,
      clip_range: clip,
      clip_range_vf: clipVf,
      n_updates: this.nUpdates,
      grad_norm: normSum / c,
      epochs,
      train_s,
    };
  }

  /**
   * Clips the gradient's global norm and takes the Adam step (none when the norm is not finite);
   * returns the norm. The engine's fused native step when it has one. PPO's update and imitation
   * (imitation.ts) both step through here.
   */
  clipAndStep(grad: Float32Array, lr: number, maxNorm: number): number {
    if (this.engine.clipAndAdam) return this.engine.clipAndAdam(grad, this.adam, lr, maxNorm);
    const norm = clipGradNorm(grad, maxNorm);
    if (Number.isFinite(norm)) {
      this.adam.apply(this.engine.params, grad, lr);
      this.engine.paramsChanged();
    }
    return norm;
  }

  /** Env steps per second of collect + train since construction or load (SB3 `time/fps`). */
  get fps(): number {
    return this.workSeconds > 0 ? this.stepsThisSession / this.workSeconds : 0;
  }

  /**
   * Actions for `n` raw observations (`obs` `[n * obsDim]`) under `masks` `[n * numActions]`,
   * normalized with the current statistics, which this never updates. Deterministic = the most
   * probable valid action; otherwise sampled with `predictRng`.
   */
  predict(obs: Float32Array, masks: Uint8Array, deterministic: boolean, n = obs.length / this.obsDim, out = new Int32Array(n)): Int32Array {
    const K = this.numActions;
    const logits = this.policyLogits(obs, n);
    for (let r = 0; r < n; r++) {
      out[r] = deterministic ? maskedArgmax(logits, masks, r, K) : maskedSample(logits, masks, r, K, this.predictRng);
    }
    return out;
  }

  /**
   * The policy's raw (unmasked) logits `[n * numActions]` for `n` raw observations, normalized
   * with the current statistics (never updated here): one forward pass. The result is a scratch
   * buffer of the learner, valid until the next call of `policyLogits` or `predict`.
   */
  policyLogits(obs: Float32Array, n = obs.length / this.obsDim): Float32Array {
    const { obsDim: D, numActions: K } = this;
    if (this.s.pObs.length < n * D) {
      this.s.pObs = new Float32Array(n * D);
      this.s.pLogits = new Float32Array(n * K);
      this.s.pValues = new Float32Array(n);
    }
    const s = this.s;
    this.vecNormalize.normalizeObs(obs, n, s.pObs);
    this.engine.forward(s.pObs, n, s.pLogits, s.pValues);
    return s.pLogits;
  }

  /**
   * Saves the full learner state into `dir` (see `saveLearner` in checkpoint.ts); restore with
   * `PpoLearner.load(dir)` or `loadLearner(dir)`.
   */
  async save(dir: string): Promise<void> {
    const { saveLearner } = await import('./checkpoint.js');
    await saveLearner(this, dir);
  }

  /** Restores a learner saved with `save` (see `loadLearner` in checkpoint.ts). */
  static async load(dir: string, opts: import('./checkpoint.js').LoadOptions = {}): Promise<PpoLearner> {
    const { loadLearner } = await import('./checkpoint.js');
    return loadLearner(dir, opts);
  }

  /** Marks the env as needing a reset at the next rollout (e.g. after evaluation used it). */
  resetEnv(): void {
    this.boundEnv = null;
  }

  dispose(): void {
    this.engine.dispose();
  }
}

/** The engine a backend runs: the native engine for 'native' (see backend.ts), the TensorFlow.js engine otherwise. */
function defaultEngine(backend: string): (layout: ParamLayout, params: Float32Array) => PolicyValueEngine {
  return backend === 'native' ? (l, q) => new NativeMlpEngine(l, q) : (l, q) => new TfMlpEngine(l, q);
}

function allocScratch(E: number, D: number, K: number, B: number, P: number, N: number) {
  return {
    lastObs: new Float32Array(E * D),
    lastMasks: new Uint8Array(E * K),
    logits: new Float32Array(E * K),
    values: new Float32Array(E),
    actions: new Int32Array(E),
    logProbs: new Float32Array(E),
    rewards: new Float32Array(E),
    dones: new Uint8Array(E),
    finalValues: new Float32Array(E),
    truncRows: new Int32Array(E),
    truncObs: new Float32Array(E * D),
    truncLogits: new Float32Array(E * K),
    truncValues: new Float32Array(E),
    indices: new Int32Array(N),
    mbObs: new Float32Array(B * D),
    mbMasks: new Uint8Array(B * K),
    mbActions: new Int32Array(B),
    mbOldLogProbs: new Float32Array(B),
    mbOldValues: new Float32Array(B),
    mbAdvantages: new Float32Array(B),
    mbReturns: new Float32Array(B),
    mbLogits: new Float32Array(B * K),
    mbValues: new Float32Array(B),
    dLogits: new Float32Array(B * K),
    dValues: new Float32Array(B),
    probs: new Float64Array(B * K),
    grad: new Float32Array(P),
    pObs: new Float32Array(0),
    pLogits: new Float32Array(0),
    pValues: new Float32Array(0),
  };
}

export type { RolloutSummary, TrainDiagnostics } from './diagnostics.js';
