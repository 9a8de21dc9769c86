import { SchedError } from '../errors.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import type { CalendarMode } from '../env/calendar.js';
import type { GuardRecord, ScheduleExport } from '../env/schedule-export.js';
import { compareByObjective, describeObjective } from '../env/objective.js';
import { checkSchedule, type CheckResult, type ScheduleKpis } from './check.js';
import { KPI_COLUMNS, type KpiValues } from './kpi-table.js';

/**
 * The guard (`sched schedule --model M --guard`, the `guarded` row of `sched test`): of the
 * model's schedule and every rule's on the same snapshot, the best one the checker finds
 * feasible, by the snapshot's objective (src/env/objective.ts: on-time rate, then mean days
 * late, then makespan; or makespan). Ties go to the earlier candidate, the model first.
 */

export interface GuardCandidate {
  policy: string;
  schedule: ScheduleExport;
  check: CheckResult;
}

export interface GuardResult {
  objective: Snapshot['objective'];
  /** The model's candidate (always first in `candidates`). */
  model: GuardCandidate;
  chosen: GuardCandidate;
  /** The model, then the rules, in the order given. */
  candidates: GuardCandidate[];
}

/**
 * Checks the model's schedule and the rules' with the schedule checker and picks the best
 * feasible one. No feasible schedule at all is a SchedError('DATA') naming the first fault of each.
 */
export function guardSchedules(snapshot: Snapshot, model: ScheduleExport, rules: readonly ScheduleExport[], calendar: CalendarMode = 'stretch'): GuardResult {
  const candidates = [model, ...rules].map((schedule) => ({ policy: schedule.policy, schedule, check: checkSchedule(snapshot, schedule, { calendar }) }));
  let chosen: GuardCandidate | null = null;
  for (const c of candidates) {
    if (c.check.feasible && (chosen === null || compareByObjective(c.check.kpis, chosen.check.kpis, snapshot.objective) < 0)) chosen = c;
  }
  if (chosen === null) {
    throw new SchedError('DATA', `no feasible schedule of ${snapshot.name} among ${candidates.map((c) => c.policy).join(', ')}`, candidates.map((c) => `${c.policy}: ${c.check.faults[0].message}`));
  }
  return { objective: snapshot.objective, model: candidates[0], chosen, candidates };
}

/** The chosen schedule as exported: `policy` is the policy that produced it, `guard` records the comparison. */
export function guardedExport(g: GuardResult): ScheduleExport {
  const record: GuardRecord = {
    objective: describeObjective(g.objective),
    model: g.model.policy,
    candidates: g.candidates.map((c) => ({
      policy: c.policy,
      feasible: c.check.feasible,
      faults: c.check.faults.length,
      on_time_rate: c.check.kpis.on_time_rate,
      mean_days_late: c.check.kpis.mean_days_late,
      makespan: c.check.kpis.makespan,
    })),
  };
  return { ...g.chosen.schedule, guard: record };
}

/** `on time +6.7 points, mean days late -0.10` (`a` relative to `b`), or the makespan difference. */
export function kpiDelta(a: ScheduleKpis, b: ScheduleKpis, objective: Snapshot['objective']): string {
  const signed = (x: number, digits: number) => `${x >= 0 ? '+' : '-'}${Math.abs(x).toFixed(digits)}`;
  if (objective === 'makespan') return `makespan ${signed(a.makespan - b.makespan, 1)} h`;
  return `on time ${signed(100 * (a.on_time_rate - b.on_time_rate), 1)} points, mean days late ${signed(a.mean_days_late - b.mean_days_late, 2)}`;
}

/**
 * What the guard did, in sentences: which policy's schedule was chosen and why, then the model
 * against it (or, when the model won, the best rule against the model).
 */
