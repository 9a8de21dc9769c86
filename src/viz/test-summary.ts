import type { TestResultRow } from './inputs.js';

/** The metrics a comparison shows, with their direction and unit. */
export const METRICS = [
  { key: 'on_time_rate', label: 'on-time rate', unit: '%', higherIsBetter: true, rate: true },
  { key: 'completion_rate', label: 'completion rate', unit: '%', higherIsBetter: true, rate: true },
  { key: 'mean_days_late', label: 'mean days late', unit: 'days', higherIsBetter: false, rate: false },
  { key: 'max_days_late', label: 'max days late', unit: 'days', higherIsBetter: false, rate: false },
  { key: 'makespan', label: 'makespan', unit: 'h', higherIsBetter: false, rate: false },
  { key: 'utilization', label: 'utilization', unit: '%', higherIsBetter: true, rate: true },
  { key: 'schedule_ms', label: 'time per schedule', unit: 'ms', higherIsBetter: false, rate: false },
] as const;

export type MetricKey = (typeof METRICS)[number]['key'];

/** One policy's metrics on one stage, averaged over that stage's test snapshots. */
export interface PolicySummary {
  policy: string;
  values: Record<MetricKey, number>;
}

export interface StageComparison {
  stage: string;
  snapshots: string[];
  /** Test instances behind the rows: per snapshot label its rows' `episodes` (1 when absent), summed. */
  instances: number;
  /** `ppo` first, then `guarded`, then the baselines in the usual order. */
  policies: PolicySummary[];
  /** Rates are percentages (converted from fractions when the file holds 0..1). */
  ratesInPercent: true;
}

const BASELINE_ORDER = ['greedy', 'edd', 'atc', 'cr', 'mwkr', 'mopnr', 'spt', 'lpt', 'fifo', 'random'];

/** The row name of a best-of-N policy (`sched test --samples N`): `ppo_best16`, `atc_best16`. */
export function bestOfName(policy: string, samples: number): string {
  return `${policy}_best${samples}`;
}

/** A best-of-N row: the policy's sampling or a randomized rule, not a one-pass policy. */
export function isBestOf(policy: string): boolean {
  return /_best\d+$/.test(policy);
}

/** Rows of the trained policy: `ppo` and its sampling (`ppo_best16`). */
export function isPpo(policy: string): boolean {
  return policy === 'ppo' || policy.startsWith('ppo_');
}

function policyRank(p: string): number {
  if (p === 'ppo') return -2;
  if (isPpo(p)) return -1;
  if (p === 'guarded') return -0.5;
  const i = BASELINE_ORDER.indexOf(p);
  return i < 0 ? BASELINE_ORDER.length : i;
}

/**
 * Groups test rows per stage (in `stageOrder` first, then as they appear) and averages each
 * policy's metrics over the stage's snapshots.
 */
export function summarizeTests(rows: readonly TestResultRow[], stageOrder: readonly string[] = []): StageComparison[] {
  const rateIsFraction = !rows.some((r) => r.on_time_rate > 1.0001 || r.completion_rate > 1.0001 || r.utilization > 1.0001);
  const byStage = new Map<string, TestResultRow[]>();
  for (const r of rows) {
    let list = byStage.get(r.stage);
    if (!list) byStage.set(r.stage, (list = []));
    list.push(r);
  }
  const order = [...stageOrder.filter((s) => byStage.has(s)), ...[...byStage.keys()].filter((s) => !stageOrder.includes(s))];
  return order.map((stage) => {
    const list = byStage.get(stage)!;
    const byPolicy = new Map<string, TestResultRow[]>();
    for (const r of list) {
      let l = byPolicy.get(r.policy);
      if (!l) byPolicy.set(r.policy, (l = []));
      l.push(r);
    }
    const policies: PolicySummary[] = [...byPolicy].map(([policy, rs]) => {
      const values = {} as Record<MetricKey, number>;
      for (const m of METRICS) {
        const mean = rs.reduce((s, r) => s + r[m.key], 0) / rs.length;
        values[m.key] = m.rate && rateIsFraction ? mean * 100 : mean;
      }
      return { policy, values };
    });
    policies.sort((a, b) => policyRank(a.policy) - policyRank(b.policy) || a.policy.localeCompare(b.policy));
    const snapshots = [...new Set(list.map((r) => r.snapshot))];
    const episodes = (r: TestResultRow) => {
      const e = (r as { episodes?: unknown }).episodes;
      return typeof e === 'number' && Number.isInteger(e) && e > 0 ? e : 1;
    };
    const instances = snapshots.reduce((n, s) => n + Math.max(...list.filter((r) => r.snapshot === s).map(episodes)), 0);
    return { stage, snapshots, instances, policies, ratesInPercent: true as const };
  });
}

/** The best value of a metric among the policies (by the metric's direction). */
export function bestValue(c: StageComparison, key: MetricKey): number {
  const m = METRICS.find((x) => x.key === key)!;
  const vs = c.policies.map((p) => p.values[key]);
  return m.higherIsBetter ? Math.max(...vs) : Math.min(...vs);
}

/**
 * The best baseline for a metric, or null when there is none: the best one-pass rule (PPO's
 * rows, best-of-N rows and the guarded pick are not baselines).
 */
export function bestBaseline(c: StageComparison, key: MetricKey): PolicySummary | null {
  const m = METRICS.find((x) => x.key === key)!;
  let best: PolicySummary | null = null;
  for (const p of c.policies) {
    if (isPpo(p.policy) || isBestOf(p.policy) || p.policy === 'guarded') continue;
    if (!best || (m.higherIsBetter ? p.values[key] > best.values[key] : p.values[key] < best.values[key])) best = p;
  }
  return best;
}

/**
 * One sentence comparing PPO with the best baseline on the on-time rate and mean days late,
 * e.g. `PPO beats the best baseline (edd) by 7.5 points on-time and 3.2 days less late`.
 */
export function ppoVerdict(c: StageComparison): string | null {
  const ppo = c.policies.find((p) => p.policy === 'ppo');
  const onTime = bestBaseline(c, 'on_time_rate');
  const late = bestBaseline(c, 'mean_days_late');
  if (!ppo || !onTime || !late) return null;
  const d = ppo.values.on_time_rate - onTime.values.on_time_rate;
  const l = late.values.mean_days_late - ppo.values.mean_days_late;
  const onTimePart = `${d >= 0 ? 'beats' : 'trails'} the best baseline on on-time rate (${onTime.policy}, ${onTime.values.on_time_rate.toFixed(1)}%) by ${Math.abs(d).toFixed(1)} points`;
  const latePart = `is ${Math.abs(l).toFixed(2)} days ${l >= 0 ? 'less' : 'more'} late on average than the best baseline on lateness (${late.policy})`;
  return `PPO ${onTimePart} and ${latePart}.`;
}
