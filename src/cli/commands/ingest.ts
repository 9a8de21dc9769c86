import type { Command } from 'commander';
import { resolve, extname } from 'node:path';
import { SchedError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { writeFileAtomic, writeJsonAtomic } from '../../io/atomic.js';
import { ingestDatabase } from '../../db/ingest.js';
import { loadMappingFile, resolveMapping } from '../../db/mapping.js';
import { reportJson, reportMarkdown } from '../../db/report.js';
import { warningCount } from '../../data/snapshots/warnings.js';
import type { CliIO } from '../context.js';

/** Options shared by the database commands. */
export function addDbOptions(cmd: Command): Command {
  return cmd
    .option('--mysql <url>', 'mysql://user:password@host:port/database (default: $SCHED_MYSQL_URL)')
    .option('--mapping <file>', 'YAML/JSON file mapping table and column names (docs/database.md)')
    .option('--connect-timeout <s>', 'seconds to wait for a connection', '10')
    .option('--query-timeout <s>', 'seconds to wait for each query', '60')
    .option('--log <file>', 'also write JSON log lines to this file');
}

export interface DbCliOptions {
  mysql?: string;
  mapping?: string;
  connectTimeout: string;
  queryTimeout: string;
  log?: string;
}

export function dbUrl(o: DbCliOptions): string {
  const url = o.mysql ?? process.env.SCHED_MYSQL_URL;
  if (!url) throw new SchedError('USAGE', 'no database given: pass --mysql mysql://user:password@host:port/database or set SCHED_MYSQL_URL');
  return url;
}

export function dbTimeouts(o: DbCliOptions): { connectSeconds: number; querySeconds: number } {
  const seconds = (v: string, flag: string) => {
    const n = Number(v);
    if (!(n > 0)) throw new SchedError('USAGE', `${flag} must be a positive number of seconds, got "${v}"`);
    return n;
  };
  return { connectSeconds: seconds(o.connectTimeout, '--connect-timeout'), querySeconds: seconds(o.queryTimeout, '--query-timeout') };
}

export function dbMapping(o: DbCliOptions, io: CliIO) {
  return o.mapping ? loadMappingFile(resolve(io.cwd, o.mapping)) : resolveMapping({});
}

export function registerIngest(program: Command, io: CliIO): void {
  addDbOptions(
    program
      .command('ingest')
      .description('read machines, jobs, tasks, break times and holidays from MariaDB/MySQL into a snapshot file')
      .requiredOption('--out <file>', 'snapshot JSON file to write')
      .option('--start <iso>', 'date-time of hour 0 (default: the earliest release date, else the current hour, UTC)')
      .option('--name <name>', 'snapshot name (default: the database name)')
      .option('--skip-invalid', 'leave bad rows (and what depends on them) out instead of stopping; report them')
      .option('--strict', 'treat warnings (legal rows that look wrong) as errors: stop and write nothing')
      .option('--report <file>', 'write the ingest report here (.json for JSON, else markdown; default with skipped rows or warnings: <out>.report.md)'),
  ).action(async (o: DbCliOptions & { out: string; start?: string; name?: string; skipInvalid?: boolean; strict?: boolean; report?: string }) => {
    const url = dbUrl(o);
    const timeouts = dbTimeouts(o);
    const mapping = dbMapping(o, io);
    const logger = createLogger({ file: o.log ? resolve(io.cwd, o.log) : undefined, terminal: io.isTTY });
    const { file, report } = await ingestDatabase(url, { mapping, start: o.start, name: o.name, skipInvalid: o.skipInvalid, strict: o.strict, timeouts, logger });
    const out = resolve(io.cwd, o.out);
    writeJsonAtomic(out, file);
    // the report goes to --report, or beside the snapshot when rows were skipped or look wrong
    const noteworthy = report.badRows.length > 0 || report.warnings.length > 0;
    const reportPath = o.report ? resolve(io.cwd, o.report) : noteworthy ? out.replace(/(\.json)?$/i, '.report.md') : undefined;
    if (reportPath) writeFileAtomic(reportPath, extname(reportPath).toLowerCase() === '.json' ? reportJson(report) : reportMarkdown(report));
    if (report.badRows.length > 0) io.out(reportMarkdown(report) + `\n(report written to ${reportPath})`);
    else for (const w of report.warnings) io.out(`⚠ ${w.sentence}`);
    const s = report.snapshot;
    io.out(`wrote ${o.out}: ${s.jobs} jobs, ${s.tasks} tasks, ${s.machines} machines, hour 0 = ${report.start} (from ${report.source})`);
    io.out(`${warningCount(report.warnings.length)}${report.warnings.length ? ` (listed in ${reportPath})` : ''}`);
    logger.info({ out, ...s }, 'snapshot written');
  });
}
