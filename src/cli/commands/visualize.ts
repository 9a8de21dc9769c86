import type { Command } from 'commander';
import { isAbsolute, relative, resolve } from 'node:path';
import { SchedError } from '../../errors.js';
import { visualizeRun } from '../../viz/visualize.js';
import type { CliIO } from '../context.js';

/** `sched visualize [--run DIR]`: charts and the training report of a run folder. */
export function registerVisualize(program: Command, io: CliIO): void {
  program
    .command('visualize')
    .description('render PNG charts (stage progress, curriculum overview, PPO vs baselines, Gantt) and training_report.md into <run>/visualizations/')
    .option('--run <dir>', 'run folder (holds logs/, checkpoints/, reports/, schedules/)', '.')
    .option('--snapshot <file...>', 'snapshot file(s) the exported schedules were built on, for break and holiday shading')
    .option('--max-machines <n>', 'most machine rows in a Gantt chart (the busiest are kept)', '40')
    .action(async (opts: { run: string; snapshot?: string[]; maxMachines: string }) => {
      const maxMachines = Number(opts.maxMachines);
      if (!Number.isInteger(maxMachines) || maxMachines < 1) {
        throw new SchedError('USAGE', `--max-machines must be a positive integer, got "${opts.maxMachines}"`);
      }
      const runDir = resolve(io.cwd, opts.run);
      const res = await visualizeRun(runDir, { snapshots: opts.snapshot, maxMachines, cwd: io.cwd });
      for (const w of res.warnings) io.err(`warning: ${w}`);
      // paths relative to the working folder when inside it, absolute otherwise
      const show = (p: string) => {
        const r = relative(io.cwd, p);
        return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? p : r;
      };
      io.out(`wrote ${res.written.length} files to ${show(res.outDir)}:`);
      for (const p of res.written) io.out(`  ${show(p)}`);
    });
}
