import type { Simulator } from './simulator.js';
import type { ScheduleAssignment, ScheduleExport, ScheduleMetrics } from './schedule-export.js';

/**
 * The metrics of env e's episode so far (docs/environment.md, "Metrics"):
 * - completion_rate: tasks placed / tasks in the episode;
 * - on_time_rate: jobs completed by their due time (or complete and without one) / jobs;
 * - mean_days_late: mean of max(0, completion - due) / 24 over completed jobs with a due
 *   time (on-time jobs count 0); mean_days_late_of_late: the same over late jobs only;
 * - makespan: the latest end placed (hours); utilization: machine-hours of work placed /
 *   (machines * makespan); invalid_actions: actions on masked-out slots (passed in).
 */
export function episodeMetrics(sim: Simulator, e: number, invalidActions = 0): ScheduleMetrics {
  const inst = sim.instances[sim.instOf[e]];
  const tasksTotal = sim.tasksTotal[e];
  const tasksDone = sim.tasksDone[e];
  const jobsTotal = sim.jobsTotal[e];
  const withDue = sim.jobsWithDueDone[e];
  const late = sim.jobsLate[e];
  const makespan = sim.makespan[e];
  const nm = inst.numMachines;
  return {
    makespan,
    completion_rate: tasksTotal > 0 ? tasksDone / tasksTotal : 1,
    on_time_rate: jobsTotal > 0 ? sim.jobsOnTime[e] / jobsTotal : 1,
    mean_days_late: withDue > 0 ? sim.sumDaysLate[e] / withDue : 0,
    max_days_late: sim.maxDaysLate[e],
    utilization: makespan > 0 && nm > 0 ? sim.busy[e] / (nm * makespan) : 0,
    invalid_actions: invalidActions,
    tasks_scheduled: tasksDone,
    tasks_total: tasksTotal,
    jobs_total: jobsTotal,
    jobs_completed: sim.jobsDone[e],
    jobs_on_time: sim.jobsOnTime[e],
    jobs_late: late,
    mean_days_late_of_late: late > 0 ? sim.sumDaysLate[e] / late : 0,
  };
}

/** The schedule of env e as exported JSON (assignments sorted by start, then task order). */
export function exportSchedule(sim: Simulator, e: number, policy: string, invalidActions = 0): ScheduleExport {
  const inst = sim.instances[sim.instOf[e]];
  const eJ = e * sim.J;
  const eT = e * sim.T;
  const rows: { a: ScheduleAssignment; t: number }[] = [];
  const jobs: NonNullable<ScheduleExport['jobs']> = [];
  for (let j = 0; j < inst.numJobs; j++) {
    if (sim.jobActive[eJ + j] === 0) continue;
    const t0 = inst.jobTaskStart[j];
    const t1 = inst.jobTaskStart[j + 1];
    const next = sim.jobNext[eJ + j];
    const placedEnd = next < 0 ? t1 : next;
    for (let t = t0; t < placedEnd; t++) {
      const m = sim.taskMachine[eT + t];
      const machines = m >= 0 ? [inst.machineIds[m]] : Array.from(inst.taskElig.subarray(inst.taskEligStart[t], inst.taskEligStart[t + 1]), (k) => inst.machineIds[k]);
      rows.push({ a: { job: inst.jobIds[j], task: inst.taskIds[t], machines, start: sim.taskStart[eT + t], end: sim.taskEnd[eT + t] }, t });
    }
    const done = next < 0;
    const hasDue = inst.jobHasDue[j] === 1;
    const due = hasDue ? sim.jobDue[eJ + j] : null;
    const completion = done ? sim.jobEnd[eJ + j] : null;
    jobs.push({
      id: inst.jobIds[j],
      due,
      completion,
      important: inst.jobImportant[j] === 1,
      days_late: due !== null && completion !== null ? Math.max(0, (completion - due) / 24) : 0,
    });
  }
  rows.sort((x, y) => x.a.start - y.a.start || x.t - y.t);
  return {
    snapshot: inst.name,
    policy,
    assignments: rows.map((r) => r.a),
    metrics: episodeMetrics(sim, e, invalidActions),
    jobs,
  };
}
