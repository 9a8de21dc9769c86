import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { toSnapshotFile } from '../data/snapshots/load.js';
import { RANDOMIZED_EPSILON } from '../baselines/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.js';
import { bestBaseline, isBestOf, isPpo, summarizeTests, type PolicySummary } from '../viz/test-summary.js';
import type { TestResultRow } from '../viz/inputs.js';
import type { StageTest, TestRun } from './test-run.js';
import { KPI_COLUMNS, tableCells, textTable } from './kpi-table.js';

/** One row of `reports/test_results.json` and of `sched test --json` (docs/testing.md). */
export interface TestRow extends TestResultRow {
  /** Instances the metrics are averaged over (max_days_late: the maximum; schedule_ms: the median). */
  episodes: number;
  /** Masked actions outside the mask, summed over the episodes (0 for a masked policy). */
  invalid_actions: number;
}


/** The rows of a test run: per stage, per instance set, PPO's rows, then `guarded`, then the rules'. */
export function testRows(run: TestRun): TestRow[] {
  return run.stages.flatMap((st) =>
    st.results.flatMap(({ set, evaluations, guarded }) => {
      const k = evaluations.filter((e) => isPpo(e.policy)).length;
      return [...evaluations.slice(0, k), guarded, ...evaluations.slice(k)].map((e) => ({
        stage: st.stage,
        snapshot: set.label,
        policy: e.policy,
        completion_rate: e.completion_rate,
        on_time_rate: e.on_time_rate,
        mean_days_late: e.mean_days_late,
        max_days_late: e.max_days_late,
        makespan: e.makespan,
        utilization: e.utilization,
        schedule_ms: e.schedule_ms,
        episodes: e.episodes,
        invalid_actions: e.invalid_actions,
      }));
    }),
  );
}

/** Columns of the tables: the KPIs, then the time to build a schedule. */
const COLUMNS = [
  ...KPI_COLUMNS,
  { key: 'schedule_ms', head: 'ms / schedule', fmt: (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(2)), higher: false },
] as const;

/** Groups rows by stage, then by instance set, keeping their order. */
function groups(rows: TestRow[]): Map<string, Map<string, TestRow[]>> {
  const out = new Map<string, Map<string, TestRow[]>>();
  for (const r of rows) {
    if (!out.has(r.stage)) out.set(r.stage, new Map());
    const sets = out.get(r.stage)!;
    if (!sets.has(r.snapshot)) sets.set(r.snapshot, []);
    sets.get(r.snapshot)!.push(r);
  }
  return out;
}

/**
 * The closing sentence(s) of a stage: PPO against the best baseline (the best one-pass rule)
 * on on-time rate and on mean days late (metrics averaged over the stage's instance sets),
 * naming the baselines; with `--samples`, also PPO's sampling against the same baselines and
 * against the randomized rule at the same budget.
 */
export function stageVerdict(stageRows: TestRow[]): string {
  const [c] = summarizeTests(stageRows);
  const ppo = c?.policies.find((p) => p.policy === 'ppo');
  const onTime = c ? bestBaseline(c, 'on_time_rate') : null;
  const late = c ? bestBaseline(c, 'mean_days_late') : null;
  if (!ppo || !onTime || !late) return 'No baseline to compare PPO with.';
  const out = [`PPO ${against(ppo, onTime, late, 'the best baseline')}.`];
  const sampled = c.policies.find((p) => p.policy !== 'ppo' && isPpo(p.policy) && isBestOf(p.policy));
  if (sampled) {
    const n = sampled.policy.slice(sampled.policy.lastIndexOf('_best') + 5);
    out.push(`With sampling (${sampled.policy}, best of ${n} + the deterministic run), PPO ${against(sampled, onTime, late, 'the best baseline')}.`);
    const noisy = c.policies.find((p) => !isPpo(p.policy) && isBestOf(p.policy));
    if (noisy) out.push(`At the same budget, ${sampled.policy} ${against(sampled, noisy, noisy, 'the randomized rule')}.`);
  }
  return out.join(' ');
}

/** How `p` compares with `onTime` on on-time rate and with `late` on mean days late, in words. */
function against(p: PolicySummary, onTime: PolicySummary, late: PolicySummary, what: string): string {
  const d = p.values.on_time_rate - onTime.values.on_time_rate;
  const l = late.values.mean_days_late - p.values.mean_days_late;
  const onTimePart =
    Math.abs(d) < 0.05
      ? `matches ${what} on on-time rate (${onTime.policy}, ${onTime.values.on_time_rate.toFixed(1)}%)`
      : `${d > 0 ? 'beats' : 'trails'} ${what} on on-time rate (${onTime.policy}, ${onTime.values.on_time_rate.toFixed(1)}%) by ${Math.abs(d).toFixed(1)} points`;
  const latePart =
    Math.abs(l) < 0.005
      ? `is as late on average as ${what} on mean days late (${late.policy}, ${late.values.mean_days_late.toFixed(2)} days)`
      : `is ${Math.abs(l).toFixed(2)} days ${l > 0 ? 'less' : 'more'} late on average than ${what} on mean days late (${late.policy}, ${late.values.mean_days_late.toFixed(2)} days)`;
  return `${onTimePart} and ${latePart}`;
}

