import type { Snapshot, Task } from '../data/snapshots/schema.js';
import type { CalendarMode } from '../env/calendar.js';
import type { ScheduleAssignment } from '../env/schedule-export.js';
import { MachineSetCalendar } from './check-calendar.js';
import { KPI_COLUMNS, type KpiValues } from './kpi-table.js';

/**
 * The schedule checker (`sched check`, `sched schedule --guard`, the tests): judges a schedule's
 * assignments against its snapshot from the snapshot and the assignments alone, without
 * replaying the simulator, and computes the KPIs from them. docs/check.md lists every fault.
 */

/** Times are compared to within this many hours (3.6 s), so files rounded to the second pass. */
export const CHECK_TOLERANCE = 1e-3;

export type FaultKind = 'unknown' | 'missing' | 'duplicate' | 'job' | 'machine' | 'order' | 'release' | 'precedence' | 'calendar' | 'duration' | 'split' | 'overlap';

/** One fault: one line naming the task(s) and machine(s). */
export interface Fault {
  kind: FaultKind;
  tasks: string[];
  machines: string[];
  message: string;
}

/** The KPIs of a schedule, computed from its assignments (docs/check.md, "KPIs"). */
export interface ScheduleKpis extends KpiValues {
  tasks_scheduled: number;
  tasks_total: number;
  jobs_total: number;
  jobs_completed: number;
  jobs_on_time: number;
  jobs_late: number;
}

export interface CheckResult {
  feasible: boolean;
  faults: Fault[];
  kpis: ScheduleKpis;
  /** The file's own `metrics` that disagree with the KPIs of its assignments (not faults). */
  notes: string[];
}

export interface CheckOptions {
  /** How tasks meet breaks and holidays (default `stretch`). */
  calendar?: CalendarMode;
}

/** What the checker reads of a schedule: its assignments, and its stated metrics if any. */
export interface CheckableSchedule {
  assignments: readonly ScheduleAssignment[];
  metrics?: Readonly<Record<string, unknown>> | null;
}

/** Hours to text: at most four decimals, no trailing zeros. */
function hours(x: number): string {
  return String(Number(x.toFixed(4)));
}

/**
 * Checks every rule of a feasible schedule: every task exactly once, under its own job, on an
 * eligible machine (all of them for a `requiresAll` task), ending after it starts, not before
 * its job's release nor its predecessor's end, never starting or ending inside non-working
 * time, with exactly its working time (setup + processing on that machine) between start and
 * end (pausing over breaks in `stretch` mode; in one working window in `no_split` mode unless
 * it is longer than every weekly window), and no two tasks overlapping on a machine.
 */
