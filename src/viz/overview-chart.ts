import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { COLORS, formatNumber, formatSteps, renderPng, verticalMarkers, xBands } from './render.js';
import type { StageSpan, TagSeries } from './series.js';

export const OVERVIEW_SIZE = { width: 1400, height: 650 } as const;

type Nullable = { x: number; y: number | null };

/**
 * `curriculum_overview.png`: every stage on one global-step axis; evaluation on-time and
 * completion rates (right axis, %) and the rollout reward (left axis); stage boundaries as
 * dashed vertical lines labelled with the stage name, stages on alternating bands. Lines break
 * at stage boundaries (each stage's reward scale is its own).
 */
export function overviewConfig(spans: StageSpan[], series: Map<string, TagSeries>, pct: number): ChartConfiguration {
  const joined = (tag: string, f: number): Nullable[] => {
    const out: Nullable[] = [];
    for (const s of spans) {
      const pts = series.get(s.name)?.get(tag) ?? [];
      if (pts.length === 0) continue;
      if (out.length > 0) out.push({ x: s.start, y: null }); // gap between stages
      for (const p of pts) out.push({ x: p.x, y: p.y * f });
    }
    return out;
  };
  const reward = joined('rollout/ep_rew_mean', 1);
  const completion = joined('eval/completion_rate', pct);
  const onTime = joined('eval/on_time_rate', pct);
  const datasets: ChartDataset<'line', Nullable[]>[] = [];
  if (onTime.length) datasets.push(series_('on-time rate, evaluation (%)', onTime, COLORS.onTime, 'yRate', 2.5));
  if (completion.length) datasets.push(series_('completion rate, evaluation (%)', completion, COLORS.completion, 'yRate', 2));
  if (reward.length) datasets.push(series_('reward, rollout mean (left axis)', reward, 'rgba(31, 119, 180, 0.55)', 'yReward', 1.25));

  const first = spans[0]?.start ?? 0;
  const last = spans.reduce((m, s) => Math.max(m, s.end), first + 1);
  const markers = spans.map((s) => ({
    x: s.start,
    label: s.name + (s.advancedEarly ? ' (advanced early)' : '') + (s.status === 'running' ? ' (running)' : ''),
  }));
  const bands = spans.map((s, i) => ({ from: s.start, to: s.end, color: i % 2 === 0 ? 'rgba(0,0,0,0)' : 'rgba(0, 0, 0, 0.035)' }));
  const done = spans.filter((s) => s.status === 'done').length;
  const sub = `${spans.length} stage${spans.length === 1 ? '' : 's'}${spans[0]?.source === 'state' ? `, ${done} done` : ''}, ${formatSteps(last - first)} steps` +
    (spans[0]?.source === 'scalars' ? '   ·   boundaries derived from the logged scalars (no training_state.json)' : '');
  return {
    type: 'line',
    data: { datasets },
    plugins: [xBands(bands), verticalMarkers(markers)],
    options: {
      parsing: false,
      normalized: true,
      layout: { padding: { left: 8, right: 16, top: 4, bottom: 4 } },
      plugins: {
        title: { display: true, text: 'Curriculum overview: all stages', font: { size: 18, weight: 'bold' } },
        subtitle: { display: true, text: sub, padding: { bottom: 8 } },
        legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8, padding: 16 } },
      },
      scales: {
        x: {
          type: 'linear',
          min: first,
          max: last,
          title: { display: true, text: 'global timestep (environment steps, continuous across stages)' },
          ticks: { callback: (v) => formatSteps(Number(v)), maxTicksLimit: 14 },
        },
        yReward: {
          type: 'linear',
          position: 'left',
          display: reward.length > 0,
          title: { display: true, text: 'mean episode reward (reward units)', color: COLORS.reward },
          grid: { drawOnChartArea: completion.length + onTime.length === 0 },
        },
        yRate: {
          type: 'linear',
          position: 'right',
          display: completion.length + onTime.length > 0,
          min: 0,
          max: 100,
          title: { display: true, text: 'evaluation rate (%)' },
          ticks: { callback: (v) => `${v}%` },
        },
      },
    },
  };
}

export async function renderOverview(spans: StageSpan[], series: Map<string, TagSeries>, pct: number): Promise<Buffer> {
  return renderPng(overviewConfig(spans, series, pct), OVERVIEW_SIZE.width, OVERVIEW_SIZE.height);
}

function series_(label: string, data: Nullable[], color: string, yAxisID: string, width: number): ChartDataset<'line', Nullable[]> {
  const isEval = yAxisID === 'yRate';
  return {
    label,
    data,
    yAxisID,
    borderColor: color,
    backgroundColor: color,
    borderWidth: width,
    pointRadius: isEval && data.length < 200 ? 2.5 : 0,
    pointStyle: isEval ? 'circle' : 'line',
    tension: 0,
    spanGaps: false,
    clip: 6,
  };
}