/** Plain-text tables for the terminal: `*` marks the best value per column. */
export function formatTestTables(run: TestRun, rows: TestRow[]): string {
  const lines: string[] = [];
  for (const [stage, sets] of groups(rows)) {
    const st = run.stages.find((s) => s.stage === stage)!;
    for (const [label, rs] of sets) {
      const set = st.results.find((x) => x.set.label === label)!.set;
      const on = set.heldOut ? `${rs[0].episodes} held-out instance${rs[0].episodes === 1 ? '' : 's'} (${label})` : label;
      lines.push(`stage ${stage}, model ${relative(run.layout.root, st.modelDir) || st.modelDir}, on ${on}:`);
      lines.push(...textTable(rs, COLUMNS));
    }
    lines.push(stageVerdict([...sets.values()].flat()), ...st.notes.map((n) => `note: ${n}`), '');
  }
  lines.push('* = best value in the column. Rates are means over the instances, max days late the maximum, ms / schedule the median.');
  return lines.join('\n');
}

/** `reports/test_report.md`: the same tables in markdown, best values in bold. */
export function markdownTestReport(run: TestRun, rows: TestRow[], generatedAt = new Date()): string {
  const out = ['# Test results', '', `Run \`${run.layout.root}\`, curriculum \`${run.config.source}\`, ${generatedAt.toISOString()}.`, ''];
  out.push(
    'PPO is the stage\'s best model run deterministically with action masks; the baselines are dispatching rules on the same instances. ' +
      'Rates are means over the instances, max days late the maximum, ms / schedule the median time to build one schedule. The best value per column is in bold.',
    '',
  );
  const bestOf = rows.find((r) => isBestOf(r.policy));
  if (bestOf) {
    out.push(
      `Best-of-N rows (\`sched test --samples N\`): \`ppo_bestN\` keeps, per instance, the best by the instance's objective of N rollouts sampled from the policy and the deterministic one; ` +
        `\`<rule>_bestN\` does the same for the best plain rule of the instance set, randomized (a random conflict-set candidate at ${100 * RANDOMIZED_EPSILON}% of decisions) N times plus its plain run. ` +
        'Their ms / schedule is the time of all N + 1 runs.',
      '',
    );
  }
  for (const [stage, sets] of groups(rows)) {
    const st = run.stages.find((s) => s.stage === stage)!;
    out.push(`## ${stage}`, '', `Model: \`${relative(run.layout.root, st.modelDir) || st.modelDir}\`.`, '');
    for (const [label, rs] of sets) {
      const set = st.results.find((x) => x.set.label === label)!.set;
      out.push(`### ${set.heldOut ? `${rs[0].episodes} held-out instances (${label})` : label}`, '', `| policy | ${COLUMNS.map((c) => c.head).join(' | ')} |`, `| --- |${COLUMNS.map(() => ' ---: |').join('')}`);
      for (const t of tableCells(rs, COLUMNS)) out.push(`| ${t.policy} | ${t.cells.map((c, j) => (t.best[j] ? `**${c}**` : c)).join(' | ')} |`);
      out.push('');
    }
    out.push(stageVerdict([...sets.values()].flat()), '');
    for (const n of st.notes) out.push(`Note: ${n}`, '');
  }
  return out.join('\n');
}

/**
 * Writes `reports/test_results.json`, `reports/test_report.md` and, per stage, the schedules of
 * PPO (and of its sampling) and of the best baseline (on-time rate) on the first instance into
 * `schedules/test_<stage>_<policy>.json` (earlier `test_<stage>_*` exports are replaced). A
 * generated instance is also written to `snapshots/<name>.json` (unless present) so that
 * `sched visualize` can shade its breaks. Returns the paths written.
 */
export function writeTestOutputs(run: TestRun, rows: TestRow[]): string[] {
  const { layout } = run;
  const written: string[] = [];
  const results = layout.testResults;
  // rows of stages not tested now are kept, so `sched test --stage a` then `--stage b` hold both
  const kept = previousRows(results).filter((r) => !run.stages.some((st) => st.stage === r.stage));
  writeJsonAtomic(results, [...kept, ...rows]);
  const report = layout.testReport;
  writeFileAtomic(report, markdownTestReport(run, rows));
  written.push(results, report);
  for (const st of run.stages) written.push(...writeStageSchedules(run, st, rows.filter((r) => r.stage === st.stage)));
  return written;
}

function previousRows(path: string): TestRow[] {
  if (!existsSync(path)) return [];
  try {
    const rows = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return Array.isArray(rows) ? (rows as TestRow[]).filter((r) => r && typeof r.stage === 'string') : [];
  } catch {
    return []; // an unreadable earlier file is replaced (it is a generated output)
  }
}

function writeStageSchedules(run: TestRun, st: StageTest, rows: TestRow[]): string[] {
  const first = st.results[0];
  if (!first) return [];
  const [c] = summarizeTests(rows.filter((r) => r.snapshot === first.set.label));
  const best = c ? bestBaseline(c, 'on_time_rate') : null;
  const dir = run.layout.schedules;
  mkdirSync(dir, { recursive: true });
  const prefix = `test_${safe(st.stage)}_`;
  for (const f of readdirSync(dir)) if (f.startsWith(prefix) && f.endsWith('.json')) rmSync(join(dir, f), { force: true });
  const written: string[] = [];
  const sampled = first.evaluations.filter((e) => e.policy !== 'ppo' && isPpo(e.policy)).map((e) => e.policy);
  for (const policy of ['ppo', ...sampled, ...(best ? [best.policy] : [])]) {
    const ev = first.evaluations.find((e) => e.policy === policy);
    if (!ev || ev.schedules.length === 0) continue;
    const path = join(dir, `${prefix}${safe(policy)}.json`);
    writeJsonAtomic(path, ev.schedules[0]);
    written.push(path);
  }
  const instance = first.set.instances[0];
  if (first.set.heldOut) {
    const path = join(run.layout.root, 'snapshots', `${safe(instance.name)}.json`);
    if (!existsSync(path)) {
      writeJsonAtomic(path, toSnapshotFile(instance));
      written.push(path);
    }
  }
  return written;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}
