import type { PretrainConfig, StageConfig } from '../config/types.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { BASELINE_NAMES, getBaseline } from '../baselines/index.js';
import { TIME_EPS } from '../env/calendar.js';
import { compileInstance } from '../env/instance.js';
import { episodeMetrics } from '../env/metrics.js';
import { bestByObjective, compareByObjective, objectiveOf } from '../env/objective.js';
import { obsDimFor, writeObservation } from '../env/observation.js';
import { Simulator } from '../env/simulator.js';
import { selectSlots } from '../env/slots.js';
import { imitate, type Demonstrations, type ImitationEpoch } from '../ppo/imitation.js';
import type { PpoLearner } from '../ppo/learner.js';
import { Rng } from '../util/rng.js';
import { rewardWeights, stageVariation } from './env-factory.js';
import { evaluateBaseline } from './evaluate.js';

/** What pretraining did, for the log, the progress line and training_state.json. */
export interface PretrainSummary {
  teacher: string;
  /** Teacher episodes and the decisions learned from. */
  episodes: number;
  decisions: number;
  /** Per episode with samples: how often a randomized run beat the plain rule. */
  improved_episodes: number;
  loss: number;
  value_loss: number;
  /** Share of held-out demonstration decisions where the policy picks the teacher's action. */
  agreement: number;
  seconds: number;
}

/**
 * The teacher: the configured rule, or for `best` the rule (random excluded) best by the
 * objective on the stage's training instances, each run once unvaried. Never the held-out ones.
 */
export function chooseTeacher(cfg: PretrainConfig, stage: StageConfig, train: readonly Snapshot[]): string {
  if (cfg.rule !== 'best') return cfg.rule;
  const rules = BASELINE_NAMES.filter((r) => r !== 'random');
  const evals = rules.map((r) => evaluateBaseline(r, train, stage.env));
  return rules[bestByObjective(evals, (e) => e, objectiveOf(train))];
}

/**
 * Demonstrations of the teacher on `cfg.episodes` varied training instances (the stage's own
 * per-episode variation, seeded from `seed`). With `cfg.samples = N`, each episode runs the plain
 * rule and N runs that take a uniformly random visible conflict-set candidate at `cfg.epsilon`
 * of their decisions, and the best of them by the objective is what is learned (self-labeling).
 * The learned run is replayed to record its observations, masks, slot actions and rewards; the
 * critic's targets are the discounted returns of the rewards scaled as VecNormalize scales them
 * (its return statistics are updated here, as a rollout would).
 */
export function collectDemonstrations(learner: PpoLearner, stage: StageConfig, train: readonly Snapshot[], cfg: PretrainConfig, teacher: string, seed: number): {
  demos: Demonstrations;
  improved: number;
} {
  const K = learner.numActions;
  const D = obsDimFor(K);
  const instances = train.map((s) => compileInstance(s));
  const objective = objectiveOf(train);
  const opts = { instances, slots: K, reward: rewardWeights(stage.env), variation: stageVariation(stage), placement: stage.env.placement };
  const runs = cfg.samples + 1;
  const sampler = new Simulator({ ...opts, numEnvs: runs, features: true });
  const replay = new Simulator({ ...opts, numEnvs: 1, features: true });
  const maxTasks = Math.max(...instances.map((i) => i.numTasks));
  const positions = Array.from({ length: runs }, () => new Int32Array(maxTasks));
  const cap = cfg.episodes * maxTasks;
  const demos: Demonstrations = { n: 0, obs: new Float32Array(cap * D), masks: new Uint8Array(cap * K), actions: new Int32Array(cap), valueTargets: new Float32Array(cap) };
  const stepReward = new Float64Array(cap);
  const stepRow = new Int32Array(cap);
  const episodeEnds: number[] = [];
  const rule = getBaseline(teacher);
  const ruleRng = new Rng(seed ^ 0x1b873593);
  const epsRng = new Rng(seed ^ 0x68e31da4);
  let steps = 0;
  let improved = 0;

  for (let ep = 0; ep < cfg.episodes; ep++) {
    const epSeed = (seed ^ Math.imul(ep + 1, 0x85ebca6b)) >>> 0;
    for (let e = 0; e < runs; e++) {
      sampler.rngs[e].seed(epSeed);
      sampler.resetEnv(e);
    }
    for (let e = 0; e < runs; e++) {
      let t = 0;
      while (!sampler.isDone(e)) {
        let p: number;
        if (e > 0 && epsRng.float() < cfg.epsilon) {
          const fill = selectSlots(sampler, e);
          const b = sampler.conflictEnd[e] - TIME_EPS;
          let inSet = 0;
          while (inSet < fill && sampler.candStart[e * sampler.J + sampler.order[e * sampler.J + sampler.slotPos[e * K + inSet]]] < b) inSet++;
          p = sampler.slotPos[e * K + epsRng.int(Math.max(1, inSet))];
        } else p = rule.choose(sampler, e, ruleRng);
        positions[e][t++] = p;
        sampler.apply(e, p);
      }
    }
    const metrics = Array.from({ length: runs }, (_, e) => episodeMetrics(sampler, e));
    const best = bestByObjective(metrics, (m) => m, objective);
    if (compareByObjective(metrics[best], metrics[0], objective) < 0) improved++;

    // replay the chosen run, recording what the policy would see
    replay.rngs[0].seed(epSeed);
    replay.resetEnv(0);
    for (let t = 0; !replay.isDone(0); t++) {
      const fill = writeObservation(replay, 0, demos.obs, demos.n * D, K);
      const p = positions[best][t];
      let a = -1;
      for (let i = 0; i < fill; i++) if (replay.slotPos[i] === p) a = i;
      if (a >= 0) {
        demos.masks.fill(1, demos.n * K, demos.n * K + fill);
        demos.masks.fill(0, demos.n * K + fill, (demos.n + 1) * K);
        demos.actions[demos.n] = a;
        stepRow[steps] = demos.n++;
      } else stepRow[steps] = -1; // a pick no slot shows (a rule outside priorities.ts with K < its candidates): not learned
      stepReward[steps++] = replay.apply(0, p);
    }
    episodeEnds.push(steps);
  }
  scaleReturns(learner, stepReward, stepRow, episodeEnds, demos.valueTargets);
  return { demos, improved };
}

