import type { Logger } from 'pino';
import { SchedError } from '../errors.js';
import { DEFAULT_START } from '../data/snapshots/load.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import type { Db, Tx } from './connection.js';
import { TABLE_KEYS, q, type Mapping, type TableKey } from './mapping.js';
import { schemaStatements } from './ddl.js';
import { formatDateTime, formatTimeOfDay } from './values.js';

/**
 * `sched db push`: creates the tables if absent, then writes a snapshot into them in one
 * transaction (rolled back on any error). Tables that already hold rows are refused unless
 * `replace`, which deletes their rows inside the same transaction. Hours become DATETIMEs from
 * the snapshot's start (UTC, whole seconds), durations DECIMAL hours (4 decimals), breaks TIME.
 * CREATE TABLE runs before the transaction: MySQL commits DDL implicitly.
 */

export interface PushResult {
  rows: Record<string, number>;
  start: string;
  /** Snapshot values the mapped tables have no column for (mapped to null), one sentence each. */
  notWritten: string[];
}

/** What a mapping without some optional columns cannot hold. */
function lostValues(s: Snapshot, m: Mapping): string[] {
  const out: string[] = [];
  const say = (n: number, what: string, key: TableKey, col: string) => {
    if (n > 0) out.push(`${n} ${what} not written: the mapping gives ${m[key].table} no ${col} column`);
  };
  const tasks = s.jobs.flatMap((j) => j.tasks);
  if (m.machines.columns.calendar === null) say(s.machines.filter((x) => x.calendar !== undefined).length, 'machine calendars', 'machines', 'calendar');
  if (m.machines.columns.name === null) say(s.machines.filter((x) => x.name !== undefined).length, 'machine names', 'machines', 'name');
  if (m.jobs.columns.release === null) say(s.jobs.filter((j) => j.release !== 0).length, 'release times', 'jobs', 'release');
  if (m.jobs.columns.important === null) say(s.jobs.filter((j) => j.important).length, 'important flags', 'jobs', 'important');
  if (m.tasks.columns.setup === null) say(tasks.filter((t) => t.setup > 0).length, 'setup times', 'tasks', 'setup');
  if (m.tasks.columns.requiresAll === null) say(tasks.filter((t) => t.requiresAll.length > 0).length, 'multi-machine (requiresAll) flags', 'tasks', 'requiresAll');
  const other = Object.entries(s.calendars).filter(([n]) => n !== 'default');
  if (m.breaks.columns.calendar === null) say(other.reduce((n, [, c]) => n + c.breaks.length, 0), 'breaks of named calendars', 'breaks', 'calendar');
  if (m.holidays.columns.calendar === null) say(other.reduce((n, [, c]) => n + c.holidays.length, 0), 'holidays of named calendars', 'holidays', 'calendar');
  if (m.holidays.columns.name === null) say(Object.values(s.calendars).reduce((n, c) => n + c.holidays.filter((h) => h.name).length, 0), 'holiday names', 'holidays', 'name');
  return out;
}

const CHUNK = 1000;

export async function pushSnapshot(db: Db, s: Snapshot, m: Mapping, opts: { replace?: boolean; logger?: Logger } = {}): Promise<PushResult> {
  const notWritten = lostValues(s, m);
  for (const w of notWritten) opts.logger?.warn(w);
  for (const [i, sql] of schemaStatements(m).entries()) await db.query(sql, [], m[TABLE_KEYS[i]].table);
  const start = s.start ?? DEFAULT_START;
  const startMs = Date.parse(start);
  const dt = (h: number) => formatDateTime(startMs + h * 3_600_000);
  const hrs = (h: number) => h.toFixed(4);

  const data = {} as Record<TableKey, Record<string, unknown>[]>;
  data.machines = s.machines.map((x) => ({ id: x.id, name: x.name ?? null, type: x.type, calendar: x.calendar ?? null }));
  data.jobs = s.jobs.map((j) => ({ id: j.id, due: j.due === null ? null : dt(j.due), release: dt(j.release), important: j.important ? 1 : 0 }));
  data.tasks = [];
  data.taskMachines = [];
  for (const j of s.jobs) {
    for (const t of j.tasks) {
      const all = t.requiresAll.length > 0;
      data.tasks.push({ id: t.id, job: j.id, sequence: t.seq, processingTime: hrs(t.duration), setup: hrs(t.setup), requiresAll: all ? 1 : 0 });
      for (const mach of all ? t.requiresAll : t.machines) data.taskMachines.push({ id: data.taskMachines.length + 1, task: t.id, machine: mach });
    }
  }
  const fromIso = { iso: (d: number) => d, dayofweek: (d: number) => (d % 7) + 1, weekday: (d: number) => d - 1 }[m.breaks.weekdays];
  data.breaks = [];
  data.holidays = [];
  // NULL calendar = the global one; named calendars need a calendar column (else not written, see lostValues)
  for (const [name, c] of Object.entries(s.calendars)) {
    const calendar = name === 'default' ? null : name;
    if (calendar === null || m.breaks.columns.calendar !== null) {
      for (const b of c.breaks) {
        data.breaks.push({ id: data.breaks.length + 1, calendar, weekday: fromIso(b.weekday), start: formatTimeOfDay(b.start), end: formatTimeOfDay(b.end) });
      }
    }
    if (calendar === null || m.holidays.columns.calendar !== null) {
      for (const h of c.holidays) data.holidays.push({ id: data.holidays.length + 1, calendar, start: dt(h.start), end: dt(h.end), name: h.name ?? null });
    }
  }

  const rows: Record<string, number> = {};
  await db.transaction(async (tx) => {
    const counts: string[] = [];
    for (const key of TABLE_KEYS) {
      const [{ n }] = await tx.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${q(m[key].table)}`, [], m[key].table);
      if (Number(n) > 0) counts.push(`${m[key].table}: ${n}`);
    }
    if (counts.length && !opts.replace) {
      throw new SchedError(
        'DB',
        `database "${db.target.database}" already holds rows (${counts.join(', ')}); rerun with --replace to delete them and write the snapshot`,
      );
    }
    if (counts.length) {
      opts.logger?.info({ tables: counts }, 'replacing existing rows');
      for (const key of [...TABLE_KEYS].reverse()) await tx.query(`DELETE FROM ${q(m[key].table)}`, [], m[key].table);
    }
    for (const key of TABLE_KEYS) rows[m[key].table] = await insertAll(tx, m, key, data[key]);
  });
  opts.logger?.info({ target: db.target.redacted, rows }, 'snapshot written');
  return { rows, start, notWritten };
}

/** Bulk INSERTs in chunks; values are parameters (`VALUES ?`), columns mapped to null are left out. */
async function insertAll(tx: Tx, m: Mapping, key: TableKey, rows: Record<string, unknown>[]): Promise<number> {
  const cols = Object.entries(m[key].columns as Record<string, string | null>).filter((e): e is [string, string] => e[1] !== null);
  const sql = `INSERT INTO ${q(m[key].table)} (${cols.map(([, c]) => q(c)).join(', ')}) VALUES ?`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => cols.map(([logical]) => r[logical] ?? null));
    await tx.query(sql, [values], m[key].table);
  }
  return rows.length;
}
