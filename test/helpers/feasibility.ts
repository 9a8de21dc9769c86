import type { Snapshot } from '../../src/data/snapshots/schema.js';
import type { ScheduleExport } from '../../src/env/schedule-export.js';
import { scheduleFaults } from '../../src/evaluation/check.js';
import { mergeIntervals } from '../../src/evaluation/check-calendar.js';

/**
 * The schedule checker of `sched check` (src/evaluation/check.ts: feasibility under the calendar
 * mode), plus a property only the simulator's tests ask for: with `active`, that the schedule is
 * active (gap filling): no task could complete earlier in the idle time the final schedule
 * leaves on any of its eligible machines (or its whole machine set), after its job's release and
 * its predecessor's end, under the calendar mode. Returns every problem found (empty = fine).
 */
export interface CheckOptions {
  /** The calendar mode the schedule was built with (default stretch). */
  calendarMode?: 'stretch' | 'no_split';
  active?: boolean;
}

const EPS = 1e-6;

export function checkSchedule(s: Snapshot, exp: ScheduleExport, opts: CheckOptions = {}): string[] {
  const problems = scheduleFaults(s, exp, { calendar: opts.calendarMode ?? 'stretch' });
  if (!opts.active) return problems;
  const byTask = new Map<string, ScheduleExport['assignments'][number]>();
  const perMachine = new Map<string, [number, number, string][]>();
  for (const a of exp.assignments) {
    byTask.set(a.task, a);
    for (const m of a.machines) {
      if (!perMachine.has(m)) perMachine.set(m, []);
      perMachine.get(m)!.push([a.start, a.end, a.task]);
    }
  }
  return [...problems, ...activeProblems(s, byTask, perMachine, opts.calendarMode === 'no_split')];
}

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


/** The longest stretch of the week without a break of any of the machines (Infinity without breaks). */
function longestWeeklyWindow(s: Snapshot, machines: readonly string[]): number {
  const iv: [number, number][] = machines.flatMap((m) => (calendarOf(s, m)?.breaks ?? []).map((b): [number, number] => [(b.weekday - 1) * 24 + b.start, (b.weekday - 1) * 24 + b.end]));
  if (iv.length === 0) return Infinity;
  const week = mergeIntervals(iv);
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
        const busy = mergeIntervals(o.machines.flatMap((m) => (perMachine.get(m) ?? []).filter((x) => x[2] !== task.id).map((x): [number, number] => [x[0], x[1]])));
        const off = mergeIntervals(o.machines.flatMap((m) => offIntervals(s, m, prevEnd, a.end)));
        const noSplitHere = noSplit && o.need <= longestWeeklyWindow(s, o.machines) + EPS;
        const end = earliestEnd(prevEnd, o.need, busy, off, noSplitHere, a.end - EPS);
        if (end < a.end - EPS) problems.push(`task ${task.id} ends at ${a.end} but an idle gap of ${o.machines.join(',')} would let it end at ${end}`);
      }
      prevEnd = Math.max(prevEnd, a.end);
    }
  }
  return problems;
}
