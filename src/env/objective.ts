/**
 * The objective a schedule is judged by (`sched test`, sampling, pretraining's teacher, stage
 * success and the best model): for due-date instances the on-time rate (higher is better),
 * then mean days late (lower), then the makespan (lower); for makespan-objective instances
 * (pure job shops) the makespan alone. Ties within `TOL` count as equal.
 */
export type Objective = 'due_dates' | 'makespan';

/** The objective of a set of instances (all of one kind in practice; the first decides). */
export function objectiveOf(instances: readonly { objective?: Objective }[]): Objective {
  return instances[0]?.objective === 'makespan' ? 'makespan' : 'due_dates';
}

export interface ObjectiveMetrics {
  on_time_rate: number;
  mean_days_late: number;
  makespan: number;
}

const TOL = 1e-9;

/** Negative when `a` is better than `b`, positive when worse, 0 when equal (to `TOL`). */
export function compareByObjective(a: ObjectiveMetrics, b: ObjectiveMetrics, objective: Objective): number {
  if (objective === 'due_dates') {
    const d1 = b.on_time_rate - a.on_time_rate;
    if (Math.abs(d1) > TOL) return d1;
    const d2 = a.mean_days_late - b.mean_days_late;
    if (Math.abs(d2) > TOL) return d2;
  }
  const d3 = a.makespan - b.makespan;
  return Math.abs(d3) > TOL * Math.max(1, Math.abs(b.makespan)) ? d3 : 0;
}

/** The index of the best of `items` by the objective (the first of equals). */
export function bestByObjective<T>(items: readonly T[], metrics: (x: T) => ObjectiveMetrics, objective: Objective): number {
  let best = 0;
  for (let i = 1; i < items.length; i++) if (compareByObjective(metrics(items[i]), metrics(items[best]), objective) < 0) best = i;
  return best;
}

/** The ranking in words, for messages and reports. */
export function describeObjective(objective: Objective): string {
  return objective === 'makespan' ? 'makespan' : 'on-time rate, then mean days late, then makespan';
}
