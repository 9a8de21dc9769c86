import type { Command } from 'commander';
import { benchEnv, ENV_BENCH_STAGES } from '../../bench/env-bench.js';
import { getProfile } from '../../data/snapshots/profiles.js';
import { PLACEMENTS, type Placement } from '../../env/config.js';
import { SchedError } from '../../errors.js';
import type { CliIO } from '../context.js';
import { positiveOption } from '../options.js';

/** `sched bench env`: decisions per second of the scheduling environment. */
export function registerBenchEnv(bench: Command, io: CliIO): void {
  bench
    .command('env')
    .description('decisions per second of the scheduling environment (random masked actions, observations included), one core')
    .option('--json', 'print a JSON list of {stage, placement, jobs, machines, decisions_per_s, wall_decisions_per_s}')
    .option('--seconds <s>', 'measured seconds per stage (split over 5 repeats; the median is reported)', '5')
    .option('--envs <n>', 'environments stepped together', '8')
    .option('--stages <list>', 'comma-separated stage profiles', ENV_BENCH_STAGES.join(','))
    .option('--placement <list>', 'comma-separated placements to compare (append, fill_gaps), measured in alternating repeats', 'append')
    .action((opts: { json?: boolean; seconds: string; envs: string; stages: string; placement: string }) => {
      const seconds = positiveOption('--seconds', opts.seconds, false);
      const numEnvs = positiveOption('--envs', opts.envs, true);
      const stages = opts.stages.split(',').map((s) => s.trim()).filter(Boolean);
      stages.forEach((s) => getProfile(s)); // unknown names fail before measuring
      const placements = opts.placement.split(',').map((p) => p.trim()) as Placement[];
      const bad = placements.find((p) => !PLACEMENTS.includes(p));
      if (bad !== undefined) throw new SchedError('USAGE', `--placement: unknown placement "${bad}"; give ${PLACEMENTS.join(', ')} or both, comma-separated`);
      const rows = benchEnv({ stages, numEnvs, seconds, repeats: 5, placements });
      if (opts.json) {
        io.out(JSON.stringify(rows, null, 2));
        return;
      }
      io.out(`env benchmark: ${numEnvs} envs, random masked actions, median of 5 repeats (decisions per CPU-second; wall-clock in brackets)`);
      io.out(`${'stage'.padEnd(20)} ${'placement'.padEnd(10)} ${'jobs'.padStart(5)} ${'machines'.padStart(8)} ${'decisions/s'.padStart(12)} ${'(wall)'.padStart(12)}`);
      for (const r of rows) {
        io.out(`${r.stage.padEnd(20)} ${r.placement.padEnd(10)} ${String(r.jobs).padStart(5)} ${String(r.machines).padStart(8)} ${r.decisions_per_s.toLocaleString('en-US').padStart(12)} ${('(' + r.wall_decisions_per_s.toLocaleString('en-US') + ')').padStart(12)}`);
      }
    });
}
