import { Command } from 'commander';
import { resolve } from 'node:path';
import { loadSnapshotFile } from '../../data/snapshots/load.js';
import { SchedError, formatError } from '../../errors.js';
import type { CliIO } from '../context.js';

/** `sched snapshots ...`: data preparation. Subcommands are added by their own modules. */
export function snapshotsCommand(program: Command): Command {
  return program.command('snapshots').description('generate, validate, import and describe snapshot files');
}

export function registerValidate(snapshots: Command, io: CliIO): void {
  snapshots
    .command('validate')
    .description('validate snapshot files; lists every problem by its path; exit 0 only if all are valid')
    .argument('<files...>', 'snapshot JSON files')
    .action((files: string[]) => {
      let bad = 0;
      for (const f of files) {
        try {
          const s = loadSnapshotFile(resolve(io.cwd, f));
          const tasks = s.jobs.reduce((n, j) => n + j.tasks.length, 0);
          io.out(`ok   ${f}: ${s.jobs.length} jobs, ${tasks} tasks, ${s.machines.length} machines`);
        } catch (err) {
          if (!(err instanceof SchedError)) throw err;
          bad += 1;
          io.err(`FAIL ${formatError(err).replace(/^error: /, '')}`);
        }
      }
      if (bad > 0) {
        throw new SchedError('SNAPSHOT', `${bad} of ${files.length} snapshot file${files.length === 1 ? '' : 's'} did not validate`);
      }
    });
}
