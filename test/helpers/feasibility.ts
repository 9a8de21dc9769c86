import type { Snapshot } from '../../src/data/snapshots/schema.js';
import type { ScheduleExport } from '../../src/env/schedule-export.js';

/**
 * An independent feasibility checker for exported schedules, written from the snapshot
 * format alone (docs/snapshots.md, docs/environment.md), sharing no code with src/env.
 * Returns every problem found (empty = feasible).
 */
export interface CheckOptions {
  /** Every task of every job must be scheduled (default true). */
  complete?: boolean;
  /** Task durations are the snapshot's (no episode variation): check working time exactly. */
  exactDurations?: boolean;
  /**
   * The calendar mode the schedule was built with (default stretch). With `no_split` (and
   * exact durations), a task that fits a working window of its calendar(s) must not be split
   * by non-working time.
   */
  calendarMode?: 'stretch' | 'no_split';
  /**
   * The schedule must be active (gap filling): no task could complete earlier in the idle
   * time the final schedule leaves on any of its eligible machines (or its whole machine set),
   * after its job's release and its predecessor's end, under the calendar mode. Needs exact durations.
   */
  active?: boolean;
}

const EPS = 1e-6;

function calendarOf(s: Snapshot, machineId: string): Snapshot['calendars'][string] | undefined {
  const m = s.machines.find((x) => x.id === machineId)!;
  const name = m.calendar ?? (s.calendars.default ? 'default' : undefined);
  return name === undefined ? undefined : s.calendars[name];
}

/** Non-working intervals of one machine's calendar that touch [a, b]. */
function offIntervals(s: Snapshot, machineId: string, a: number, b: number): [number, number][] {
  const cal = calendarOf(s, machineId);
  if (cal === undefined) return [];
  const out: [number, number][] = [];
  // day d (0-based, hour 0 of the snapshot is in day 0 at startHourOfDay) has weekday ((startWeekday-1+d) mod 7)+1
  const firstDay = Math.floor((a + s.startHourOfDay) / 24) - 1;
  const lastDay = Math.floor((b + s.startHourOfDay) / 24) + 1;
  for (let d = firstDay; d <= lastDay; d++) {
    const weekday = ((((s.startWeekday - 1 + d) % 7) + 7) % 7) + 1;
    const dayStart = d * 24 - s.startHourOfDay;
    for (const br of cal.breaks) if (br.weekday === weekday) out.push([dayStart + br.start, dayStart + br.end]);
  }
  for (const h of cal.holidays) out.push([h.start, h.end]);
  return out.filter(([lo, hi]) => hi > a - 1 && lo < b + 1);
}

