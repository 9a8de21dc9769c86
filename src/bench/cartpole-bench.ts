import { CartPoleVecEnv } from '../ppo/cartpole.js';
import { evaluatePolicy } from '../ppo/evaluate.js';
import { defaultHyperparams, defaultNormalize } from '../ppo/hyperparams.js';
import { PpoLearner } from '../ppo/learner.js';
import { parseSchedule } from '../ppo/schedules.js';
import type { Logger } from '../log.js';

export interface CartPoleRunResult {
  seed: number;
  /** First evaluated timestep whose mean return reached 475, or null. */
  solved_at: number | null;
  final_eval_mean: number;
  /** Wall seconds of training (collect + update), evaluation excluded. */
  wall_s: number;
  /** CPU seconds of the process over the same spans (all its threads): the wall time an unshared machine would show. */
  cpu_s: number;
  evals: { step: number; mean: number }[];
  backend: string;
}

export const CARTPOLE_SOLVED = 475;

/**
 * PPO on CartPole-v1 with RL Baselines3 Zoo's hyperparameters (8 envs, n_steps 32, minibatch
 * 256, gae_lambda 0.8, gamma 0.98, 20 epochs, ent_coef 0, lr lin_1e-3, clip lin_0.2,
 * [64, 64] tanh, no normalization, 1e5 steps), evaluated every 10k steps on 10 deterministic
 * episodes.
 */
export function runCartPole(seed: number, opts: { totalSteps?: number; evalEvery?: number; evalEpisodes?: number; backend?: string; log?: Logger } = {}): CartPoleRunResult {
  const total = opts.totalSteps ?? 100_000;
  const evalEvery = opts.evalEvery ?? 10_000;
  const numEnvs = 8;
  const hp = defaultHyperparams({
    nSteps: 32, batchSize: 256, gaeLambda: 0.8, gamma: 0.98, nEpochs: 20, entCoef: 0,
    learningRate: parseSchedule('lin_1e-3'), clipRange: parseSchedule('lin_0.2'),
  });
  const learner = new PpoLearner({
    obsDim: 4, numActions: 2, numEnvs, hyperparams: hp, seed, backend: opts.backend,
    network: { hiddenSizes: [64, 64], activation: 'tanh', layerNorm: false },
    normalize: defaultNormalize({ obs: false, reward: false, gamma: 0.98 }),
    log: opts.log,
  });
  const env = new CartPoleVecEnv(numEnvs, seed);
  const evalEnv = new CartPoleVecEnv(opts.evalEpisodes ?? 10, seed + 1000);
  const evals: { step: number; mean: number }[] = [];
  let solvedAt: number | null = null;
  let nextEval = evalEvery;
  let wall = 0;
  let cpu = 0;
  try {
    while (learner.numTimesteps < total) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      learner.collectRollout(env);
      learner.train(1 - learner.numTimesteps / total);
      const c = process.cpuUsage(c0);
      cpu += (c.user + c.system) / 1e6;
      wall += (performance.now() - t0) / 1000;
      if (learner.numTimesteps >= nextEval || learner.numTimesteps >= total) {
        nextEval += evalEvery;
        const r = evaluatePolicy(learner, evalEnv, opts.evalEpisodes ?? 10, true, seed + 1000 + evals.length);
        evals.push({ step: learner.numTimesteps, mean: r.meanReturn });
        opts.log?.info({ seed, step: learner.numTimesteps, eval_mean: r.meanReturn, wall_s: +wall.toFixed(2) }, 'cartpole eval');
        if (solvedAt === null && r.meanReturn >= CARTPOLE_SOLVED) solvedAt = learner.numTimesteps;
      }
    }
  } finally {
    learner.dispose();
  }
  return { seed, solved_at: solvedAt, final_eval_mean: evals.length ? evals[evals.length - 1].mean : NaN, wall_s: wall, cpu_s: cpu, evals, backend: opts.backend ?? 'unknown' };
}
