import type { Command } from 'commander';
import { SchedError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '../../ppo/backend.js';
import { benchMemory, benchUpdateAllBackends, UPDATE_BENCH, type UpdateBenchResult, type UpdateBenchSkip } from '../../bench/learner-bench.js';
import { runCartPole, CARTPOLE_SOLVED } from '../../bench/cartpole-bench.js';
import type { CliIO } from '../context.js';

interface Options {
  task: string;
  json?: boolean;
  seeds: string;
  backend?: string;
  repeats: string;
  steps?: string;
  threads?: string;
}

/** `sched bench learner`: PPO update throughput per backend, or PPO on CartPole-v1. */
export function registerBenchLearner(bench: Command, io: CliIO): void {
  bench
    .command('learner')
    .description('PPO learner benchmarks: the update alone (samples/s per backend) or CartPole-v1 training (--task cartpole)')
    .option('--task <task>', 'update (one PPO update, every backend that loads), cartpole (RL Zoo hyperparameters) or memory (RSS over --steps updates)', 'update')
    .option('--json', 'print machine-readable JSON instead of a table')
    .option('--seeds <list>', 'cartpole: comma-separated seeds', '0,1,2')
    .option('--backend <name>', `cartpole: ${BACKEND_CHOICES.join('|')} (default auto); update: only this backend`)
    .option('--repeats <n>', 'update: repeats per backend (median reported)', '3')
    .option('--threads <n>', 'threads of the native engine (OpenBLAS; default: one per free core)')
    .option('--steps <n>', 'cartpole: training timesteps per seed (default 100000); memory: updates (default 1000)')
    .action(async (o: Options) => {
      const log = createLogger({ terminal: io.isTTY && !o.json });
      if (o.backend !== undefined && !BACKEND_CHOICES.includes(o.backend as BackendChoice)) {
        throw new SchedError('USAGE', `--backend: unknown backend "${o.backend}"; expected one of ${BACKEND_CHOICES.join(', ')}`);
      }
      const repeats = positiveInt(o.repeats, '--repeats');
      const threads = o.threads !== undefined ? positiveInt(o.threads, '--threads') : undefined;
      if (o.task === 'update') {
        const backends = o.backend && o.backend !== 'auto' ? [o.backend as BackendChoice] : undefined;
        const results = await benchUpdateAllBackends({ repeats, backends, log, threads });
        if (o.json) io.out(JSON.stringify(results, null, 2));
        else io.out(formatUpdate(results));
      } else if (o.task === 'cartpole') {
        const seeds = o.seeds.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
          const n = Number(s);
          if (!Number.isInteger(n) || n < 0) throw new SchedError('USAGE', `--seeds: "${s}" is not a non-negative integer (expected e.g. 0,1,2)`);
          return n;
        });
        const steps = positiveInt(o.steps ?? '100000', '--steps');
        const info = await selectBackend((o.backend ?? 'auto') as BackendChoice, { log, ...(threads !== undefined ? { threads } : {}) });
        const results = seeds.map((seed) => runCartPole(seed, { backend: info.name, totalSteps: steps, log }));
        if (o.json) io.out(JSON.stringify(results.map(({ seed, solved_at, final_eval_mean, wall_s, cpu_s }) => ({ seed, solved_at, final_eval_mean, wall_s: round(wall_s, 2), cpu_s: round(cpu_s, 2) })), null, 2));
        else {
          const lines = [`PPO CartPole-v1, RL Zoo hyperparameters, ${steps} steps, backend ${info.name} (${info.device}); wall and cpu (the process's CPU time, all threads) exclude evaluation`, '', 'seed  solved_at (>= 475)  final eval  wall s   cpu s  evals (step: mean)'];
          for (const r of results) {
            lines.push(`${String(r.seed).padEnd(4)}  ${String(r.solved_at ?? 'not solved').padEnd(18)}  ${r.final_eval_mean.toFixed(1).padStart(10)}  ${r.wall_s.toFixed(1).padStart(6)}  ${r.cpu_s.toFixed(1).padStart(6)}  ${r.evals.map((e) => `${e.step}: ${e.mean.toFixed(0)}`).join(', ')}`);
          }
          lines.push('', `solved = mean of 10 deterministic episodes >= ${CARTPOLE_SOLVED}; SB3 on this machine: solved at 20k in every seed, 25.8-27.3 s per seed`);
          io.out(lines.join('\n'));
        }
      } else if (o.task === 'memory') {
        const updates = positiveInt(o.steps ?? '1000', '--steps');
        const info = await selectBackend((o.backend ?? 'auto') as BackendChoice, { log, ...(threads !== undefined ? { threads } : {}) });
        if (!o.json) io.out(`memory over ${updates} PPO updates (16 x 16 samples, minibatch 64, 4 epochs, [${UPDATE_BENCH.hiddenSizes.join(', ')}] ReLU), backend ${info.name} (${info.device})\n\nupdate  rss MB  heap MB  tensors`);
        const samples = benchMemory({ updates, backend: info.name, onSample: (s) => { if (!o.json) io.out(`${String(s.update).padStart(6)}  ${s.rss_mb.toFixed(1).padStart(6)}  ${s.heap_mb.toFixed(1).padStart(7)}  ${String(s.tensors).padStart(7)}`); } });
        if (o.json) io.out(JSON.stringify(samples, null, 2));
      } else {
        throw new SchedError('USAGE', `--task: unknown task "${o.task}"; expected update, cartpole or memory`);
      }
    });
}

function formatUpdate(results: (UpdateBenchResult | UpdateBenchSkip)[]): string {
  const b = UPDATE_BENCH;
  const lines = [
    `One PPO update: obs ${b.obsDim}, ${b.numActions} masked actions, ${b.samples} samples x ${b.epochs} epochs, minibatch ${b.batchSize}, actor + critic [${b.hiddenSizes.join(', ')}]`,
    '',
    'backend          activation  samples/s  ms/step  steps timed  device',
  ];
  for (const r of results) {
    if ('skipped' in r) lines.push(`${r.backend.padEnd(16)} skipped: ${r.skipped}`);
    else lines.push(`${r.backend.padEnd(16)} ${r.activation.padEnd(10)}  ${Math.round(r.samples_per_s).toString().padStart(9)}  ${r.ms_per_step.toFixed(1).padStart(7)}  ${String(r.steps_timed).padStart(11)}  ${r.device}`);
  }
  lines.push('', 'samples/s = samples x epochs / seconds (median of repeats); SB3 MaskablePPO on this machine: 42,400 (tanh) / 48,300 (ReLU)');
  return lines.join('\n');
}

function positiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new SchedError('USAGE', `${name}: expected a positive integer, got "${v}"`);
  return n;
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