function merge(iv: [number, number][]): [number, number][] {
  const sorted = [...iv].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The longest stretch of the week without a break of any of the machines (Infinity without breaks). */
function longestWeeklyWindow(s: Snapshot, machines: readonly string[]): number {
  const iv: [number, number][] = machines.flatMap((m) => (calendarOf(s, m)?.breaks ?? []).map((b): [number, number] => [(b.weekday - 1) * 24 + b.start, (b.weekday - 1) * 24 + b.end]));
  if (iv.length === 0) return Infinity;
  const week = merge(iv);
  let best = week[0][0] + 168 - week[week.length - 1][1];
  for (let i = 1; i < week.length; i++) best = Math.max(best, week[i][0] - week[i - 1][1]);
  return best;
}

/**
 * The earliest end of `need` working hours on `machines` (all at once) starting at or after
 * `from`, with every instant of [start, end] outside `busy` (merged, sorted); Infinity if it
 * cannot end before `limit`. `off`: the machines' merged non-working time over [from, limit].
 */
function earliestEnd(from: number, need: number, busy: [number, number][], off: [number, number][], noSplit: boolean, limit: number): number {
  const starts = [from, ...busy.map((b) => b[1]).filter((x) => x > from)].sort((x, y) => x - y);
  const working = (t: number) => {
    for (const [lo, hi] of off) if (lo <= t + EPS && t < hi - EPS) t = hi;
    return t;
  };
  const endOf = (st: number) => {
    let u = st;
    let rem = need;
    for (const [lo, hi] of off) {
      if (hi <= u) continue;
      if (u + rem <= lo + EPS) return u + rem;
      rem -= Math.max(0, lo - u);
      u = Math.max(u, hi);
    }
    return u + rem;
  };
  for (const t of starts) {
    if (t >= limit) break;
    let st = working(t);
    if (noSplit) {
      for (;;) {
        const stop = off.find(([lo]) => lo > st + EPS);
        if (!stop || st + need <= stop[0] + EPS) break;
        st = working(stop[1]);
      }
    }
    const end = endOf(st);
    if (end >= limit) continue;
    if (busy.every(([lo, hi]) => !(lo < end - EPS && hi > st + EPS))) return end;
  }
  return Infinity;
}

export function checkSchedule(s: Snapshot, exp: ScheduleExport, opts: CheckOptions = {}): string[] {
  const complete = opts.complete ?? true;
  const exact = opts.exactDurations ?? true;
  const problems: string[] = [];
  const taskInfo = new Map<string, { job: (typeof s.jobs)[number]; index: number }>();
  for (const job of s.jobs) job.tasks.forEach((t, index) => taskInfo.set(t.id, { job, index }));
  const byTask = new Map<string, ScheduleExport['assignments'][number]>();
  for (const a of exp.assignments) {
    if (!taskInfo.has(a.task)) problems.push(`unknown task ${a.task}`);
    else if (byTask.has(a.task)) problems.push(`task ${a.task} scheduled twice`);
    else if (taskInfo.get(a.task)!.job.id !== a.job) problems.push(`task ${a.task} exported under job ${a.job}`);
    byTask.set(a.task, a);
  }
  const perMachine = new Map<string, [number, number, string][]>();
  for (const job of s.jobs) {
    let prevEnd = -Infinity;
    let missing = false;
    for (const task of job.tasks) {
      const a = byTask.get(task.id);
      if (!a) {
        if (complete) problems.push(`task ${task.id} not scheduled`);
        missing = true;
        continue;
      }
      if (missing) problems.push(`task ${task.id} scheduled although an earlier task of ${job.id} is not`);
      if (!(a.end >= a.start)) problems.push(`task ${task.id}: end ${a.end} before start ${a.start}`);
      if (a.start < job.release - EPS) problems.push(`task ${task.id} starts at ${a.start} before its job's release ${job.release}`);
      if (a.start < prevEnd - EPS) problems.push(`task ${task.id} starts at ${a.start} before its predecessor ends at ${prevEnd}`);
      prevEnd = a.end;
      if (task.requiresAll.length > 0) {
        const want = [...task.requiresAll].sort().join(',');
        if ([...a.machines].sort().join(',') !== want) problems.push(`task ${task.id} needs all of ${want}, got ${a.machines.join(',')}`);
      } else if (a.machines.length !== 1 || !task.machines.includes(a.machines[0])) {
        problems.push(`task ${task.id} on ${a.machines.join(',')}, not one of ${task.machines.join(',')}`);
      }
      for (const m of a.machines) {
        if (!perMachine.has(m)) perMachine.set(m, []);
        perMachine.get(m)!.push([a.start, a.end, task.id]);
      }
      // calendar: union of the machines' non-working time
      const off = merge(a.machines.flatMap((m) => offIntervals(s, m, a.start, a.end)));
      for (const [lo, hi] of off) {
        if (a.start >= lo - EPS && a.start < hi - EPS) problems.push(`task ${task.id} starts at ${a.start} inside non-working time [${lo}, ${hi})`);
        if (a.end > lo + EPS && a.end <= hi + EPS) problems.push(`task ${task.id} ends at ${a.end} inside non-working time (${lo}, ${hi}]`);
      }
      let working = a.end - a.start;
      for (const [lo, hi] of off) working -= Math.max(0, Math.min(hi, a.end) - Math.max(lo, a.start));
      const mi = task.requiresAll.length === 0 ? task.machines.indexOf(a.machines[0]) : -1;
      const need = task.setup + (task.durations && mi >= 0 ? task.durations[mi] : task.duration);
      if (exact && Math.abs(working - need) > 1e-5) {
        problems.push(`task ${task.id} gets ${working} working hours in [${a.start}, ${a.end}], needs ${need}`);
      }
      if (exact && opts.calendarMode === 'no_split' && working < a.end - a.start - 1e-5 && need <= longestWeeklyWindow(s, a.machines) + EPS) {
        problems.push(`task ${task.id} is split by non-working time in [${a.start}, ${a.end}] although it fits a working window (no_split)`);
      }
    }
  }
  for (const [m, list] of perMachine) {
    list.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < list.length; i++) {
      if (list[i][0] < list[i - 1][1] - EPS) problems.push(`machine ${m}: ${list[i][2]} starts at ${list[i][0]} before ${list[i - 1][2]} ends at ${list[i - 1][1]}`);
    }
  }
  if (opts.active && exact) problems.push(...activeProblems(s, byTask, perMachine, opts.calendarMode === 'no_split'));
  const makespan = exp.assignments.reduce((x, a) => Math.max(x, a.end), 0);
  if (Math.abs(makespan - exp.metrics.makespan) > EPS) problems.push(`metrics.makespan ${exp.metrics.makespan} but the latest end is ${makespan}`);
  const total = s.jobs.reduce((n, j) => n + j.tasks.length, 0);
  if (complete && exact && total > 0 && Math.abs(exp.metrics.completion_rate - 1) > EPS) problems.push(`completion_rate ${exp.metrics.completion_rate} for a complete schedule`);
  return problems;
}

/** Tasks that could complete earlier in the idle time of the final schedule (see CheckOptions.active). */
function activeProblems(
  s: Snapshot,
  byTask: Map<string, ScheduleExport['assignments'][number]>,
  perMachine: Map<string, [number, number, string][]>,
  noSplit: boolean,
): string[] {
  const problems: string[] = [];
  for (const job of s.jobs) {
    let prevEnd = job.release;
    for (const task of job.tasks) {
      const a = byTask.get(task.id);
      if (!a) break;
      const options = task.requiresAll.length > 0 ? [{ machines: task.requiresAll, need: task.setup + task.duration }] : task.machines.map((m, i) => ({ machines: [m], need: task.setup + (task.durations ? task.durations[i] : task.duration) }));
      for (const o of options) {
        const busy = merge(o.machines.flatMap((m) => (perMachine.get(m) ?? []).filter((x) => x[2] !== task.id).map((x): [number, number] => [x[0], x[1]])));
        const off = merge(o.machines.flatMap((m) => offIntervals(s, m, prevEnd, a.end)));
        const noSplitHere = noSplit && o.need <= longestWeeklyWindow(s, o.machines) + EPS;
        const end = earliestEnd(prevEnd, o.need, busy, off, noSplitHere, a.end - EPS);
        if (end < a.end - EPS) problems.push(`task ${task.id} ends at ${a.end} but an idle gap of ${o.machines.join(',')} would let it end at ${end}`);
      }
      prevEnd = Math.max(prevEnd, a.end);
    }
  }
  return problems;
}