/**
 * Critic targets: per episode, the discounted return of each step's reward scaled and clipped as
 * VecNormalize scales rewards, after updating its return statistics with these episodes.
 */
function scaleReturns(learner: PpoLearner, reward: Float64Array, row: Int32Array, ends: number[], out: Float32Array): void {
  const vn = learner.vecNormalize;
  const { gamma, epsilon, clipReward, reward: scale } = vn.config;
  if (scale && vn.training) {
    const ret = new Float64Array(reward.length);
    let start = 0;
    for (const end of ends) {
      let g = 0;
      for (let t = start; t < end; t++) ret[t] = g = g * gamma + reward[t];
      start = end;
    }
    vn.retRms.update(ret, start);
  }
  const s = scale ? Math.sqrt(vn.retRms.var[0] + epsilon) : 1;
  let end = ends.length ? ends[ends.length - 1] : 0;
  for (let k = ends.length - 1; k >= 0; k--) {
    const start = k > 0 ? ends[k - 1] : 0;
    let g = 0;
    for (let t = end - 1; t >= start; t--) {
      const r = scale ? Math.max(-clipReward, Math.min(clipReward, reward[t] / s)) : reward[t];
      g = r + gamma * g;
      if (row[t] >= 0) out[row[t]] = g;
    }
    end = start;
  }
}

/**
 * Pretrains the learner by behaviour cloning of the stage's teacher (and fits its critic), with
 * the observation statistics updated from the demonstrations first. Deterministic given `seed`.
 */
export function pretrain(learner: PpoLearner, stage: StageConfig, train: readonly Snapshot[], seed: number, onEpoch?: (epoch: number, r: ImitationEpoch) => void): PretrainSummary {
  const cfg = stage.pretrain!;
  const t0 = performance.now();
  const teacher = chooseTeacher(cfg, stage, train);
  const { demos, improved } = collectDemonstrations(learner, stage, train, cfg, teacher, seed);
  learner.vecNormalize.observeObs(demos.obs, demos.n);
  const r = imitate(learner, demos, {
    epochs: cfg.epochs, batchSize: cfg.batchSize, learningRate: cfg.learningRate, vfCoef: cfg.vfCoef,
    maxGradNorm: stage.ppo.maxGradNorm, rng: new Rng(seed ^ 0x2f1e3c5d), ...(onEpoch ? { onEpoch } : {}),
  });
  return {
    teacher, episodes: cfg.episodes, decisions: demos.n, improved_episodes: improved,
    loss: r.loss, value_loss: r.value_loss, agreement: r.agreement, seconds: (performance.now() - t0) / 1000,
  };
}
