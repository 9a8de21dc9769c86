import type { Snapshot, Task } from './schema.js';
import { machineCalendarName, median, snapshotStats, taskWork, workingHours } from './stats.js';
import { num } from './stats-format.js';

/**
 * Warnings: data that is legal but looks wrong (docs/snapshots.md "Warnings" states each rule).
 * Unlike a problem, a warning does not refuse the snapshot; `--strict` makes it fatal. Each
 * warning names the row it is about (a machine, job or task, and the field) so that a snapshot
 * file reports its path and `sched ingest` its table, row id and column. The thresholds are
 * chosen so that the named snapshots and every generated profile have none (a test checks).
 */

export type WarningRule =
  | 'undefined-calendar'
  | 'due-before-release'
  | 'release-far'
  | 'due-far'
  | 'duration-outlier'
  | 'unused-type'
  | 'no-working-time';

export interface SnapshotWarning {
  rule: WarningRule;
  /** Where in the snapshot file: `jobs[3].due`. */
  path: string;
  /** The row it is about and its id. */
  subject: 'machine' | 'job' | 'task';
  id: string;
  /** The field at fault (the snapshot's name for it), when one is. */
  field?: 'calendar' | 'type' | 'due' | 'release' | 'duration';
  /** Why it looks wrong, a phrase that follows the path or the column: `is 10 h, before ...`. */
  why: string;
}

/** Facts the snapshot itself cannot show (they come from the database). */
export interface WarningFacts {
  /** Calendar names some machine gives that no break or holiday row defines. */
  undefinedCalendars?: Iterable<string>;
}

/** A release or due date further than this many time scales from hour 0 is "far". */
export const FAR_FACTOR = 10;
/** A processing time this many times above or below its machine type's median is an outlier. */
export const DURATION_FACTOR = 25;
/** Types with fewer tasks than this have no meaningful median: no outlier warnings. */
export const DURATION_MIN_TASKS = 5;

/**
 * The snapshot's time scale S in hours: the larger of the median due date and the median of
 * (release + own work) over jobs, at least 1 h. Robust to a few far-off dates.
 */
export function timeScale(s: Snapshot): number {
  const dues = s.jobs.filter((j) => j.due !== null).map((j) => j.due!);
  const ends = s.jobs.map((j) => j.release + j.tasks.reduce((w, t) => w + taskWork(t), 0));
  return Math.max(1, dues.length ? median(dues) : 0, ends.length ? median(ends) : 0);
}

