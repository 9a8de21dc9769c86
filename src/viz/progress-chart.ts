import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { COLORS, formatNumber, formatSteps, renderPng } from './render.js';
import { bestPoint, type Point, type StageSpan, type TagSeries } from './series.js';

export const PROGRESS_SIZE = { width: 1200, height: 600 } as const;

/** Tags the progress chart plots, if present. */
export const PROGRESS_TAGS = ['rollout/ep_rew_mean', 'eval/mean_reward', 'eval/completion_rate', 'eval/on_time_rate'] as const;

/** True when the stage has at least one of the tags the chart shows. */
export function hasProgressData(series: TagSeries | undefined): boolean {
  return !!series && PROGRESS_TAGS.some((t) => (series.get(t)?.length ?? 0) > 0);
}

/**
 * `<stage>_progress.png`: reward (left axis) and evaluation completion and on-time rates in
 * percent (right axis) over global steps. Rollout means are solid lines without markers;
 * evaluation results are markers joined by dashed lines.
 * `pct` converts the rates to percent (100 for fractions, 1 when already logged as percent).
 */
export function progressConfig(span: StageSpan, series: TagSeries, pct: number): ChartConfiguration {
  const rollout = series.get('rollout/ep_rew_mean') ?? [];
  const evalRew = series.get('eval/mean_reward') ?? [];
  const completion = scale(series.get('eval/completion_rate') ?? [], pct);
  const onTime = scale(series.get('eval/on_time_rate') ?? [], pct);
  const datasets: ChartDataset<'line', Point[]>[] = [];
  if (rollout.length) datasets.push(line('reward, rollout mean (training episodes)', rollout, COLORS.reward, 'yReward', false));
  if (evalRew.length) datasets.push(line('reward, evaluation mean', evalRew, COLORS.evalReward, 'yReward', true));
  if (completion.length) datasets.push(line('completion rate, evaluation (%)', completion, COLORS.completion, 'yRate', true));
  if (onTime.length) datasets.push(line('on-time rate, evaluation (%)', onTime, COLORS.onTime, 'yRate', true));

  const best = bestPoint(series.get('eval/on_time_rate'));
  const bestC = bestPoint(series.get('eval/completion_rate'));
  const facts = [
    `steps ${formatSteps(span.start)} – ${formatSteps(span.end)} (${formatSteps(span.end - span.start)})`,
    bestC ? `best completion ${formatNumber(bestC.y * pct)}% at ${formatSteps(bestC.x)}` : null,
    best ? `best on-time ${formatNumber(best.y * pct)}% at ${formatSteps(best.x)}` : null,
    span.advancedEarly ? 'advanced early (success threshold met)' : null,
    span.status === 'running' ? 'stage still running' : null,
  ].filter(Boolean);

  const hasReward = rollout.length + evalRew.length > 0;
  const hasRate = completion.length + onTime.length > 0;
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      normalized: true,
      layout: { padding: { left: 8, right: 16, top: 4, bottom: 4 } },
      plugins: {
        title: { display: true, text: `Stage ${span.name}: training progress`, font: { size: 18, weight: 'bold' } },
        subtitle: { display: true, text: facts.join('   ·   '), font: { size: 13 }, padding: { bottom: 8 } },
        legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8, padding: 16 } },
      },
      scales: {
        x: {
          type: 'linear',
          min: span.start,
          max: Math.max(span.end, span.start + 1),
          title: { display: true, text: 'global timestep (environment steps)' },
          ticks: { callback: (v) => formatSteps(Number(v)), maxTicksLimit: 12 },
        },
        yReward: {
          type: 'linear',
          position: 'left',
          display: hasReward,
          title: { display: true, text: 'mean episode reward (reward units)', color: COLORS.reward },
        },
        yRate: {
          type: 'linear',
          position: 'right',
          display: hasRate,
          min: 0,
          max: 100,
          title: { display: true, text: 'evaluation rate (%)' },
          grid: { drawOnChartArea: !hasReward },
          ticks: { callback: (v) => `${v}%` },
        },
      },
    },
  };
}

export async function renderProgress(span: StageSpan, series: TagSeries, pct: number): Promise<Buffer> {
  return renderPng(progressConfig(span, series, pct), PROGRESS_SIZE.width, PROGRESS_SIZE.height);
}

function line(label: string, data: Point[], color: string, yAxisID: string, evalPoints: boolean): ChartDataset<'line', Point[]> {
  return {
    label,
    data,
    yAxisID,
    borderColor: color,
    backgroundColor: color,
    borderWidth: evalPoints ? 1.5 : 2,
    borderDash: evalPoints ? [6, 4] : [],
    pointRadius: evalPoints ? (data.length > 80 ? 2.5 : 4) : 0,
    pointStyle: evalPoints ? (yAxisID === 'yRate' ? 'rectRot' : 'circle') : 'line',
    tension: 0,
    clip: 6, // markers at 100% stay whole
  };
}

function scale(points: readonly Point[], f: number): Point[] {
  return points.map((p) => ({ x: p.x, y: p.y * f }));
}
