import { SchedError } from '../../errors.js';
import { SnapshotFileSchema, type Snapshot, type Job, type Task, type Calendar } from './schema.js';
import { parseJsonOrFail, readFileOrFail } from '../../io/read.js';

/** `['jobs', 12, 'tasks', 3]` -> `jobs[12].tasks[3]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

export const DEFAULT_START = '2026-01-05T00:00:00Z'; // a Monday, 00:00 UTC

/**
 * Validates parsed JSON as a snapshot. Every problem is collected with its path; if there is
 * any, a SchedError('SNAPSHOT') lists them all and nothing is returned (never half-loaded).
 * `source` names the file in the message.
 */
export function parseSnapshot(json: unknown, source = 'snapshot'): Snapshot {
  const parsed = SnapshotFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw invalid(source, problems);
  }
  const f = parsed.data;
  const problems: string[] = [];
  const at = (path: string, msg: string) => problems.push(`${path}: ${msg}`);

  let startMs = Date.parse(f.start ?? DEFAULT_START);
  if (f.start !== undefined && !Number.isFinite(startMs)) {
    at('start', `not an ISO date-time: "${f.start}"`);
    startMs = Date.parse(DEFAULT_START);
  }
  const toHours = (v: number | string | undefined, path: string): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) at(path, `not a finite number: ${v}`);
      return v;
    }
    if (f.start === undefined) {
      at(path, `ISO time "${v}" needs the snapshot's "start" to convert it to hours`);
      return undefined;
    }
    const ms = Date.parse(v);
    if (!Number.isFinite(ms)) {
      at(path, `not a number of hours nor an ISO date: "${v}"`);
      return undefined;
    }
    return (ms - startMs) / 3_600_000;
  };

  const machineIds = new Set<string>();
  f.machines.forEach((m, i) => {
    if (machineIds.has(m.id)) at(`machines[${i}].id`, `duplicate machine id "${m.id}"`);
    machineIds.add(m.id);
    if (m.calendar !== undefined && !(m.calendar in f.calendars)) {
      at(`machines[${i}].calendar`, `unknown calendar "${m.calendar}"`);
    }
  });

  const calendars: Record<string, Calendar> = {};
  for (const [name, c] of Object.entries(f.calendars)) {
    c.breaks.forEach((b, i) => {
      if (!(b.start < b.end)) at(`calendars.${name}.breaks[${i}]`, `start ${b.start} must be before end ${b.end}`);
    });
    const holidays: Calendar['holidays'] = [];
    c.holidays.forEach((h, i) => {
      const s = toHours(h.start, `calendars.${name}.holidays[${i}].start`);
      const e = toHours(h.end, `calendars.${name}.holidays[${i}].end`);
      if (s === undefined || e === undefined) return;
      if (!(s < e)) at(`calendars.${name}.holidays[${i}]`, `start ${s} must be before end ${e}`);
      holidays.push({ start: s, end: e, ...(h.name !== undefined ? { name: h.name } : {}) });
    });
    calendars[name] = { breaks: c.breaks.map((b) => ({ ...b })), holidays };
  }

  const jobIds = new Set<string>();
  const taskIds = new Set<string>();
  const jobs: Job[] = [];
  f.jobs.forEach((j, ji) => {
    const jp = `jobs[${ji}]`;
    if (jobIds.has(j.id)) at(`${jp}.id`, `duplicate job id "${j.id}"`);
    jobIds.add(j.id);
    const due = toHours(j.due, `${jp}.due`);
    if (due === undefined && j.due === undefined && f.objective === 'due_dates') {
      at(`${jp}.due`, 'required when the objective is "due_dates"');
    }
    const release = toHours(j.release, `${jp}.release`) ?? 0;
    if (release < 0) at(`${jp}.release`, `negative time ${release}`);
    const tasks: Task[] = [];
    let prevSeq = -Infinity;
    j.tasks.forEach((t, ti) => {
      const tp = `${jp}.tasks[${ti}]`;
      if (taskIds.has(t.id)) at(`${tp}.id`, `duplicate task id "${t.id}"`);
      taskIds.add(t.id);
      if (t.seq <= prevSeq) at(`${tp}.seq`, `sequence ${t.seq} must be greater than the previous task's ${prevSeq}`);
      prevSeq = t.seq;
      if (!Number.isFinite(t.duration) || t.duration <= 0) at(`${tp}.duration`, `must be a positive number of hours, got ${t.duration}`);
      if (t.setup !== undefined && (!Number.isFinite(t.setup) || t.setup < 0)) at(`${tp}.setup`, `negative time ${t.setup}`);
      const any = t.machines ?? [];
      const all = t.requiresAll ?? [];
      if (any.length === 0 && all.length === 0) at(`${tp}.machines`, 'empty eligible set: give "machines" or "requiresAll"');
      if (any.length > 0 && all.length > 0) at(tp, 'give either "machines" (any one) or "requiresAll" (all at once), not both');
      for (const [key, list] of [['machines', any], ['requiresAll', all]] as const) {
        const seen = new Set<string>();
        list.forEach((m, mi) => {
          if (!machineIds.has(m)) at(`${tp}.${key}[${mi}]`, `unknown machine "${m}"`);
          else if (seen.has(m)) at(`${tp}.${key}[${mi}]`, `machine "${m}" listed twice`);
          seen.add(m);
        });
      }
      if (t.durations !== undefined) {
        if (any.length === 0) at(`${tp}.durations`, 'per-machine durations need "machines" (they are parallel to it)');
        else if (t.durations.length !== any.length) at(`${tp}.durations`, `expected ${any.length} durations (one per machine), got ${t.durations.length}`);
        t.durations.forEach((d, di) => {
          if (!Number.isFinite(d) || d <= 0) at(`${tp}.durations[${di}]`, `must be a positive number of hours, got ${d}`);
        });
      }
      tasks.push({
        id: t.id,
        seq: t.seq,
        duration: t.duration,
        machines: [...any],
        ...(t.durations !== undefined ? { durations: [...t.durations] } : {}),
        requiresAll: [...all],
        setup: t.setup ?? 0,
      });
    });
    jobs.push({ id: j.id, due: due ?? null, release, important: j.important, tasks });
  });

  if (problems.length > 0) throw invalid(source, problems);

  const start = new Date(startMs);
  const isoWeekday = ((start.getUTCDay() + 6) % 7) + 1;
  return {
    version: 1,
    name: f.name,
    ...(f.start !== undefined ? { start: f.start } : {}),
    startWeekday: isoWeekday,
    startHourOfDay: start.getUTCHours() + start.getUTCMinutes() / 60 + start.getUTCSeconds() / 3600,
    objective: f.objective,
    machines: f.machines.map((m) => ({ ...m })),
    calendars,
    jobs,
    ...(f.meta !== undefined ? { meta: f.meta } : {}),
  };
}