export function snapshotWarnings(s: Snapshot, facts: WarningFacts = {}): SnapshotWarning[] {
  const out: SnapshotWarning[] = [];
  const machineIndex = new Map(s.machines.map((m, i) => [m.id, i]));

  // machines: calendars defined nowhere, types no task can use
  const ghosts = new Set(facts.undefinedCalendars ?? []);
  s.machines.forEach((m, i) => {
    if (m.calendar !== undefined && ghosts.has(m.calendar)) {
      out.push({
        rule: 'undefined-calendar', path: `machines[${i}].calendar`, subject: 'machine', id: m.id, field: 'calendar',
        why: `names calendar "${m.calendar}", which no break or holiday defines: the machine works through every break and holiday`,
      });
    }
  });
  const usedTypes = new Set<string>();
  for (const j of s.jobs) for (const t of j.tasks) for (const id of eligible(t)) usedTypes.add(s.machines[machineIndex.get(id)!].type);
  const reported = new Set<string>();
  s.machines.forEach((m, i) => {
    if (usedTypes.has(m.type) || reported.has(m.type)) return;
    reported.add(m.type);
    const ids = s.machines.filter((x) => x.type === m.type).map((x) => x.id);
    out.push({
      rule: 'unused-type', path: `machines[${i}].type`, subject: 'machine', id: m.id, field: 'type',
      why: `is "${m.type}", a machine type no task can use (machines ${ids.join(', ')})`,
    });
  });

  // jobs: due before release, dates far from hour 0
  const scale = timeScale(s);
  const far = FAR_FACTOR * scale;
  const farText = `more than ${FAR_FACTOR} × the snapshot's time scale (${num(scale)} h) from hour 0`;
  s.jobs.forEach((j, ji) => {
    const at = (field: 'due' | 'release', rule: WarningRule, why: string) =>
      out.push({ rule, path: `jobs[${ji}].${field}`, subject: 'job', id: j.id, field, why });
    if (j.release > far) at('release', 'release-far', `is at hour ${num(j.release)}, ${farText}`);
    if (j.due === null) return;
    if (j.release > 0 && j.due < j.release) at('due', 'due-before-release', `is at hour ${num(j.due)}, before the job's release at hour ${num(j.release)}: it is late before it can start`);
    if (Math.abs(j.due) > far) at('due', 'due-far', `is at hour ${num(j.due)}, ${farText}`);
  });

  // tasks: processing times far from their machine type's, no working time on their machines
  const durationsByType = new Map<string, number[]>();
  const taskTypeDurations = s.jobs.map((j) => j.tasks.map((t) => typeDurations(s, machineIndex, t)));
  for (const perTask of taskTypeDurations.flat()) {
    for (const [type, d] of perTask) {
      const list = durationsByType.get(type);
      if (list) list.push(d.hours);
      else durationsByType.set(type, [d.hours]);
    }
  }
  // job-shop benchmarks (objective makespan) draw times uniformly over two decades (Taillard: 1..99): not outliers
  const typeMedian = s.objective === 'makespan' ? new Map<string, number>() : new Map([...durationsByType].filter(([, ds]) => ds.length >= DURATION_MIN_TASKS).map(([type, ds]) => [type, median(ds)]));

  const horizon = snapshotStats(s).horizon;
  const working = s.machines.map((m) => {
    const cal = machineCalendarName(s, m);
    return workingHours(cal === undefined ? undefined : s.calendars[cal], horizon, s.startWeekday, s.startHourOfDay) > 0;
  });
  const noWork = (id: string) => !working[machineIndex.get(id)!];
  const horizonText = `in the horizon (hour 0 to ${num(horizon)})`;

  s.jobs.forEach((j, ji) => {
    j.tasks.forEach((t, ti) => {
      const tp = `jobs[${ji}].tasks[${ti}]`;
      for (const [type, d] of taskTypeDurations[ji][ti]) {
        const med = typeMedian.get(type);
        if (med === undefined || (d.hours <= DURATION_FACTOR * med && d.hours >= med / DURATION_FACTOR)) continue;
        const times = d.hours > med ? `${num(d.hours / med)} × the median` : `1/${num(med / d.hours)} of the median`;
        out.push({
          rule: 'duration-outlier', path: `${tp}.${d.field}`, subject: 'task', id: t.id, field: 'duration',
          why: `is ${num(d.hours, 2)} h on machine type "${type}", ${times} ${num(med, 2)} h of its ${durationsByType.get(type)!.length} tasks there (limit: ${DURATION_FACTOR} × either way)`,
        });
        break; // one per task
      }
      if (t.requiresAll.length > 0) {
        const idle = t.requiresAll.filter(noWork);
        if (idle.length > 0) {
          out.push({
            rule: 'no-working-time', path: `${tp}.requiresAll`, subject: 'task', id: t.id,
            why: `needs machine${idle.length > 1 ? 's' : ''} ${idle.join(', ')} (with the others at once), whose calendar has no working time ${horizonText}`,
          });
        }
      } else if (t.machines.every(noWork)) {
        out.push({
          rule: 'no-working-time', path: `${tp}.machines`, subject: 'task', id: t.id,
          why: `can only run on machine${t.machines.length > 1 ? 's' : ''} ${t.machines.join(', ')}, whose calendar${t.machines.length > 1 ? 's have' : ' has'} no working time ${horizonText}`,
        });
      }
    });
  });
  return out;
}

const eligible = (t: Task) => (t.requiresAll.length > 0 ? t.requiresAll : t.machines);

/** A task's processing time per machine type it may use (the shortest there), and the field that gives it. */
function typeDurations(s: Snapshot, machineIndex: Map<string, number>, t: Task): Map<string, { hours: number; field: string }> {
  const out = new Map<string, { hours: number; field: string }>();
  eligible(t).forEach((id, i) => {
    const type = s.machines[machineIndex.get(id)!].type;
    const perMachine = t.requiresAll.length === 0 ? t.durations?.[i] : undefined;
    const hours = perMachine ?? t.duration;
    const prev = out.get(type);
    if (!prev || hours < prev.hours) out.set(type, { hours, field: perMachine !== undefined ? `durations[${i}]` : 'duration' });
  });
  return out;
}

/** `jobs[3].due: is at hour ...` (snapshot files). */
export function warningLine(w: SnapshotWarning): string {
  return `${w.path}: ${w.why}`;
}

/** `3 warnings`, for a command's last line. */
export function warningCount(n: number): string {
  return `${n} warning${n === 1 ? '' : 's'}`;
}