export function guardSentences(g: GuardResult): string[] {
  const { chosen, model, objective } = g;
  const k = chosen.check.kpis;
  const shown = objective === 'makespan' ? `makespan ${k.makespan.toFixed(1)} h` : `on time ${(100 * k.on_time_rate).toFixed(1)}%, ${k.mean_days_late.toFixed(2)} mean days late`;
  const feasible = g.candidates.filter((c) => c.check.feasible).length;
  const out = [`guard: chose ${chosen.policy}'s schedule (${shown}), the best of ${feasible} feasible schedule${feasible === 1 ? '' : 's'} out of ${g.candidates.length} by ${describeObjective(objective)}.`];
  if (chosen === model) {
    const rules = g.candidates.filter((c) => c !== model && c.check.feasible);
    const best = rules.reduce<GuardCandidate | null>((b, c) => (b === null || compareByObjective(c.check.kpis, b.check.kpis, objective) < 0 ? c : b), null);
    if (best) {
      const verb = compareByObjective(k, best.check.kpis, objective) === 0 ? 'ties' : 'beats';
      out.push(`The model (${model.policy}) ${verb} the best rule, ${best.policy}: ${kpiDelta(k, best.check.kpis, objective)}.`);
    }
  } else if (!model.check.feasible) {
    const n = model.check.faults.length;
    out.push(`The model's schedule (${model.policy}) is not feasible (${n} fault${n === 1 ? '' : 's'}, first: ${model.check.faults[0].message}), so it was not considered.`);
  } else {
    out.push(`The model (${model.policy}) trails ${chosen.policy}: ${kpiDelta(model.check.kpis, k, objective)}.`);
  }
  return out;
}

/** The `guarded` row of `sched test` on one instance set: per instance, the guard's choice. */
export interface GuardedEvaluation extends KpiValues {
  policy: 'guarded';
  episodes: number;
  invalid_actions: number;
  /** Median over the instances of the candidates' summed median times plus the checks (ms). */
  schedule_ms: number;
  /** The policy chosen on each instance. */
  chosen: string[];
}

/** A policy's schedules of the instances (one each, in order) and its median time per schedule. */
interface BuiltSchedules {
  schedules: ScheduleExport[];
  schedule_ms: number;
}

/**
 * Runs the guard on each instance over the schedules already built for it (the model's and the
 * rules' `schedules[i]`). Its time to build a schedule is every candidate's (their median times,
 * summed) plus the checks of that instance.
 */
export function guardedEvaluation(instances: readonly Snapshot[], model: BuiltSchedules, rules: readonly BuiltSchedules[]): GuardedEvaluation {
  const built = rules.reduce((t, e) => t + e.schedule_ms, model.schedule_ms);
  const picks = instances.map((s, i) => {
    const t0 = performance.now();
    const g = guardSchedules(s, model.schedules[i], rules.map((e) => e.schedules[i]));
    return { g, ms: built + performance.now() - t0 };
  });
  const n = Math.max(1, picks.length);
  const kpis = {} as KpiValues;
  for (const { key } of KPI_COLUMNS) kpis[key] = picks.reduce((a, p) => a + p.g.chosen.check.kpis[key], 0) / n;
  kpis.max_days_late = picks.reduce((a, p) => Math.max(a, p.g.chosen.check.kpis.max_days_late), 0);
  const ms = picks.map((p) => p.ms).sort((a, b) => a - b);
  return {
    policy: 'guarded',
    episodes: picks.length,
    ...kpis,
    invalid_actions: picks.reduce((a, p) => a + p.g.chosen.schedule.metrics.invalid_actions, 0),
    schedule_ms: ms.length ? ms[Math.floor(ms.length / 2)] : 0,
    chosen: picks.map((p) => p.g.chosen.policy),
  };
}

/** `guarded chose ppo on 1 and edd on 2 of 3 instances`. */
export function guardedNote(e: GuardedEvaluation): string {
  const counts = new Map<string, number>();
  for (const p of e.chosen) counts.set(p, (counts.get(p) ?? 0) + 1);
  const parts = [...counts].map(([p, k]) => `${p} on ${k}`);
  return `guarded (the best feasible of ppo and the rules per instance, by on-time rate, then mean days late, then makespan; or makespan) chose ${parts.join(', ')} of ${e.episodes} instance${e.episodes === 1 ? '' : 's'}`;
}
