import type { ChartConfiguration, Plugin } from 'chart.js';
import { COLORS, FONT_FAMILY, composePanels, formatNumber, renderPng } from './render.js';
import { bestValue, isPpo, ppoVerdict, type MetricKey, type StageComparison } from './test-summary.js';

const PANEL = { width: 600, height: 380 } as const;

/** The four panels: each metric on its own axis, with its unit. */
const PANELS: { key: MetricKey | 'makespan_rel'; title: string; axis: string; higherIsBetter: boolean }[] = [
  { key: 'on_time_rate', title: 'On-time rate (higher is better)', axis: 'jobs on time (%)', higherIsBetter: true },
  { key: 'completion_rate', title: 'Completion rate (higher is better)', axis: 'tasks scheduled (%)', higherIsBetter: true },
  { key: 'mean_days_late', title: 'Mean days late (lower is better)', axis: 'days late per job (days)', higherIsBetter: false },
  { key: 'makespan_rel', title: 'Makespan relative to the best (lower is better)', axis: 'makespan ÷ best makespan (×)', higherIsBetter: false },
];

/** Value labels above each bar; the best bar's label is green and bold. */
function barLabels(best: number, fmt: (v: number) => string): Plugin<'bar'> {
  return {
    id: 'barLabels',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const meta = chart.getDatasetMeta(0);
      const data = chart.data.datasets[0].data as number[];
      ctx.save();
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      meta.data.forEach((bar, i) => {
        const v = data[i];
        const isBest = Math.abs(v - best) <= 1e-9 * Math.max(1, Math.abs(best));
        ctx.font = `${isBest ? 'bold ' : ''}${data.length > 8 ? 11 : 12}px ${FONT_FAMILY}`;
        ctx.fillStyle = isBest ? '#1b7a1b' : '#333333';
        const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
        ctx.fillText(fmt(v), x, y - 3);
      });
      ctx.restore();
    },
  };
}

function panelConfig(c: StageComparison, panel: (typeof PANELS)[number]): ChartConfiguration<'bar'> {
  const minMakespan = Math.min(...c.policies.map((p) => p.values.makespan).filter((v) => v > 0));
  const values = c.policies.map((p) =>
    panel.key === 'makespan_rel' ? (minMakespan > 0 && Number.isFinite(minMakespan) ? p.values.makespan / minMakespan : 0) : p.values[panel.key],
  );
  const best = panel.key === 'makespan_rel' ? Math.min(...values) : bestValue(c, panel.key);
  const isRate = panel.key === 'on_time_rate' || panel.key === 'completion_rate';
  const fmt = isRate ? (v: number) => `${v.toFixed(v >= 99.95 ? 0 : 1)}%` : panel.key === 'makespan_rel' ? (v: number) => `${v.toFixed(2)}×` : formatNumber;
  const top = Math.max(...values, 0);
  return {
    type: 'bar',
    data: {
      labels: c.policies.map((p) => (p.policy === 'ppo' ? 'PPO' : p.policy)),
      datasets: [
        {
          label: panel.title,
          data: values,
          backgroundColor: c.policies.map((p) => (isPpo(p.policy) ? COLORS.ppo : COLORS.baseline)),
          borderWidth: 0,
        },
      ],
    },
    plugins: [barLabels(best, fmt)],
    options: {
      layout: { padding: { left: 8, right: 16, top: 4, bottom: 4 } },
      plugins: {
        title: { display: true, text: panel.title, font: { size: 15, weight: 'bold' }, padding: { top: 6, bottom: 22 } },
        legend: { display: false },
      },
      scales: {
        x: { title: { display: true, text: 'policy (blue: PPO, grey: dispatching-rule baselines)' }, grid: { display: false } },
        y: {
          beginAtZero: true,
          ...(isRate ? { max: 100 } : { suggestedMax: top * 1.15 || 1 }),
          title: { display: true, text: panel.axis },
          ...(isRate ? { ticks: { callback: (v: number | string) => `${v}%` } } : {}),
        },
      },
    },
  };
}

/** `ppo_vs_baselines.png`: four panels (on-time, completion, days late, makespan) per policy. */
export async function renderBaselines(c: StageComparison): Promise<Buffer> {
  const panels = await Promise.all(PANELS.map((p) => renderPng(panelConfig(c, p) as ChartConfiguration, PANEL.width, PANEL.height)));
  const n = c.instances;
  const verdict = ppoVerdict(c);
  const sub = [`stage ${c.stage}, mean over ${n} held-out instance${n === 1 ? '' : 's'}; value labels: best in bold green`];
  if (verdict) sub.push(verdict);
  return composePanels(panels, 2, `PPO vs dispatching-rule baselines: ${c.stage}`, sub);
}
