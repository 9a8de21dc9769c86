import type { Command } from 'commander';
import { resolve } from 'node:path';
import { SchedError } from '../../errors.js';
import { loadCheckedCurriculum } from '../../curriculum/stage-data.js';
import { getProfile } from '../../data/snapshots/profiles.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../ppo/backend.js';
import { benchTrain, estimateCurriculumHours } from '../../bench/train-bench.js';
import { DEFAULT_CONFIG } from '../../curriculum/plan.js';
import { positiveOption } from '../options.js';
import type { CliIO } from '../context.js';

/** `sched bench train`: end-to-end steps per second of the training loop, per stage and backend. */
export function registerBenchTrain(bench: Command, io: CliIO): void {
  bench
    .command('train')
    .description('end-to-end environment steps/s of training (rollout + PPO update with the stage\'s own settings), per backend, and the estimated time of the whole curriculum')
    .option('--config <file>', 'curriculum whose stages are measured', DEFAULT_CONFIG)
    .option('--stages <list>', 'comma-separated stage names', 'toy_easy,production_expert')
    .option('--backends <list>', `comma-separated backends (${BACKEND_CHOICES.filter((b) => b !== 'auto').join(', ')})`, 'wasm,cpu')
    .option('--threads <n>', 'threads of the native engine (OpenBLAS; default: one per free core)')
    .option('--iterations <n>', 'rollout + update iterations per measurement (the last is reported)', '2')
    .option('--max-seconds <s>', 'report the first iteration alone when it takes longer than this', '60')
    .option('--json', 'print {rows: [{stage, backend, jobs, machines, rollout, epochs, collect_s, train_s, steps_per_s, eval_episode_s}], curriculum_estimate: [{backend, hours}]}')
    .action(async (f: { config: string; stages: string; backends: string; iterations: string; maxSeconds: string; threads?: string; json?: boolean }) => {
      const backends = f.backends.split(',').map((b) => b.trim()).filter(Boolean) as BackendChoice[];
      for (const b of backends) {
        if (!BACKEND_CHOICES.includes(b) || b === 'auto') throw new SchedError('USAGE', `unknown backend "${b}" in --backends: choose from ${BACKEND_CHOICES.filter((x) => x !== 'auto').join(', ')}`);
      }
      const config = loadCheckedCurriculum(resolve(io.cwd, f.config), io.cwd);
      const stages = f.stages.split(',').map((s) => s.trim()).filter(Boolean);
      if (!f.json) io.out(`train benchmark: ${f.config}, stages ${stages.join(', ')}, backends ${backends.join(', ')}`);
      const rows = await benchTrain({
        config, stages, backends,
        iterations: positiveOption('--iterations', f.iterations, true),
        maxSeconds: positiveOption('--max-seconds', f.maxSeconds, false),
        ...(f.threads !== undefined ? { threads: positiveOption('--threads', f.threads, true) } : {}),
        onRow: (r) => {
          if (!f.json) io.out(`${r.stage.padEnd(18)} ${r.backend.padEnd(6)} ${String(r.jobs).padStart(4)} jobs  rollout ${r.rollout} x ${r.epochs} epochs: collect ${r.collect_s.toFixed(2)} s + update ${r.train_s.toFixed(2)} s = ${r.steps_per_s} steps/s; eval episode ${r.eval_episode_s.toFixed(2)} s`);
        },
      });
      const jobsOf = (s: (typeof config.stages)[number]) => (s.data.kind === 'profile' ? getProfile(s.data.profile).jobs : 100);
      const estimate = [...new Set(rows.map((r) => r.backend))].map((backend) => ({ backend, hours: Math.round(estimateCurriculumHours(config, rows, backend, jobsOf) * 100) / 100 }));
      if (f.json) {
        io.out(JSON.stringify({ rows, curriculum_estimate: estimate }, null, 2));
        return;
      }
      for (const e of estimate) io.out(`estimated time of the whole curriculum (${config.stages.length} stages) on ${e.backend}: ${e.hours} h`);
    });
}