export function checkSchedule(s: Snapshot, schedule: CheckableSchedule, opts: CheckOptions = {}): CheckResult {
  const mode = opts.calendar ?? 'stretch';
  const faults: Fault[] = [];
  const fault = (kind: FaultKind, tasks: string[], machines: readonly string[], message: string) => faults.push({ kind, tasks, machines: [...machines], message });

  const owner = new Map<string, string>();
  for (const job of s.jobs) for (const t of job.tasks) owner.set(t.id, job.id);
  const byTask = new Map<string, { a: ScheduleAssignment; i: number }>();
  schedule.assignments.forEach((a, i) => {
    const first = byTask.get(a.task);
    if (first) {
      fault('duplicate', [a.task], a.machines, `task ${a.task} is scheduled more than once: assignments[${first.i}] and assignments[${i}]`);
      return;
    }
    byTask.set(a.task, { a, i });
    const job = owner.get(a.task);
    if (job === undefined) fault('unknown', [a.task], a.machines, `assignments[${i}] names task ${a.task}, which is not in snapshot ${s.name}`);
    else if (job !== a.job) fault('job', [a.task], a.machines, `task ${a.task} belongs to job ${job}, but assignments[${i}] lists it under job ${a.job}`);
  });

  const calendars = new Map<string, MachineSetCalendar>();
  const calendarOf = (machines: readonly string[]) => {
    const key = [...machines].sort().join('\u0000');
    let c = calendars.get(key);
    if (!c) calendars.set(key, (c = new MachineSetCalendar(s, machines)));
    return c;
  };
  const perMachine = new Map<string, { start: number; end: number; task: string }[]>();
  let work = 0;
  for (const job of s.jobs) {
    let prev: ScheduleAssignment | null = null;
    for (const task of job.tasks) {
      const a = byTask.get(task.id)?.a;
      if (!a) {
        fault('missing', [task.id], [], `task ${task.id} of job ${job.id} is not scheduled`);
        continue;
      }
      const on = `task ${task.id} on ${a.machines.join(', ')}`;
      const need = neededWork(task, a.machines);
      if (need === null) {
        const eligible = task.requiresAll.length > 0 ? `needs all of ${task.requiresAll.join(', ')} at once` : `needs one of ${task.machines.join(', ')}`;
        fault('machine', [task.id], a.machines, `${on}: not an eligible machine set (it ${eligible})`);
      }
      if (!(a.end > a.start)) fault('order', [task.id], a.machines, `${on} ends at ${hours(a.end)}, not after its start at ${hours(a.start)}`);
      if (a.start < job.release - CHECK_TOLERANCE) fault('release', [task.id], a.machines, `${on} starts at ${hours(a.start)}, before job ${job.id}'s release at ${hours(job.release)}`);
      if (prev && a.start < prev.end - CHECK_TOLERANCE) {
        const pt = prev.task;
        fault('precedence', [task.id, pt], [...new Set([...a.machines, ...prev.machines])], `${on} starts at ${hours(a.start)}, before its predecessor ${pt} on ${prev.machines.join(', ')} ends at ${hours(prev.end)}`);
      }
      prev = a;
      for (const m of a.machines) {
        let list = perMachine.get(m);
        if (!list) perMachine.set(m, (list = []));
        list.push({ start: a.start, end: a.end, task: task.id });
      }
      if (need === null || !(a.end > a.start)) continue;
      work += need * a.machines.length;
      checkCalendar(calendarOf(a.machines), a, need, mode, on, (kind, msg) => fault(kind, [task.id], a.machines, msg));
    }
  }

  for (const [m, list] of perMachine) {
    list.sort((x, y) => x.start - y.start || x.end - y.end);
    let last = list[0];
    for (let i = 1; i < list.length; i++) {
      const cur = list[i];
      if (cur.start < last.end - CHECK_TOLERANCE) {
        fault('overlap', [last.task, cur.task], [m], `machine ${m}: tasks ${last.task} [${hours(last.start)}, ${hours(last.end)}] and ${cur.task} [${hours(cur.start)}, ${hours(cur.end)}] overlap`);
      }
      if (cur.end > last.end) last = cur;
    }
  }

  const kpis = scheduleKpis(s, byTask, work);
  return { feasible: faults.length === 0, faults, kpis, notes: metricNotes(schedule.metrics, kpis) };
}

/** The fault lines of a schedule (empty: feasible). */
export function scheduleFaults(s: Snapshot, schedule: CheckableSchedule, opts: CheckOptions = {}): string[] {
  return checkSchedule(s, schedule, opts).faults.map((f) => f.message);
}

/** Setup + processing of `task` on `machines`, or null when they are not an eligible set. */
function neededWork(task: Task, machines: readonly string[]): number | null {
  if (task.requiresAll.length > 0) {
    const want = new Set(task.requiresAll);
    const got = new Set(machines);
    return got.size === machines.length && got.size === want.size && [...got].every((m) => want.has(m)) ? task.setup + task.duration : null;
  }
  if (machines.length !== 1) return null;
  const i = task.machines.indexOf(machines[0]);
  if (i < 0) return null;
  return task.setup + (task.durations !== undefined ? task.durations[i] : task.duration);
}

