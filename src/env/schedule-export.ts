import { z } from 'zod';

/** The JSON a full schedule is exported as (`sched schedule --out`, Gantt charts, reports). */
export interface ScheduleAssignment {
  job: string;
  task: string;
  /** The machine ids the task occupies (one, or all of a multi-machine task). */
  machines: string[];
  /** Hours from the snapshot start; `end` includes time stretched over breaks. */
  start: number;
  end: number;
}

export interface ScheduleMetrics {
  makespan: number;
  completion_rate: number;
  on_time_rate: number;
  mean_days_late: number;
  max_days_late: number;
  utilization: number;
  invalid_actions: number;
  tasks_scheduled: number;
  tasks_total: number;
  [extra: string]: number;
}

/** How `sched schedule --guard` chose a schedule: the objective and every candidate it checked. */
export interface GuardRecord {
  /** `on-time rate, then mean days late`, or `makespan`. */
  objective: string;
  /** The model's policy name (its candidate comes first). */
  model: string;
  candidates: { policy: string; feasible: boolean; faults: number; on_time_rate: number; mean_days_late: number; makespan: number }[];
}

export interface ScheduleExport {
  snapshot: string;
  /** `ppo` or a baseline rule's name: the policy that produced the assignments. */
  policy: string;
  assignments: ScheduleAssignment[];
  metrics: ScheduleMetrics;
  /** Written by `sched schedule --guard`: the candidates it compared (`policy` is the one chosen). */
  guard?: GuardRecord;
  /** Per job: due, completion time, lateness in days (for late-job marking in charts). */
  jobs?: { id: string; due: number | null; completion: number | null; important: boolean; days_late: number }[];
}

const finite = z.number().refine(Number.isFinite, 'expected a finite number');

/** One assignment as a schedule file holds it (what `sched check` and `sched visualize` read). */
export const ScheduleAssignmentSchema = z.object({ job: z.string(), task: z.string(), machines: z.array(z.string()).min(1), start: finite, end: finite });
