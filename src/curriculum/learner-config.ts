import { SchedError } from '../errors.js';
import type { StageConfig } from '../config/types.js';
import type { ScheduleSpec } from '../config/schedule-string.js';
import type { NetworkConfig, NormalizeConfig, PpoHyperparams } from '../ppo/hyperparams.js';
import type { Logger } from '../log.js';
import type { VecEnv } from '../env/vec-env.js';
import { PpoLearner } from '../ppo/learner.js';
import { OBS_LAYOUT } from '../env/observation.js';
import { constantSchedule, linearSchedule, type Schedule } from '../ppo/schedules.js';

/** The config's `lin_3e-4` / number, as the learner's schedule function. */
export function toSchedule(spec: ScheduleSpec): Schedule {
  return spec.kind === 'linear' ? linearSchedule(spec.value) : constantSchedule(spec.value);
}

export function stageHyperparams(stage: StageConfig): PpoHyperparams {
  const p = stage.ppo;
  return {
    learningRate: toSchedule(p.learningRate),
    nSteps: p.nSteps,
    batchSize: p.batchSize,
    nEpochs: p.nEpochs,
    gamma: p.gamma,
    gaeLambda: p.gaeLambda,
    clipRange: toSchedule(p.clipRange),
    clipRangeVf: p.clipRangeVf ? toSchedule(p.clipRangeVf) : null,
    entCoef: p.entCoef,
    vfCoef: p.vfCoef,
    maxGradNorm: p.maxGradNorm,
    targetKl: p.targetKl,
    normalizeAdvantage: p.normalizeAdvantage,
  };
}

/** The network of a stage. Actor and critic are separate MLPs of the same hidden sizes. */
export function stageNetwork(stage: StageConfig): NetworkConfig {
  const { pi, vf } = stage.policy.netArch;
  if (pi.length !== vf.length || pi.some((h, i) => h !== vf[i])) {
    throw new SchedError('CONFIG', `stage ${stage.name}: policy.net_arch pi [${pi}] and vf [${vf}] differ; sched builds actor and critic with the same hidden sizes`);
  }
  return { hiddenSizes: [...pi], activation: stage.policy.activation, layerNorm: stage.policy.layerNorm };
}

export function stageNormalize(stage: StageConfig): NormalizeConfig {
  const n = stage.normalize;
  return { obs: n.obs, reward: n.reward, clipObs: n.clipObs, clipReward: n.clipReward, gamma: stage.ppo.gamma, epsilon: n.epsilon };
}

/** A new learner for a stage's environment, with the stage's network, normalization and PPO settings. */
export function newStageLearner(stage: StageConfig, env: VecEnv, seed: number, backend: string, log?: Logger): PpoLearner {
  return new PpoLearner({
    obsDim: env.obsDim, obsLayout: OBS_LAYOUT, numActions: env.numActions, numEnvs: stage.nEnvs, hyperparams: stageHyperparams(stage),
    network: stageNetwork(stage), normalize: stageNormalize(stage), seed, backend, ...(log ? { log } : {}),
  });
}

/**
 * A model carries over between stages only when its shape does: the observation size (set by
 * the candidate slots) and the network must be the same in every stage of a run.
 */
export function checkStagesCompatible(stages: readonly StageConfig[]): void {
  const first = stages[0];
  const problems: string[] = [];
  const net0 = JSON.stringify(stageNetwork(first));
  for (const s of stages.slice(1)) {
    if (s.env.candidateSlots !== first.env.candidateSlots) {
      problems.push(`stages[${s.index}].env.candidate_slots: ${s.env.candidateSlots} differs from ${first.name}'s ${first.env.candidateSlots}; the model could not carry over`);
    }
    if (JSON.stringify(stageNetwork(s)) !== net0) {
      problems.push(`stages[${s.index}].policy: the network differs from ${first.name}'s; the model could not carry over`);
    }
  }
  if (problems.length) throw new SchedError('CONFIG', 'the stages of this run cannot share one model', problems);
}
