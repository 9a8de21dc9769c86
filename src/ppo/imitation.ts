import { SchedError } from '../errors.js';
import type { PpoLearner } from './learner.js';
import { maskedArgmax, maskedProbs } from './masked-categorical.js';
import type { Rng } from '../util/rng.js';

/**
 * Demonstrations for behaviour cloning: `n` rows of raw (unnormalized) observations, masks,
 * the teacher's actions and the critic's targets (discounted returns of normalized rewards).
 */
export interface Demonstrations {
  n: number;
  obs: Float32Array;
  masks: Uint8Array;
  actions: Int32Array;
  valueTargets: Float32Array;
}

export interface ImitationOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Weight of the critic's squared error beside the actor's cross-entropy. */
  vfCoef: number;
  maxGradNorm: number;
  rng: Rng;
  /** Rows held out to measure agreement with the teacher (not trained on). */
  validationShare?: number;
  /** Called after each epoch (progress lines). */
  onEpoch?: (epoch: number, r: ImitationEpoch) => void;
}

export interface ImitationEpoch {
  /** Mean cross-entropy of the teacher's action on the training rows. */
  loss: number;
  value_loss: number;
  /** Share of held-out rows where the policy's most probable action is the teacher's. */
  agreement: number;
}

/**
 * Behaviour cloning of a teacher into the learner's policy, and its critic fitted to the
 * demonstrations' returns: minibatch Adam on the masked cross-entropy of the teacher's action
 * (gradient softmax - onehot over the valid actions) plus `vfCoef` x the value's squared error,
 * with global gradient-norm clipping, through the same engine as PPO. Observations are
 * normalized with the learner's current statistics (update them from the demonstrations first).
 * The optimizer's moments are reset afterwards, so PPO starts with a fresh Adam, as it would
 * after loading a model. Returns the last epoch's figures.
 */
export function imitate(learner: PpoLearner, demos: Demonstrations, o: ImitationOptions): ImitationEpoch {
  const { obsDim: D, numActions: K } = learner;
  const nVal = Math.min(demos.n - 1, Math.floor(demos.n * (o.validationShare ?? 0.1)));
  const order = new Int32Array(demos.n);
  for (let i = 0; i < demos.n; i++) order[i] = i;
  o.rng.shuffle(order, demos.n);
  const valRows = order.subarray(0, nVal);
  const trainRows = order.subarray(nVal);
  const nTrain = trainRows.length;
  const B = Math.min(o.batchSize, nTrain);
  if (B < 1) throw new SchedError('CONFIG', 'pretraining collected no decisions to learn from');

  const mbObs = new Float32Array(B * D);
  const mbMasks = new Uint8Array(B * K);
  const logits = new Float32Array(B * K);
  const values = new Float32Array(B);
  const dLogits = new Float32Array(B * K);
  const dValues = new Float32Array(B);
  const probs = new Float64Array(B * K);
  const grad = new Float32Array(learner.layout.size);
  const engine = learner.engine;
  const vn = learner.vecNormalize;
  let last: ImitationEpoch = { loss: NaN, value_loss: NaN, agreement: NaN };
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    o.rng.shuffle(trainRows, nTrain);
    let lossSum = 0;
    let vSum = 0;
    let batches = 0;
    for (let start = 0; start + B <= nTrain; start += B) {
      for (let b = 0; b < B; b++) {
        const i = trainRows[start + b];
        mbObs.set(demos.obs.subarray(i * D, (i + 1) * D), b * D);
        mbMasks.set(demos.masks.subarray(i * K, (i + 1) * K), b * K);
      }
      vn.normalizeObs(mbObs, B, mbObs);
      engine.forwardTrain(mbObs, B, logits, values);
      let loss = 0;
      let vLoss = 0;
      for (let b = 0; b < B; b++) {
        const i = trainRows[start + b];
        const a = demos.actions[i];
        maskedProbs(logits, mbMasks, b, K, probs);
        loss -= Math.log(Math.max(probs[b * K + a], 1e-30));
        for (let k = 0; k < K; k++) dLogits[b * K + k] = (probs[b * K + k] - (k === a ? 1 : 0)) / B;
        const err = values[b] - demos.valueTargets[i];
        vLoss += err * err;
        dValues[b] = (o.vfCoef * 2 * err) / B;
      }
      if (!Number.isFinite(loss) || !Number.isFinite(vLoss)) {
        engine.release();
        throw new SchedError('TRAINING', `the imitation loss is not finite (${loss}, value ${vLoss}) in pretraining epoch ${epoch + 1}`);
      }
      engine.backward(dLogits, dValues, grad);
      const norm = learner.clipAndStep(grad, o.learningRate, o.maxGradNorm);
      if (!Number.isFinite(norm)) throw new SchedError('TRAINING', `the imitation gradient is not finite (norm ${norm}) in pretraining epoch ${epoch + 1}`);
      lossSum += loss / B;
      vSum += vLoss / B;
      batches++;
    }
    last = { loss: lossSum / Math.max(1, batches), value_loss: vSum / Math.max(1, batches), agreement: agreement(learner, demos, valRows) };
    o.onEpoch?.(epoch, last);
  }
  learner.adam.m.fill(0);
  learner.adam.v.fill(0);
  learner.adam.step = 0;
  return last;
}

/** Share of `rows` where the learner's deterministic action is the demonstrated one (batched forward passes). */
export function agreement(learner: PpoLearner, demos: Demonstrations, rows: Int32Array, batch = 512): number {
  if (rows.length === 0) return NaN;
  const { obsDim: D, numActions: K } = learner;
  const obs = new Float32Array(batch * D);
  const masks = new Uint8Array(batch * K);
  const logits = new Float32Array(batch * K);
  const values = new Float32Array(batch);
  let same = 0;
  for (let start = 0; start < rows.length; start += batch) {
    const n = Math.min(batch, rows.length - start);
    for (let b = 0; b < n; b++) {
      const i = rows[start + b];
      obs.set(demos.obs.subarray(i * D, (i + 1) * D), b * D);
      masks.set(demos.masks.subarray(i * K, (i + 1) * K), b * K);
    }
    learner.vecNormalize.normalizeObs(obs, n, obs);
    learner.engine.forward(obs, n, logits, values);
    for (let b = 0; b < n; b++) if (maskedArgmax(logits, masks, b, K) === demos.actions[rows[start + b]]) same++;
  }
  return same / rows.length;
}