/** Start and end in working time, the working hours between them, and `no_split`'s single window. */
function checkCalendar(cal: MachineSetCalendar, a: ScheduleAssignment, need: number, mode: CalendarMode, on: string, fault: (kind: FaultKind, msg: string) => void): void {
  const tol = CHECK_TOLERANCE;
  const atStart = cal.offAt(a.start + tol);
  if (atStart) fault('calendar', `${on} starts at ${hours(a.start)}, inside non-working time [${hours(atStart.lo)}, ${hours(atStart.hi)})`);
  const atEnd = cal.offAt(a.end - tol);
  if (atEnd) fault('calendar', `${on} ends at ${hours(a.end)}, inside non-working time [${hours(atEnd.lo)}, ${hours(atEnd.hi)})`);
  const off = cal.offBetween(a.start, a.end);
  const working = a.end - a.start - off;
  if (Math.abs(working - need) > tol) {
    fault('duration', `${on} gets ${hours(working)} working hours in [${hours(a.start)}, ${hours(a.end)}], but needs ${hours(need)} (setup + processing)`);
  } else if (mode === 'no_split' && off > tol && need < cal.maxWindow - tol) {
    fault('split', `${on} is split by ${hours(off)} h of non-working time in [${hours(a.start)}, ${hours(a.end)}]; in no_split mode a ${hours(need)} h task must fit one working window (the longest is ${hours(cal.maxWindow)} h)`);
  }
}

/** The KPIs of the assignments (first occurrence of each task), as docs/environment.md defines the episode metrics. */
function scheduleKpis(s: Snapshot, byTask: ReadonlyMap<string, { a: ScheduleAssignment }>, work: number): ScheduleKpis {
  let tasksTotal = 0;
  let scheduled = 0;
  let makespan = 0;
  let completed = 0;
  let onTime = 0;
  let late = 0;
  let withDue = 0;
  let sumLate = 0;
  let maxLate = 0;
  for (const job of s.jobs) {
    let end = job.tasks.length === 0 ? job.release : -Infinity;
    let done = true;
    for (const t of job.tasks) {
      tasksTotal++;
      const a = byTask.get(t.id)?.a;
      if (!a) {
        done = false;
        continue;
      }
      scheduled++;
      end = Math.max(end, a.end);
      makespan = Math.max(makespan, a.end);
    }
    if (!done) continue;
    completed++;
    if (job.due === null) {
      onTime++;
      continue;
    }
    withDue++;
    if (end <= job.due + 1e-9) onTime++;
    else {
      late++;
      const days = (end - job.due) / 24;
      sumLate += days;
      maxLate = Math.max(maxLate, days);
    }
  }
  const jobs = s.jobs.length;
  return {
    completion_rate: tasksTotal > 0 ? scheduled / tasksTotal : 1,
    on_time_rate: jobs > 0 ? onTime / jobs : 1,
    mean_days_late: withDue > 0 ? sumLate / withDue : 0,
    max_days_late: maxLate,
    makespan,
    utilization: makespan > 0 && s.machines.length > 0 ? work / (s.machines.length * makespan) : 0,
    tasks_scheduled: scheduled,
    tasks_total: tasksTotal,
    jobs_total: jobs,
    jobs_completed: completed,
    jobs_on_time: onTime,
    jobs_late: late,
  };
}

/** One note per KPI the file states in `metrics` with another value than its assignments give. */
function metricNotes(metrics: CheckableSchedule['metrics'], kpis: ScheduleKpis): string[] {
  if (!metrics) return [];
  const notes: string[] = [];
  for (const { key: k } of KPI_COLUMNS) {
    const v = metrics[k];
    if (typeof v === 'number' && Math.abs(v - kpis[k]) > 1e-6 * Math.max(1, Math.abs(v))) {
      const show = (x: number) => String(Number(x.toPrecision(6)));
      notes.push(`the file's metrics.${k} is ${show(v)}, but its assignments give ${show(kpis[k])}`);
    }
  }
  return notes;
}

/** `feasible` or `3 faults`: the check column of the KPI tables. */
export function checkVerdict(r: CheckResult): string {
  const n = r.faults.length;
  return n === 0 ? 'feasible' : `${n} fault${n === 1 ? '' : 's'}`;
}
