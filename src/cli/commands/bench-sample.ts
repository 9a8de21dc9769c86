import type { Command } from 'commander';
import { resolve } from 'node:path';
import { getBaseline, RANDOMIZED_EPSILON } from '../../baselines/index.js';
import { benchSampling } from '../../bench/sample-bench.js';
import { loadSnapshotFile } from '../../data/snapshots/load.js';
import { SchedError } from '../../errors.js';
import { loadModel } from '../../evaluation/model-policy.js';
import { BACKEND_CHOICES } from '../../ppo/backend.js';
import type { CliIO } from '../context.js';
import { backendOption, positiveOption } from '../options.js';

/** `sched bench sample`: time per schedule of decode-time sampling and of the randomized rule. */
export function registerBenchSample(bench: Command, io: CliIO): void {
  bench
    .command('sample')
    .description('milliseconds per schedule of sched schedule --samples N: the model\'s best of N sampled rollouts and the randomized rule\'s best of N')
    .option('--model <dir>', 'trained model folder (checkpoints/<stage>/best); without it, the rule alone')
    .option('--snapshot <file>', 'snapshot to schedule', 'snapshots/snapshot_heavy.json')
    .option('--samples <list>', 'comma-separated sample counts; 0 = the plain one-pass schedule', '0,1,16,64')
    .option('--rule <name>', 'the rule given the same budget', 'atc')
    .option('--epsilon <x>', 'share of the randomized rule\'s decisions that take a random conflict-set candidate', String(RANDOMIZED_EPSILON))
    .option('--repeats <n>', 'repeats (the median is reported; the counts alternate within each)', '3')
    .option('--backend <name>', `TensorFlow.js backend: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .option('--json', 'print a JSON list of {policy, samples, wall_ms, cpu_ms, on_time_rate, mean_days_late, repeats}')
    .action(async (opts: { model?: string; snapshot: string; samples: string; rule: string; epsilon: string; repeats: string; backend: string; json?: boolean }) => {
      const backend = backendOption(opts.backend);
      const samples = opts.samples.split(',').map((v) => {
        const t = v.trim();
        if (!/^\d+$/.test(t)) throw new SchedError('USAGE', `--samples takes whole numbers >= 0 separated by commas, got "${opts.samples}"`);
        return Number(t);
      });
      const repeats = positiveOption('--repeats', opts.repeats, true);
      const epsilon = Number(opts.epsilon);
      if (opts.epsilon.trim() === '' || !(epsilon >= 0 && epsilon <= 1)) throw new SchedError('USAGE', `--epsilon must be a number from 0 to 1, got "${opts.epsilon}"`);
      getBaseline(opts.rule);
      const snapshot = loadSnapshotFile(resolve(io.cwd, opts.snapshot));
      const model = opts.model !== undefined ? await loadModel(resolve(io.cwd, opts.model), backend) : null;
      try {
        const rows = benchSampling(snapshot, model, { samples, rule: opts.rule, epsilon, repeats });
        if (opts.json) {
          io.out(JSON.stringify(rows, null, 2));
          return;
        }
        const tasks = snapshot.jobs.reduce((n, j) => n + j.tasks.length, 0);
        io.out(`sampling benchmark: ${snapshot.name} (${snapshot.jobs.length} jobs, ${tasks} tasks, ${snapshot.machines.length} machines), median of ${repeats} (ms per schedule: CPU of this process, wall clock in brackets)`);
        io.out(`${'policy'.padEnd(8)} ${'samples'.padStart(7)} ${'cpu ms'.padStart(9)} ${'(wall)'.padStart(10)} ${'on time'.padStart(8)} ${'days late'.padStart(9)}`);
        for (const r of rows) {
          io.out(`${r.policy.padEnd(8)} ${String(r.samples).padStart(7)} ${r.cpu_ms.toFixed(0).padStart(9)} ${`(${r.wall_ms.toFixed(0)})`.padStart(10)} ${`${(100 * r.on_time_rate).toFixed(1)}%`.padStart(8)} ${r.mean_days_late.toFixed(2).padStart(9)}`);
        }
      } finally {
        model?.learner.dispose();
      }
    });
}
