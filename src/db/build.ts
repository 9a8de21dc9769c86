import type { Mapping, TableKey } from './mapping.js';
import type { SnapshotFile } from '../data/snapshots/schema.js';
import {
  parseDateTime, parseFlag, parseHours, parseId, parseInteger, parseText, parseTimeOfDay,
  isoUtc, naturalCompare, roundHours, type Parsed,
} from './values.js';

/**
 * Turns the rows of the six tables into a snapshot file (times in hours from `start`), checking
 * every row. A bad row is a `RowProblem` (table, row id, column, what is wrong); rows that are
 * fine but depend on a bad one are `LeftOut` (a task of a job with a bad task, an eligibility
 * row of a bad machine, ...). The caller decides: stop on any problem, or write what is left.
 */

/** Rows keyed by the mapping's logical column names (`processingTime`, not `processing_time`). */
export type Row = Record<string, unknown>;
export type Tables = Record<TableKey, Row[]>;

export interface RowProblem {
  table: string;
  id: string;
  /** The database column (as mapped), or undefined when the whole row is at fault. */
  column?: string;
  problem: string;
}

export interface LeftOut {
  table: string;
  id: string;
  because: string;
}

export interface BuildResult {
  file: SnapshotFile;
  problems: RowProblem[];
  leftOut: LeftOut[];
  /** Hour 0 of the snapshot, as epoch milliseconds. */
  startMs: number;
  /** Calendar names that machines give but no (good) break or holiday row defines. */
  undefinedCalendars: string[];
}

export interface BuildOptions {
  name: string;
  /** ISO date-time of hour 0; default: the earliest release, else the current hour. */
  start?: string;
  now?: number;
}

export function problemSentence(p: RowProblem): string {
  return `${p.table} row id=${p.id}: ${p.column ? `column ${p.column} ` : ''}${p.problem}`;
}

const ISO_WEEKDAY: Record<Mapping['breaks']['weekdays'], (n: number) => number | null> = {
  iso: (n) => (n >= 1 && n <= 7 ? n : null),
  dayofweek: (n) => (n >= 1 && n <= 7 ? ((n + 5) % 7) + 1 : null), // MySQL DAYOFWEEK: 1 = Sunday
  weekday: (n) => (n >= 0 && n <= 6 ? n + 1 : null), // MySQL WEEKDAY: 0 = Monday
};

