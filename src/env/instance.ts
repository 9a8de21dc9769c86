import { SchedError } from '../errors.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { CalendarTable, compileCalendars } from './calendar.js';

/**
 * A snapshot compiled to struct-of-arrays form for the simulator. Tasks are numbered
 * globally in job order then sequence order, so job j owns tasks
 * `jobTaskStart[j] .. jobTaskStart[j+1]-1`. Eligibility is CSR: task t may use machines
 * `taskElig[taskEligStart[t] .. taskEligStart[t+1]-1]` (any one of them, or all of them at
 * once when `taskMulti[t]`). `machineTasks` is the inverse CSR (machine -> tasks).
 */
export interface CompiledInstance {
  readonly snapshot: Snapshot;
  readonly name: string;
  readonly objective: 'due_dates' | 'makespan';
  readonly numJobs: number;
  readonly numTasks: number;
  readonly numMachines: number;
  readonly numTypes: number;
  readonly jobIds: readonly string[];
  readonly taskIds: readonly string[];
  readonly machineIds: readonly string[];
  readonly typeNames: readonly string[];

  readonly jobTaskStart: Int32Array;
  readonly jobDue: Float64Array; // 0 when the job has no due time
  readonly jobHasDue: Uint8Array;
  readonly jobRelease: Float64Array;
  readonly jobImportant: Uint8Array;

  readonly taskJob: Int32Array;
  readonly taskSetup: Float64Array;
  readonly taskDuration: Float64Array;
  /**
   * Nominal working time of a task: setup + duration, or setup + the mean of its
   * per-machine durations (flexible job shops). Remaining-work figures use it.
   */
  readonly taskWork: Float64Array;
  /** Working time on each eligibility entry (parallel to taskElig): setup + that machine's duration. */
  readonly eligWork: Float64Array;
  readonly taskMulti: Uint8Array;
  readonly taskEligStart: Int32Array;
  readonly taskElig: Int32Array;
  /** Calendar of a multi-machine task (union of its machines'); unused for ordinary tasks. */
  readonly taskCal: Int32Array;
  /** Machine type the task's load is counted on (its first listed machine's). */
  readonly taskType: Int32Array;

  readonly machineType: Int32Array;
  readonly machineCal: Int32Array;
  readonly machineTaskStart: Int32Array;
  readonly machineTasks: Int32Array;
  readonly typeMachineCount: Int32Array;
  readonly calendars: CalendarTable;

  /** Sum of taskWork. */
  readonly totalWork: number;
  /** Mean task work (hours); 1 when there are no tasks. Slot features are scaled by it. */
  readonly meanTaskWork: number;
  /**
   * The instance's time scale (hours) for time features: the largest of one day, the latest
   * release plus the work per machine, and the latest due time.
   */
  readonly timeScale: number;
  readonly maxTasksPerJob: number;
}

