import type { ScheduleExport } from '../env/schedule-export.js';
import type { GanttInfo } from './gantt.js';
import { formatNumber, formatSteps } from './render.js';
import { bestPoint, type StageSpan, type TagSeries } from './series.js';
import { METRICS, bestValue, ppoVerdict, type StageComparison } from './test-summary.js';

/** Everything `training_report.md` shows; chart fields hold file names relative to the report. */
export interface ReportModel {
  runDir: string;
  generatedAt: Date;
  spans: StageSpan[];
  series: Map<string, TagSeries>;
  /** Factor from the logged rates to percent (100 for fractions). */
  pct: number;
  overview: string | null;
  progress: Map<string, string>;
  comparisons: { comparison: StageComparison; chart: string }[];
  gantts: { chart: string; source: string; schedule: ScheduleExport; info: GanttInfo }[];
  /** Inputs that were absent, run-relative, with what could not be drawn because of them. */
  missing: string[];
  warnings: string[];
}

/** Best evaluation figures of a stage: the training state's `bestEval`, else the scalars' best. */
function stageFigures(span: StageSpan, tags: TagSeries | undefined, pct: number): { values: Record<string, string>; source: string } {
  const values: Record<string, string> = {};
  const asPct = (v: number) => `${(v <= 1.0001 ? v * 100 : v).toFixed(1)}%`;
  const days = (v: number) => v.toFixed(2);
  const hours = (v: number) => v.toFixed(1);
  if (span.bestEval && Object.keys(span.bestEval).length > 0) {
    const b = span.bestEval;
    if (b.completion_rate !== undefined) values.completion = asPct(b.completion_rate);
    if (b.on_time_rate !== undefined) values.onTime = asPct(b.on_time_rate);
    if (b.mean_days_late !== undefined) values.late = days(b.mean_days_late);
    if (b.makespan !== undefined) values.makespan = hours(b.makespan);
    if (b.mean_reward !== undefined) values.reward = formatNumber(b.mean_reward);
    return { values, source: 'state' };
  }
  const best = (tag: string, low = false) => bestPoint(tags?.get(tag), low);
  const c = best('eval/completion_rate');
  const o = best('eval/on_time_rate');
  const l = best('eval/mean_days_late', true);
  const m = best('eval/makespan', true);
  const r = best('eval/mean_reward');
  if (c) values.completion = `${(c.y * pct).toFixed(1)}%`;
  if (o) values.onTime = `${(o.y * pct).toFixed(1)}%`;
  if (l) values.late = days(l.y);
  if (m) values.makespan = hours(m.y);
  if (r) values.reward = formatNumber(r.y);
  return { values, source: 'scalars' };
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function stagesSection(m: ReportModel): string[] {
  const out: string[] = ['## Stages', ''];
  if (m.spans.length === 0) return [...out, 'No stage has logged scalars yet.', ''];
  const rows = m.spans.map((s) => {
    const f = stageFigures(s, m.series.get(s.name), m.pct);
    const v = f.values;
    return [
      s.name,
      s.status,
      `${formatSteps(s.start)} – ${formatSteps(s.end)}`,
      formatSteps(s.end - s.start),
      v.completion ?? '–',
      v.onTime ?? '–',
      v.late ?? '–',
      v.makespan ?? '–',
      v.reward ?? '–',
      s.advancedEarly ? 'yes' : s.source === 'state' ? 'no' : '?',
    ];
  });
  out.push(
    ...table(
      ['stage', 'status', 'global steps', 'steps trained', 'best completion', 'best on-time', 'best mean days late', 'best makespan (h)', 'best eval reward', 'advanced early'],
      rows,
    ),
  );
  const fromState = m.spans.some((s) => s.bestEval && Object.keys(s.bestEval).length > 0);
  out.push(
    '',
    fromState
      ? 'Best figures come from `checkpoints/training_state.json` (the evaluation that saved each stage\'s best model).'
      : 'Best figures are the best evaluation values in `logs/scalars.jsonl` (each metric\'s own best, possibly at different steps).',
    '',
  );
  if (m.overview) out.push('### Curriculum overview', '', `![Curriculum overview](${m.overview})`, '');
  for (const s of m.spans) {
    const file = m.progress.get(s.name);
    if (file) out.push(`### ${s.name}`, '', `![${s.name} training progress](${file})`, '');
  }
  return out;
}

function comparisonSection(m: ReportModel): string[] {
  if (m.comparisons.length === 0) return [];
  const out: string[] = ['## PPO vs baselines', ''];
  for (const { comparison: c, chart } of m.comparisons) {
    out.push(`### ${c.stage}`, '', `![PPO vs baselines on ${c.stage}](${chart})`, '');
    const n = c.instances;
    out.push(`Mean over ${n} held-out instance${n === 1 ? '' : 's'} (${c.snapshots.join(', ')}); the best value per column is in bold.`, '');
    const header = ['policy', ...METRICS.map((x) => `${x.label} (${x.unit})`)];
    const rows = c.policies.map((p) => [
      p.policy === 'ppo' ? '**PPO**' : p.policy,
      ...METRICS.map((x) => {
        const v = p.values[x.key];
        const text = x.unit === 'days' ? v.toFixed(2) : x.unit === 'ms' ? formatNumber(v) : v.toFixed(1);
        return v === bestValue(c, x.key) ? `**${text}**` : text;
      }),
    ]);
    out.push(...table(header, rows), '');
    const verdict = ppoVerdict(c);
    if (verdict) out.push(verdict, '');
  }
  return out;
}

function ganttSection(m: ReportModel): string[] {
  if (m.gantts.length === 0) return [];
  const out: string[] = ['## Schedules', ''];
  for (const g of m.gantts) {
    const s = g.schedule;
    out.push(`### ${s.snapshot} (${s.policy === 'ppo' ? 'PPO' : s.policy})`, '', `![Gantt chart of ${s.snapshot} by ${s.policy}](${g.chart})`, '');
    const facts = [
      `source \`${g.source}\``,
      `makespan ${formatNumber(s.metrics.makespan)} h`,
      `${g.info.jobs} jobs on ${g.info.machinesTotal} machines with work`,
      g.info.lateJobs !== null ? `${g.info.lateJobs} late` : null,
      ...g.info.notes,
    ].filter(Boolean);
    out.push(facts.join('; ') + '.', '');
  }
  return out;
}

const MISSING_MEANS: Record<string, string> = {
  'logs/scalars.jsonl': 'no progress charts and no curriculum overview',
  'checkpoints/training_state.json': 'stage boundaries derived from the scalars; no stage status or early-advance flags',
  'reports/test_results.json': 'no PPO-vs-baselines chart (run `sched test --json` to produce it)',
  'schedules/*.json': 'no Gantt chart (export a schedule with `sched schedule --out <run>/schedules/<name>.json`)',
};

/** The markdown report: key figures, every chart rendered, and what was missing. */
export function buildReport(m: ReportModel): string {
  const done = m.spans.filter((s) => s.status === 'done').length;
  const lastStep = m.spans.reduce((x, s) => Math.max(x, s.end), 0);
  const charts = (m.overview ? 1 : 0) + m.progress.size + m.comparisons.length + m.gantts.length;
  const lines: string[] = [
    '# Training report',
    '',
    `Run folder: \`${m.runDir}\`. Generated ${m.generatedAt.toISOString()} by \`sched visualize\`.`,
    '',
    `${m.spans.length} stage${m.spans.length === 1 ? '' : 's'} with data` +
      (m.spans[0]?.source === 'state' ? ` (${done} done)` : '') +
      `, ${formatSteps(lastStep)} global steps; ${charts} chart${charts === 1 ? '' : 's'}.`,
    '',
    ...stagesSection(m),
    ...comparisonSection(m),
    ...ganttSection(m),
  ];
  if (m.missing.length > 0 || m.warnings.length > 0) {
    lines.push('## Missing inputs and problems', '');
    for (const f of m.missing) lines.push(`- \`${f}\` not found: ${MISSING_MEANS[f.replace(/\\/g, '/')] ?? 'skipped'}.`);
    for (const w of m.warnings) lines.push(`- ${w}`);
    lines.push('');
  }
  return lines.join('\n');
}
