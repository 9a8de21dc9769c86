import type { Logger } from 'pino';
import { SchedError } from '../errors.js';
import { parseSnapshot, toSnapshotFile } from '../data/snapshots/load.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { snapshotWarnings, warningCount, type SnapshotWarning, type WarningRule } from '../data/snapshots/warnings.js';
import { openDb, type Db, type DbTimeouts } from './connection.js';
import { DEFAULT_MAPPING, TABLE_KEYS, q, type Mapping, type TableKey } from './mapping.js';
import { buildSnapshot, problemSentence, type LeftOut, type RowProblem, type Tables } from './build.js';

/**
 * `sched ingest`: reads the six tables (one parameter-free SELECT each, every identifier from
 * the mapping backtick-quoted), checks every row, and returns a validated snapshot. Bad rows
 * stop the ingest (SchedError 'DATA', one line per row) unless `skipInvalid`, which leaves them
 * and whatever depends on them out and lists them in the report. Rows that are legal but look
 * wrong (src/data/snapshots/warnings.ts) are warnings, named by table, row id and column; they
 * stop the ingest only when `strict`.
 */

export interface IngestOptions {
  mapping?: Mapping;
  /** ISO date-time of hour 0; default: the earliest release date, else the current hour (UTC). */
  start?: string;
  /** Snapshot name; default `<database>`. */
  name?: string;
  skipInvalid?: boolean;
  /** Warnings stop the ingest (SchedError 'DATA') instead of being reported. */
  strict?: boolean;
  timeouts?: DbTimeouts;
  logger?: Logger;
}

export interface IngestReport {
  source: string;
  database: string;
  start: string;
  rowsRead: Record<string, number>;
  snapshot: { jobs: number; tasks: number; machines: number; calendars: number };
  badRows: (RowProblem & { sentence: string })[];
  leftOut: LeftOut[];
  /** Legal rows that look wrong, with the rule and the snapshot path they concern. */
  warnings: RowWarning[];
}

export interface RowWarning extends RowProblem {
  rule: WarningRule;
  path: string;
  sentence: string;
}

export interface IngestResult {
  snapshot: Snapshot;
  /** The snapshot in file form (what `sched ingest` writes). */
  file: Record<string, unknown>;
  report: IngestReport;
}

/** SELECT list of a table: `col` AS `logicalName` for every mapped column. */
export function selectSql(m: Mapping, key: TableKey): string {
  const cols = Object.entries(m[key].columns as Record<string, string | null>)
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([logical, col]) => `${q(col)} AS ${q(logical)}`);
  return `SELECT ${cols.join(', ')} FROM ${q(m[key].table)}`;
}

export async function readTables(db: Db, m: Mapping): Promise<Tables> {
  const out = {} as Tables;
  for (const key of TABLE_KEYS) out[key] = await db.query(selectSql(m, key), [], m[key].table);
  return out;
}

export async function ingestDatabase(url: string, opts: IngestOptions = {}): Promise<IngestResult> {
  const m = opts.mapping ?? (DEFAULT_MAPPING as Mapping);
  if (opts.start !== undefined && !Number.isFinite(Date.parse(opts.start))) {
    throw new SchedError('USAGE', `--start "${opts.start}" is not an ISO date-time (e.g. 2026-11-02T06:00:00Z)`);
  }
  const db = await openDb(url, opts.timeouts);
  let tables: Tables;
  try {
    opts.logger?.info({ source: db.target.redacted }, 'reading database');
    tables = await readTables(db, m);
  } finally {
    await db.close();
  }
  const database = db.target.database;
  const built = buildSnapshot(m, tables, { name: opts.name ?? database, start: opts.start });
  const badRows = built.problems.map((p) => ({ ...p, sentence: problemSentence(p) }));
  if (badRows.length > 0 && !opts.skipInvalid) {
    const n = badRows.length;
    throw new SchedError(
      'DATA',
      `database "${database}" holds ${n} bad row${n === 1 ? '' : 's'}; fix ${n === 1 ? 'it' : 'them'} or rerun with --skip-invalid to leave ${n === 1 ? 'it' : 'them'} out`,
      badRows.map((p) => p.sentence),
    );
  }
  for (const p of badRows) opts.logger?.warn({ table: p.table, id: p.id, column: p.column }, `skipped: ${p.sentence}`);
  const snapshot = parseSnapshot(built.file, `the snapshot read from database "${database}"`);
  const warnings = snapshotWarnings(snapshot, { undefinedCalendars: built.undefinedCalendars }).map((w) => rowWarning(m, w));
  if (warnings.length > 0 && opts.strict) {
    const n = warnings.length;
    throw new SchedError(
      'DATA',
      `database "${database}" holds ${n} row${n === 1 ? '' : 's'} that look${n === 1 ? 's' : ''} wrong (--strict makes warnings fatal); fix ${n === 1 ? 'it' : 'them'} or rerun without --strict`,
      warnings.map((w) => w.sentence),
    );
  }
  for (const w of warnings) opts.logger?.warn({ table: w.table, id: w.id, column: w.column, rule: w.rule }, `warning: ${w.sentence}`);
  snapshot.meta = { source: 'mysql', database, ...(badRows.length ? { skippedRows: badRows.length + built.leftOut.length } : {}) };
  const rowsRead: Record<string, number> = {};
  for (const key of TABLE_KEYS) rowsRead[m[key].table] = tables[key].length;
  const report: IngestReport = {
    source: db.target.redacted,
    database,
    start: built.file.start!,
    rowsRead,
    snapshot: {
      jobs: snapshot.jobs.length,
      tasks: snapshot.jobs.reduce((n, j) => n + j.tasks.length, 0),
      machines: snapshot.machines.length,
      calendars: Object.keys(snapshot.calendars).length,
    },
    badRows,
    leftOut: built.leftOut,
    warnings,
  };
  opts.logger?.info({ source: db.target.redacted, ...report.snapshot, badRows: badRows.length, leftOut: built.leftOut.length, warnings: warnings.length }, `database read, ${warningCount(warnings.length)}`);
  return { snapshot, file: toSnapshotFile(snapshot), report };
}

const WARNING_TABLE: Record<SnapshotWarning['subject'], TableKey> = { machine: 'machines', job: 'jobs', task: 'tasks' };
const WARNING_COLUMN: Record<NonNullable<SnapshotWarning['field']>, string> = {
  calendar: 'calendar', type: 'type', due: 'due', release: 'release', duration: 'processingTime',
};

/** A snapshot warning named by the database row (and column) it comes from. */
function rowWarning(m: Mapping, w: SnapshotWarning): RowWarning {
  const key = WARNING_TABLE[w.subject];
  const column = w.field && (m[key].columns as Record<string, string | null>)[WARNING_COLUMN[w.field]];
  const p: RowProblem = { table: m[key].table, id: w.id, ...(column ? { column } : {}), problem: w.why };
  return { ...p, rule: w.rule, path: w.path, sentence: problemSentence(p) };
}