export function buildSnapshot(m: Mapping, rows: Tables, opts: BuildOptions): BuildResult {
  const problems: RowProblem[] = [];
  const leftOut: LeftOut[] = [];

  /** Reads the id of each row, sorts rows by it (natural order), and reports NULL or repeated ids. */
  const keyed = (key: TableKey): { id: string; row: Row }[] => {
    const table = m[key].table;
    const idCol = m[key].columns.id;
    const out: { id: string; row: Row }[] = [];
    const seen = new Set<string>();
    rows[key].forEach((row, i) => {
      const id = parseId(row.id);
      if (!id.ok) return problems.push({ table, id: `#${i + 1}`, column: idCol, problem: id.problem });
      if (seen.has(id.value)) return problems.push({ table, id: id.value, column: idCol, problem: 'repeats an id already used by another row' });
      seen.add(id.value);
      out.push({ id: id.value, row });
    });
    return out.sort((a, b) => naturalCompare(a.id, b.id));
  };
  /** Checks one value; a problem is recorded against the row and `undefined` returned. */
  const check = <T>(key: TableKey, id: string, col: string, r: Parsed<T>): T | undefined => {
    if (r.ok) return r.value;
    problems.push({ table: m[key].table, id, column: (m[key].columns as Record<string, string | null>)[col] ?? col, problem: r.problem });
    return undefined;
  };

  // machines
  const machines: NonNullable<SnapshotFile['machines']> = [];
  const machineIds = new Set<string>(); // every id present in the table, good or bad
  const goodMachines = new Set<string>();
  const calendarNames = new Set<string>();
  for (const { id, row } of keyed('machines')) {
    machineIds.add(id);
    const type = check('machines', id, 'type', parseId(row.type));
    if (type === undefined) continue;
    const name = parseText(row.name);
    const calendar = parseText(row.calendar);
    if (calendar !== undefined) calendarNames.add(calendar);
    machines.push({ id, ...(name !== undefined ? { name } : {}), type, ...(calendar !== undefined ? { calendar } : {}) });
    goodMachines.add(id);
  }

  // jobs: times need the start first
  const jobRows = keyed('jobs');
  const releaseMs = new Map<string, number | null>();
  for (const { id, row } of jobRows) {
    releaseMs.set(id, row.release === null || row.release === undefined ? null : (check('jobs', id, 'release', parseDateTime(row.release)) ?? NaN));
  }
  let startMs: number;
  if (opts.start !== undefined) startMs = Date.parse(opts.start);
  else {
    const releases = [...releaseMs.values()].filter((v): v is number => v !== null && Number.isFinite(v));
    startMs = releases.length ? Math.min(...releases) : Math.floor((opts.now ?? Date.now()) / 3_600_000) * 3_600_000;
  }
  const hoursOf = (ms: number) => roundHours((ms - startMs) / 3_600_000);
  const makespan = jobRows.length > 0 && jobRows.every(({ row }) => row.due === null || row.due === undefined);

  type JobOut = { id: string; due?: number; release: number; important: boolean; tasks: TaskOut[] };
  type TaskOut = { id: string; seq: number; duration: number; setup: number; all: boolean; eligible: string[]; lost: boolean };
  const jobs = new Map<string, JobOut>();
  const jobIds = new Set<string>();
  const badJobs = new Set<string>();
  for (const { id, row } of jobRows) {
    jobIds.add(id);
    const before = problems.length;
    const due = makespan ? undefined : check('jobs', id, 'due', parseDateTime(row.due));
    const important = check('jobs', id, 'important', parseFlag(row.important));
    const rel = releaseMs.get(id);
    if (problems.length > before || (rel !== null && rel !== undefined && !Number.isFinite(rel))) {
      badJobs.add(id);
      continue;
    }
    jobs.set(id, {
      id,
      ...(due !== undefined ? { due: hoursOf(due) } : {}),
      release: rel === null || rel === undefined ? 0 : Math.max(0, hoursOf(rel)), // released before the start: available at hour 0
      important: important ?? false,
      tasks: [],
    });
  }

  // tasks
  const tasks = new Map<string, TaskOut & { job: string }>();
  const taskIds = new Set<string>();
  const badTasks = new Map<string, string>(); // task id -> job id (for dependants)
  const tasksPerJob = new Map<string, number>();
  const seqSeen = new Map<string, string>(); // `${job}\u0000${seq}` -> task id
  const jobCol = m.tasks.columns.job;
  for (const { id, row } of keyed('tasks')) {
    taskIds.add(id);
    const before = problems.length;
    const job = check('tasks', id, 'job', parseId(row.job));
    if (job !== undefined) {
      tasksPerJob.set(job, (tasksPerJob.get(job) ?? 0) + 1);
      if (!jobIds.has(job)) problems.push({ table: m.tasks.table, id, column: jobCol, problem: `names unknown job "${job}" (no such row in ${m.jobs.table})` });
    }
    const seq = check('tasks', id, 'sequence', parseInteger(row.sequence));
    const duration = check('tasks', id, 'processingTime', parseHours(row.processingTime, { min: 0, strict: true }));
    const setup = check('tasks', id, 'setup', parseHours(row.setup, { min: 0, strict: false, nullable: 0 }));
    const all = check('tasks', id, 'requiresAll', parseFlag(row.requiresAll));
    if (job !== undefined && seq !== undefined) {
      const k = `${job}\u0000${seq}`;
      const other = seqSeen.get(k);
      if (other !== undefined) {
        problems.push({ table: m.tasks.table, id, column: m.tasks.columns.sequence, problem: `repeats sequence ${seq} of job "${job}" (also row id=${other})` });
      } else seqSeen.set(k, id);
    }
    if (problems.length > before || job === undefined) {
      if (job !== undefined) badTasks.set(id, job);
      continue;
    }
    tasks.set(id, { id, job, seq: seq!, duration: duration!, setup: setup!, all: all!, eligible: [], lost: false });
  }

  // eligibility
  const pairSeen = new Map<string, string>();
  const taskOf = m.taskMachines.columns;
  for (const { id, row } of keyed('taskMachines')) {
    const before = problems.length;
    const task = check('taskMachines', id, 'task', parseId(row.task));
    const machine = check('taskMachines', id, 'machine', parseId(row.machine));
    if (task !== undefined && !taskIds.has(task)) {
      problems.push({ table: m.taskMachines.table, id, column: taskOf.task, problem: `names unknown task "${task}" (no such row in ${m.tasks.table})` });
    }
    if (machine !== undefined && !machineIds.has(machine)) {
      problems.push({ table: m.taskMachines.table, id, column: taskOf.machine, problem: `names unknown machine "${machine}" (no such row in ${m.machines.table})` });
    }
    if (task !== undefined && machine !== undefined) {
      const k = `${task}\u0000${machine}`;
      const other = pairSeen.get(k);
      if (other !== undefined) {
        problems.push({ table: m.taskMachines.table, id, column: taskOf.machine, problem: `lists machine "${machine}" for task "${task}" again (also row id=${other})` });
      } else pairSeen.set(k, id);
    }
    const t = task !== undefined ? tasks.get(task) : undefined;
    if (problems.length > before) {
      if (t) t.lost = true;
      continue;
    }
    if (!t) {
      leftOut.push({ table: m.taskMachines.table, id, because: `its task "${task}" is left out` });
      continue;
    }
    if (!goodMachines.has(machine!)) {
      leftOut.push({ table: m.taskMachines.table, id, because: `its machine "${machine}" is left out` });
      t.lost = true;
      continue;
    }
    t.eligible.push(machine!);
  }

  // a task needs its machines; a job needs all of its tasks
  const jobsWithBadTasks = new Map<string, string>(); // job -> first bad/left-out task
  for (const [tid, job] of badTasks) if (!jobsWithBadTasks.has(job)) jobsWithBadTasks.set(job, tid);
  for (const t of tasks.values()) {
    if (t.eligible.length === 0 && !t.lost) {
      problems.push({ table: m.tasks.table, id: t.id, problem: `has no eligible machine (no row in ${m.taskMachines.table})` });
      if (!jobsWithBadTasks.has(t.job)) jobsWithBadTasks.set(t.job, t.id);
    } else if (t.lost && (t.all || t.eligible.length === 0)) {
      leftOut.push({ table: m.tasks.table, id: t.id, because: t.all ? 'one of the machines it requires all at once is left out' : 'none of its eligible machines is left' });
      if (!jobsWithBadTasks.has(t.job)) jobsWithBadTasks.set(t.job, t.id);
    } else {
      jobs.get(t.job)?.tasks.push({ id: t.id, seq: t.seq, duration: t.duration, setup: t.setup, all: t.all, eligible: t.eligible, lost: false });
      if (!jobs.has(t.job) && badJobs.has(t.job)) leftOut.push({ table: m.tasks.table, id: t.id, because: `its job "${t.job}" is left out` });
    }
  }
  for (const { id } of jobRows) {
    if (!tasksPerJob.has(id)) {
      problems.push({ table: m.jobs.table, id, problem: `has no tasks (no row in ${m.tasks.table} names it in column ${jobCol})` });
      jobs.delete(id);
    }
  }
  for (const [job, task] of jobsWithBadTasks) {
    const j = jobs.get(job);
    if (!j) continue;
    leftOut.push({ table: m.jobs.table, id: job, because: `its task "${task}" is left out` });
    for (const t of j.tasks) leftOut.push({ table: m.tasks.table, id: t.id, because: `its job "${job}" is left out (task "${task}")` });
    jobs.delete(job);
  }

  // calendars: breaks and holidays; a NULL calendar is the global one ("default")
  const calendars: Record<string, { breaks: { weekday: number; start: number; end: number }[]; holidays: { start: number; end: number; name?: string }[] }> = {};
  const cal = (name: string) => (calendars[name] ??= { breaks: [], holidays: [] });
  for (const name of calendarNames) cal(name);
  const toIso = ISO_WEEKDAY[m.breaks.weekdays];
  for (const { id, row } of keyed('breaks')) {
    const before = problems.length;
    let weekday = check('breaks', id, 'weekday', parseInteger(row.weekday));
    if (weekday !== undefined && toIso(weekday) === null) {
      problems.push({ table: m.breaks.table, id, column: m.breaks.columns.weekday, problem: `is not a weekday (${m.breaks.weekdays} numbering): ${weekday}` });
    } else if (weekday !== undefined) weekday = toIso(weekday)!;
    const start = check('breaks', id, 'start', parseTimeOfDay(row.start));
    const end = check('breaks', id, 'end', parseTimeOfDay(row.end));
    if (start !== undefined && end !== undefined && !(start < end)) {
      problems.push({ table: m.breaks.table, id, column: m.breaks.columns.end, problem: `must be after ${m.breaks.columns.start} (${start} h), got ${end} h` });
    }
    if (problems.length > before) continue;
    cal(parseText(row.calendar) ?? 'default').breaks.push({ weekday: weekday!, start: start!, end: end! });
  }
  for (const { id, row } of keyed('holidays')) {
    const before = problems.length;
    const start = check('holidays', id, 'start', parseDateTime(row.start));
    const end = check('holidays', id, 'end', parseDateTime(row.end));
    if (start !== undefined && end !== undefined && !(start < end)) {
      problems.push({ table: m.holidays.table, id, column: m.holidays.columns.end, problem: `must be after ${m.holidays.columns.start}` });
    }
    if (problems.length > before) continue;
    const name = parseText(row.name);
    cal(parseText(row.calendar) ?? 'default').holidays.push({ start: hoursOf(start!), end: hoursOf(end!), ...(name !== undefined ? { name } : {}) });
  }

  const undefinedCalendars = [...calendarNames].filter((n) => calendars[n].breaks.length === 0 && calendars[n].holidays.length === 0);
  const file: SnapshotFile = {
    version: 1,
    name: opts.name,
    start: isoUtc(startMs),
    objective: makespan ? 'makespan' : 'due_dates',
    machines,
    calendars,
    jobs: [...jobs.values()].map((j) => ({
      id: j.id,
      ...(j.due !== undefined ? { due: j.due } : {}),
      release: j.release,
      important: j.important,
      tasks: j.tasks
        .sort((a, b) => a.seq - b.seq)
        .map((t) => ({ id: t.id, seq: t.seq, duration: t.duration, ...(t.all ? { requiresAll: t.eligible } : { machines: t.eligible }), ...(t.setup ? { setup: t.setup } : {}) })),
    })),
  };
  return { file, problems, leftOut, startMs, undefinedCalendars };
}
