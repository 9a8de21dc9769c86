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

export interface ScheduleExport {
  snapshot: string;
  /** `ppo` or a baseline rule's name. */
  policy: string;
  assignments: ScheduleAssignment[];
  metrics: ScheduleMetrics;
  /** Per job: due, completion time, lateness in days (for late-job marking in charts). */
  jobs?: { id: string; due: number | null; completion: number | null; important: boolean; days_late: number }[];
}