function invalid(source: string, problems: string[]): SchedError {
  const n = problems.length;
  return new SchedError('SNAPSHOT', `${source} is not a valid snapshot (${n} problem${n === 1 ? '' : 's'})`, problems);
}

/** Reads and validates a snapshot file; bad JSON is reported with its line and column. */
export function loadSnapshotFile(path: string): Snapshot {
  const text = readFileOrFail(path, 'snapshot', 'utf8');
  return parseSnapshot(parseJsonOrFail(text, path, 'SNAPSHOT'), path);
}

/** The file form of a snapshot (times in hours), for writing it back out. */
export function toSnapshotFile(s: Snapshot): Record<string, unknown> {
  return {
    version: 1,
    name: s.name,
    ...(s.start !== undefined ? { start: s.start } : {}),
    objective: s.objective,
    machines: s.machines,
    calendars: s.calendars,
    jobs: s.jobs.map((j) => ({
      id: j.id,
      ...(j.due !== null ? { due: j.due } : {}),
      release: j.release,
      important: j.important,
      tasks: j.tasks.map((t) => ({
        id: t.id,
        seq: t.seq,
        duration: t.duration,
        ...(t.machines.length ? { machines: t.machines } : {}),
        ...(t.durations !== undefined ? { durations: t.durations } : {}),
        ...(t.requiresAll.length ? { requiresAll: t.requiresAll } : {}),
        ...(t.setup ? { setup: t.setup } : {}),
      })),
    })),
    ...(s.meta !== undefined ? { meta: s.meta } : {}),
  };
}
