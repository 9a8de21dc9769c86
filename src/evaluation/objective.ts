import type { Snapshot } from '../data/snapshots/schema.js';

/** What a snapshot asks a schedule to do well (its `objective` field, docs/snapshots.md). */
export type Objective = Snapshot['objective'];

/** The KPIs the objectives compare: a schedule's metrics, or a policy's means over instances. */
export interface ObjectiveMetrics {
  completion_rate: number;
  on_time_rate: number;
  mean_days_late: number;
  makespan: number;
}

/** Differences smaller than these are ties (sums of the same figures in another order). */
const RATE_EPS = 1e-9;
const DAYS_EPS = 1e-9;
const HOURS_EPS = 1e-6;

/**
 * Which of two schedules of the same instance(s) is better for the objective: negative when
 * `a` is better, positive when `b` is, 0 on a tie. More tasks scheduled first (every complete
 * schedule ties there); then for `due_dates` the on-time rate (higher), then mean days late
 * (lower), then makespan (lower); for `makespan` the makespan alone. The one place the
 * objective is ranked: best-of-N sampling, the best rule of a test, `--guard` all use it.
 */
export function compareByObjective(a: ObjectiveMetrics, b: ObjectiveMetrics, objective: Objective): number {
  const done = b.completion_rate - a.completion_rate;
  if (Math.abs(done) > RATE_EPS) return done;
  if (objective === 'makespan') return tie(a.makespan - b.makespan, HOURS_EPS);
  const onTime = b.on_time_rate - a.on_time_rate;
  if (Math.abs(onTime) > RATE_EPS) return onTime;
  const late = a.mean_days_late - b.mean_days_late;
  if (Math.abs(late) > DAYS_EPS) return late;
  return tie(a.makespan - b.makespan, HOURS_EPS);
}

function tie(d: number, eps: number): number {
  return Math.abs(d) > eps ? d : 0;
}

/** True when `a` is strictly better than `b` for the objective (ties keep `b`). */
export function isBetter(a: ObjectiveMetrics, b: ObjectiveMetrics, objective: Objective): boolean {
  return compareByObjective(a, b, objective) < 0;
}

/**
 * The objective of a set of instances: theirs when they all share one, else `due_dates`
 * (a mixed set is ranked by the due-date KPIs; the held-out sets of a stage never mix).
 */
export function objectiveOf(instances: readonly Pick<Snapshot, 'objective'>[]): Objective {
  const first = instances[0]?.objective ?? 'due_dates';
  return instances.every((s) => s.objective === first) ? first : 'due_dates';
}

/** The ranking in words, for messages and reports. */
export function describeObjective(objective: Objective): string {
  return objective === 'makespan' ? 'makespan' : 'on-time rate, then mean days late, then makespan';
}