export function compileInstance(s: Snapshot): CompiledInstance {
  const J = s.jobs.length;
  const M = s.machines.length;
  let T = 0;
  for (const j of s.jobs) T += j.tasks.length;

  const machineIndex = new Map<string, number>();
  s.machines.forEach((m, i) => machineIndex.set(m.id, i));
  const typeIndex = new Map<string, number>();
  const machineType = new Int32Array(M);
  s.machines.forEach((m, i) => {
    if (!typeIndex.has(m.type)) typeIndex.set(m.type, typeIndex.size);
    machineType[i] = typeIndex.get(m.type)!;
  });
  const NT = Math.max(1, typeIndex.size);
  const typeMachineCount = new Int32Array(NT);
  for (let m = 0; m < M; m++) typeMachineCount[machineType[m]]++;

  const cal = compileCalendars(s);

  const jobTaskStart = new Int32Array(J + 1);
  const jobDue = new Float64Array(J);
  const jobHasDue = new Uint8Array(J);
  const jobRelease = new Float64Array(J);
  const jobImportant = new Uint8Array(J);
  const taskJob = new Int32Array(T);
  const taskSetup = new Float64Array(T);
  const taskDuration = new Float64Array(T);
  const taskWork = new Float64Array(T);
  const taskMulti = new Uint8Array(T);
  const taskEligStart = new Int32Array(T + 1);
  const taskCal = new Int32Array(T);
  const taskType = new Int32Array(T);
  const elig: number[] = [];
  const eligWork: number[] = [];
  const taskIds: string[] = [];
  const perMachine: number[][] = Array.from({ length: M }, () => []);

  let t = 0;
  let totalWork = 0;
  let maxTasksPerJob = 0;
  let latest = 0;
  s.jobs.forEach((job, j) => {
    jobTaskStart[j] = t;
    jobHasDue[j] = job.due === null ? 0 : 1;
    jobDue[j] = job.due ?? 0;
    jobRelease[j] = job.release;
    jobImportant[j] = job.important ? 1 : 0;
    if (job.due !== null) latest = Math.max(latest, job.due);
    maxTasksPerJob = Math.max(maxTasksPerJob, job.tasks.length);
    for (const task of job.tasks) {
      taskIds.push(task.id);
      taskJob[t] = j;
      taskSetup[t] = task.setup;
      taskDuration[t] = task.duration;
      const multi = task.requiresAll.length > 0;
      const per = !multi && task.durations !== undefined && task.durations.length === task.machines.length ? task.durations : null;
      taskWork[t] = task.setup + (per ? per.reduce((a, b) => a + b, 0) / per.length : task.duration);
      totalWork += taskWork[t];
      taskMulti[t] = multi ? 1 : 0;
      const ids = multi ? task.requiresAll : task.machines;
      const idx = ids.map((id) => {
        const m = machineIndex.get(id);
        if (m === undefined) throw new SchedError('SNAPSHOT', `${s.name}: task ${task.id} names unknown machine "${id}"`);
        return m;
      });
      taskEligStart[t] = elig.length;
      idx.forEach((m, i) => {
        elig.push(m);
        eligWork.push(task.setup + (per ? per[i] : task.duration));
        perMachine[m].push(t);
      });
      taskCal[t] = multi ? cal.combine(idx) : 0;
      taskType[t] = machineType[idx[0]];
      t++;
    }
  });
  jobTaskStart[J] = t;
  taskEligStart[T] = elig.length;

  const machineTaskStart = new Int32Array(M + 1);
  const machineTasks = new Int32Array(elig.length);
  let k = 0;
  for (let m = 0; m < M; m++) {
    machineTaskStart[m] = k;
    for (const task of perMachine[m]) machineTasks[k++] = task;
  }
  machineTaskStart[M] = k;

  let maxRelease = 0;
  for (let j = 0; j < J; j++) maxRelease = Math.max(maxRelease, jobRelease[j]);
  const meanTaskWork = T > 0 ? totalWork / T : 1;
  const timeScale = Math.max(24, maxRelease + (M > 0 ? totalWork / M : 0), latest);

  return {
    snapshot: s,
    name: s.name,
    objective: s.objective,
    numJobs: J,
    numTasks: T,
    numMachines: M,
    numTypes: NT,
    jobIds: s.jobs.map((j) => j.id),
    taskIds,
    machineIds: s.machines.map((m) => m.id),
    typeNames: [...typeIndex.keys()],
    jobTaskStart,
    jobDue,
    jobHasDue,
    jobRelease,
    jobImportant,
    taskJob,
    taskSetup,
    taskDuration,
    taskWork,
    taskMulti,
    taskEligStart,
    taskElig: Int32Array.from(elig),
    eligWork: Float64Array.from(eligWork),
    taskCal,
    taskType,
    machineType,
    machineCal: cal.machineCal,
    machineTaskStart,
    machineTasks,
    typeMachineCount,
    calendars: cal.build(),
    totalWork,
    meanTaskWork,
    timeScale,
    maxTasksPerJob,
  };
}
