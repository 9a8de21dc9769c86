import type { Calendar, Machine, Snapshot, Task } from './schema.js';

/**
 * Statistics of a snapshot (`sched snapshots stats`, validation_report.md). Definitions:
 * - work: processing + setup hours (a task with per-machine `durations` counts its shortest
 *   one); a multi-machine task counts once per machine it holds
 *   (machine-hours); an ordinary task's work is spread evenly over its eligible machines when
 *   loads are attributed to machines and types;
 * - horizon: `meta.horizon` when the generator set it, else the latest due date or a makespan
 *   lower bound (longest job from its release, busiest machine), whichever is larger;
 * - capacity: working machine-hours in [0, horizon] under each machine's calendar (breaks and
 *   holidays excluded); load = work / capacity;
 * - urgent: the generator's flag (`meta.urgent`) when present, else jobs whose slack
 *   (due − release − own work) is below their own work;
 * - late-for-sure: due < release + own work (cannot be on time even if never delayed).
 */

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface TypeStats {
  type: string;
  machines: number;
  /** Tasks that may run on (or need) a machine of this type. */
  tasks: number;
  /** Mean number of eligible machines of the ordinary tasks routed here (0 if none). */
  meanEligible: number;
  work: number;
  capacity: number;
  load: number;
}

export interface SnapshotStats {
  name: string;
  objective: 'due_dates' | 'makespan';
  jobs: number;
  emptyJobs: number;
  tasks: number;
  machines: number;
  machineTypes: number;
  multiMachineTasks: number;
  multiMachineShare: number;
  tasksWithSetup: number;
  eligible: Spread | null;
  importantShare: number;
  urgentShare: number;
  urgentSource: 'generator' | 'slack';
  lateForSureShare: number;
  alreadyLateShare: number;
  due: Spread | null;
  slack: Spread | null;
  release: Spread | null;
  totalWork: number;
  horizon: number;
  horizonSource: 'meta' | 'due' | 'lower_bound';
  capacity: number;
  load: number;
  /** Mean over machines of working hours / horizon. */
  workingShare: number;
  /** Every type, most loaded first. */
  types: TypeStats[];
}

function medianOfSorted(s: readonly number[]): number {
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  return values.length ? medianOfSorted(values.slice().sort((a, b) => a - b)) : NaN;
}

function spread(values: number[]): Spread | null {
  if (values.length === 0) return null;
  const s = values.slice().sort((a, b) => a - b);
  return { min: s[0], median: medianOfSorted(s), max: s[s.length - 1] };
}

/** A task's work in hours: processing (its shortest per-machine duration, if any) + setup. */
export function taskWork(t: Task): number {
  return (t.durations ? Math.min(...t.durations) : t.duration) + t.setup;
}

/** The calendar a machine works under: its own, else `calendars.default`, else none (always working). */
export function machineCalendarName(s: Snapshot, m: Machine): string | undefined {
  return m.calendar ?? (s.calendars.default ? 'default' : undefined);
}

/** Working hours of `cal` in [0, horizon]; hour 0 falls on `startWeekday` at `startHourOfDay`. */
export function workingHours(cal: Calendar | undefined, horizon: number, startWeekday: number, startHourOfDay: number): number {
  if (horizon <= 0) return 0;
  if (!cal) return horizon;
  const off: [number, number][] = [];
  const days = Math.ceil((horizon + startHourOfDay) / 24) + 1;
  for (let d = 0; d < days; d++) {
    const weekday = ((startWeekday - 1 + d) % 7) + 1;
    const dayStart = d * 24 - startHourOfDay;
    for (const b of cal.breaks) if (b.weekday === weekday) off.push([dayStart + b.start, dayStart + b.end]);
  }
  for (const h of cal.holidays) off.push([h.start, h.end]);
  off.sort((a, b) => a[0] - b[0]);
  let lost = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  const flush = () => {
    const s = Math.max(0, curS);
    const e = Math.min(horizon, curE);
    if (e > s) lost += e - s;
  };
  for (const [s, e] of off) {
    if (s > curE) {
      flush();
      curS = s;
      curE = e;
    } else if (e > curE) curE = e;
  }
  flush();
  return horizon - lost;
}

