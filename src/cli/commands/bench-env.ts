import type { Command } from 'commander';
import { benchEnv, ENV_BENCH_STAGES } from '../../bench/env-bench.js';
import { getProfile } from '../../data/snapshots/profiles.js';
import type { CliIO } from '../context.js';
import { positiveOption } from '../options.js';

/** `sched bench env`: decisions per second of the scheduling environment. */
export function registerBenchEnv(bench: Command, io: CliIO): void {
  bench
    .command('env')
    .description('decisions per second of the scheduling environment (random masked actions, observations included), one core')
    .option('--json', 'print a JSON list of {stage, jobs, machines, decisions_per_s, wall_decisions_per_s}')
    .option('--seconds <s>', 'measured seconds per stage (split over 5 repeats; the median is reported)', '5')
    .option('--envs <n>', 'environments stepped together', '8')
    .option('--stages <list>', 'comma-separated stage profiles', ENV_BENCH_STAGES.join(','))
    .action((opts: { json?: boolean; seconds: string; envs: string; stages: string }) => {
      const seconds = positiveOption('--seconds', opts.seconds, false);
      const numEnvs = positiveOption('--envs', opts.envs, true);
      const stages = opts.stages.split(',').map((s) => s.trim()).filter(Boolean);
      stages.forEach((s) => getProfile(s)); // unknown names fail before measuring
      const rows = benchEnv({ stages, numEnvs, seconds, repeats: 5 });
      if (opts.json) {
        io.out(JSON.stringify(rows, null, 2));
        return;
      }
      io.out(`env benchmark: ${numEnvs} envs, random masked actions, median of 5 repeats (decisions per CPU-second; wall-clock in brackets)`);
      io.out(`${'stage'.padEnd(20)} ${'jobs'.padStart(5)} ${'machines'.padStart(8)} ${'decisions/s'.padStart(12)} ${'(wall)'.padStart(12)}`);
      for (const r of rows) {
        io.out(`${r.stage.padEnd(20)} ${String(r.jobs).padStart(5)} ${String(r.machines).padStart(8)} ${r.decisions_per_s.toLocaleString('en-US').padStart(12)} ${('(' + r.wall_decisions_per_s.toLocaleString('en-US') + ')').padStart(12)}`);
      }
    });
}
