import { Command } from 'commander';
import { resolve } from 'node:path';
import { loadSnapshotFile } from '../../data/snapshots/load.js';
import { snapshotWarnings, warningCount, warningLine, type SnapshotWarning } from '../../data/snapshots/warnings.js';
import { SchedError, formatError } from '../../errors.js';
import type { CliIO } from '../context.js';

/** `sched snapshots ...`: data preparation. Subcommands are added by their own modules. */
export function snapshotsCommand(program: Command): Command {
  return program.command('snapshots').description('generate, validate, import and describe snapshot files');
}

/** Warning lines as printed under a file (`  ⚠ jobs[3].due: ...`). */
export const warningLines = (ws: readonly SnapshotWarning[]) => ws.map((w) => `  ⚠ ${warningLine(w)}`);

/** Under --strict: warnings (already printed) are a snapshot error, exit 4. */
export function strictWarnings(count: number, where: string): SchedError {
  return new SchedError('SNAPSHOT', `${warningCount(count)} in ${where} (--strict makes warnings fatal)`);
}

interface FileResult {
  file: string;
  valid: boolean;
  jobs?: number;
  tasks?: number;
  machines?: number;
  error?: string;
  warnings: SnapshotWarning[];
}

export function registerValidate(snapshots: Command, io: CliIO): void {
  snapshots
    .command('validate')
    .description('validate snapshot files; lists every problem by its path, and every warning (legal data that looks wrong); exit 0 only if all are valid')
    .argument('<files...>', 'snapshot JSON files')
    .option('--strict', 'treat warnings as errors (exit 4)')
    .option('--json', 'print the result per file, with its warnings, as JSON')
    .action((files: string[], opts: { strict?: boolean; json?: boolean }) => {
      const results: FileResult[] = files.map((file) => {
        try {
          const s = loadSnapshotFile(resolve(io.cwd, file));
          const tasks = s.jobs.reduce((n, j) => n + j.tasks.length, 0);
          return { file, valid: true, jobs: s.jobs.length, tasks, machines: s.machines.length, warnings: snapshotWarnings(s) };
        } catch (err) {
          if (!(err instanceof SchedError)) throw err;
          return { file, valid: false, error: formatError(err).replace(/^error: /, ''), warnings: [] };
        }
      });
      const bad = results.filter((r) => !r.valid).length;
      const warned = results.flatMap((r) => r.warnings);
      if (opts.json) io.out(JSON.stringify({ files: results, invalid: bad, warnings: warned.length }, null, 2));
      else {
        for (const r of results) {
          if (!r.valid) io.err(`FAIL ${r.error}`);
          else io.out([`ok   ${r.file}: ${r.jobs} jobs, ${r.tasks} tasks, ${r.machines} machines, ${warningCount(r.warnings.length)}`, ...warningLines(r.warnings)].join('\n'));
        }
      }
      const n = files.length;
      if (bad > 0) {
        throw new SchedError('SNAPSHOT', `${bad} of ${n} snapshot file${n === 1 ? '' : 's'} did not validate; ${warningCount(warned.length)} in the others`);
      }
      if (opts.strict && warned.length > 0) {
        throw strictWarnings(warned.length, `${results.filter((r) => r.warnings.length).length} of ${n} snapshot file${n === 1 ? '' : 's'}`);
      }
      if (!opts.json) io.out(`${n} of ${n} file${n === 1 ? '' : 's'} valid, ${warningCount(warned.length)}`);
    });
}