export function snapshotStats(s: Snapshot): SnapshotStats {
  const machineIndex = new Map(s.machines.map((m, i) => [m.id, i]));
  const machineWork = new Float64Array(s.machines.length);
  const typeOf = s.machines.map((m) => m.type);
  const typeNames = [...new Set(typeOf)];
  const typeIdx = new Map(typeNames.map((t, i) => [t, i]));
  const typeTasks = new Array<number>(typeNames.length).fill(0);
  const typeEligSum = new Array<number>(typeNames.length).fill(0);
  const typeEligN = new Array<number>(typeNames.length).fill(0);

  let tasks = 0;
  let multi = 0;
  let withSetup = 0;
  let totalWork = 0;
  let emptyJobs = 0;
  const eligibleSizes: number[] = [];
  const ownWork: number[] = [];
  for (const job of s.jobs) {
    if (job.tasks.length === 0) emptyJobs += 1;
    let w = 0;
    for (const t of job.tasks) {
      tasks += 1;
      const h = taskWork(t);
      w += h;
      if (t.setup > 0) withSetup += 1;
      const touched = new Set<number>();
      if (t.requiresAll.length > 0) {
        multi += 1;
        for (const id of t.requiresAll) {
          const m = machineIndex.get(id)!;
          machineWork[m] += h;
          totalWork += h;
          touched.add(typeIdx.get(typeOf[m])!);
        }
      } else {
        eligibleSizes.push(t.machines.length);
        totalWork += h;
        for (const id of t.machines) {
          const m = machineIndex.get(id)!;
          machineWork[m] += h / t.machines.length;
          touched.add(typeIdx.get(typeOf[m])!);
        }
        for (const ti of touched) {
          typeEligSum[ti] += t.machines.length;
          typeEligN[ti] += 1;
        }
      }
      for (const ti of touched) typeTasks[ti] += 1;
    }
    ownWork.push(w);
  }

  const dated = s.jobs.map((j, i) => ({ j, w: ownWork[i] })).filter((x) => x.j.due !== null);
  const lowerBound = Math.max(0, ...s.jobs.map((j, i) => j.release + ownWork[i]), ...machineWork);
  const latestDue = dated.length > 0 ? Math.max(...dated.map((x) => x.j.due!)) : -Infinity;
  const metaHorizon = s.meta?.horizon;
  let horizon: number;
  let horizonSource: SnapshotStats['horizonSource'];
  if (typeof metaHorizon === 'number' && metaHorizon > 0) {
    horizon = metaHorizon;
    horizonSource = 'meta';
  } else if (latestDue >= lowerBound && latestDue > 0) {
    horizon = latestDue;
    horizonSource = 'due';
  } else {
    horizon = Math.max(lowerBound, 1);
    horizonSource = 'lower_bound';
  }

  const capacityOf = new Map<string | undefined, number>();
  const machineCap = s.machines.map((m) => {
    const key = machineCalendarName(s, m);
    if (!capacityOf.has(key)) capacityOf.set(key, workingHours(key ? s.calendars[key] : undefined, horizon, s.startWeekday, s.startHourOfDay));
    return capacityOf.get(key)!;
  });
  const capacity = machineCap.reduce((a, b) => a + b, 0);

  const types: TypeStats[] = typeNames.map((type, ti) => {
    let machines = 0;
    let work = 0;
    let cap = 0;
    s.machines.forEach((m, i) => {
      if (typeOf[i] !== type) return;
      machines += 1;
      work += machineWork[i];
      cap += machineCap[i];
    });
    return {
      type,
      machines,
      tasks: typeTasks[ti],
      meanEligible: typeEligN[ti] > 0 ? typeEligSum[ti] / typeEligN[ti] : 0,
      work,
      capacity: cap,
      load: cap > 0 ? work / cap : work > 0 ? Infinity : 0,
    };
  });
  types.sort((a, b) => b.load - a.load || a.type.localeCompare(b.type));

  const metaUrgent = s.meta?.urgent;
  const urgentFromMeta = Array.isArray(metaUrgent);
  const urgentCount = s.objective === 'makespan' ? 0 : urgentFromMeta
    ? (metaUrgent as unknown[]).length
    : dated.filter((x) => x.j.due! - x.j.release - x.w < x.w).length;
  const n = s.jobs.length;
  const share = (k: number) => (n > 0 ? k / n : 0);

  return {
    name: s.name,
    objective: s.objective,
    jobs: n,
    emptyJobs,
    tasks,
    machines: s.machines.length,
    machineTypes: typeNames.length,
    multiMachineTasks: multi,
    multiMachineShare: tasks > 0 ? multi / tasks : 0,
    tasksWithSetup: withSetup,
    eligible: spread(eligibleSizes),
    importantShare: share(s.jobs.filter((j) => j.important).length),
    urgentShare: share(urgentCount),
    urgentSource: urgentFromMeta ? 'generator' : 'slack',
    lateForSureShare: share(dated.filter((x) => x.j.due! < x.j.release + x.w).length),
    alreadyLateShare: share(dated.filter((x) => x.j.due! < 0).length),
    due: spread(dated.map((x) => x.j.due!)),
    slack: spread(dated.map((x) => x.j.due! - x.j.release - x.w)),
    release: spread(s.jobs.map((j) => j.release)),
    totalWork,
    horizon,
    horizonSource,
    capacity,
    load: capacity > 0 ? totalWork / capacity : totalWork > 0 ? Infinity : 0,
    workingShare: s.machines.length > 0 && horizon > 0 ? capacity / (s.machines.length * horizon) : 1,
    types,
  };
}
