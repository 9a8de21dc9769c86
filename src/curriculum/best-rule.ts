import type { StageConfig } from '../config/types.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { BASELINE_NAMES } from '../baselines/index.js';
import type { Objective } from '../env/objective.js';
import { evaluateBaseline, type PolicyEvaluation } from './evaluate.js';

/** The best dispatching rule per KPI on a set of instances: each KPI's best value and the rule that reached it. */
export type BestRuleFigures = Record<string, number | string>;

const TOL = 1e-9;

/**
 * Runs every dispatching rule once on each instance and keeps, per KPI, the best mean and its
 * rule (ties: the first rule in BASELINE_NAMES): the highest on-time rate, the lowest mean days
 * late, the lowest makespan.
 */
export function bestRuleFigures(instances: readonly Snapshot[], stage: StageConfig): BestRuleFigures {
  const evals = BASELINE_NAMES.map((r) => evaluateBaseline(r, instances, stage.env));
  const pick = (better: (a: PolicyEvaluation, b: PolicyEvaluation) => boolean) => evals.reduce((b, e) => (better(e, b) ? e : b));
  const onTime = pick((a, b) => a.on_time_rate > b.on_time_rate + TOL);
  const late = pick((a, b) => a.mean_days_late < b.mean_days_late - TOL);
  const span = pick((a, b) => a.makespan < b.makespan - TOL);
  return {
    on_time_rate: onTime.on_time_rate, on_time_rule: onTime.policy,
    mean_days_late: late.mean_days_late, mean_days_late_rule: late.policy,
    makespan: span.makespan, makespan_rule: span.policy,
  };
}

/**
 * `success.beat_best_rule`: at least as good as the best rule on each KPI (against the rule
 * best at it), and strictly better on one of them unless the rules are already perfect (every
 * job on time); for makespan-objective instances, a strictly shorter makespan.
 */
export function beatsBestRule(ev: Pick<PolicyEvaluation, 'on_time_rate' | 'mean_days_late' | 'makespan'>, best: BestRuleFigures, objective: Objective): boolean {
  if (objective === 'makespan') return ev.makespan < (best.makespan as number) - TOL;
  const on = best.on_time_rate as number;
  const late = best.mean_days_late as number;
  if (ev.on_time_rate < on - TOL || ev.mean_days_late > late + TOL) return false;
  const perfect = on >= 1 - TOL && late <= TOL;
  return perfect || ev.on_time_rate > on + TOL || ev.mean_days_late < late - TOL;
}

export function describeBestRule(best: BestRuleFigures, objective: Objective): string {
  if (objective === 'makespan') return `makespan ${(best.makespan as number).toFixed(1)} h (${best.makespan_rule})`;
  return `on time ${(100 * (best.on_time_rate as number)).toFixed(1)}% (${best.on_time_rule}), ${(best.mean_days_late as number).toFixed(2)} days late (${best.mean_days_late_rule})`;
}
