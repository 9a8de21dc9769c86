import type { Chart, ChartConfiguration, LegendItem, Plugin } from 'chart.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import type { ScheduleExport } from '../env/schedule-export.js';
import { writeFileAtomic } from '../io/atomic.js';
import { machineCalendar, offSpans, type OffSpan } from './calendar-spans.js';
import { COLORS, FONT_FAMILY, PALETTE, formatNumber, renderPng } from './render.js';

export interface GanttOptions {
  /** Chart title; default `Schedule <snapshot>: <policy>`. */
  title?: string;
  /** Most machine rows drawn; the busiest are kept, with a note (default 40). */
  maxMachines?: number;
  /** Image width in pixels (default 1400); the height follows the number of rows. */
  width?: number;
}

/** What was drawn, for the caller's report. */
export interface GanttInfo {
  width: number;
  height: number;
  machinesShown: number;
  machinesTotal: number;
  jobs: number;
  lateJobs: number | null;
  notes: string[];
}

type Bar = { x: [number, number]; y: string; job: string };

/** Natural order: M2 before M10. */
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** A stable colour per job: its rank among the schedule's job ids (natural order) in the palette. */
export function jobColors(jobIds: Iterable<string>): Map<string, string> {
  const ids = [...new Set(jobIds)].sort(natural);
  return new Map(ids.map((id, i) => [id, PALETTE[i % PALETTE.length]]));
}

/** Jobs that finish after their due time: from the export's per-job data, else the snapshot. */
function lateJobsOf(s: ScheduleExport, snapshot: Snapshot | undefined): Set<string> | null {
  if (s.jobs) return new Set(s.jobs.filter((j) => j.days_late > 0).map((j) => j.id));
  if (!snapshot) return null;
  const done = new Map<string, number>();
  for (const a of s.assignments) done.set(a.job, Math.max(done.get(a.job) ?? 0, a.end));
  const late = new Set<string>();
  for (const j of snapshot.jobs) {
    const c = done.get(j.id);
    if (j.due !== null && c !== undefined && c > j.due + 1e-9) late.add(j.id);
  }
  return late;
}

function niceStep(raw: number, steps: number[]): number {
  for (const s of steps) if (s >= raw) return s;
  return steps[steps.length - 1] * Math.ceil(raw / steps[steps.length - 1]);
}

/** Builds the chart.js configuration and the picture's size. */
export function ganttConfig(s: ScheduleExport, snapshot: Snapshot | undefined, opts: GanttOptions = {}): { config: ChartConfiguration; info: GanttInfo } {
  const maxMachines = opts.maxMachines ?? 40;
  const width = opts.width ?? 1400;
  const notes: string[] = [];

  const busy = new Map<string, number>();
  for (const m of snapshot?.machines ?? []) busy.set(m.id, 0);
  for (const a of s.assignments) for (const m of a.machines) busy.set(m, (busy.get(m) ?? 0) + (a.end - a.start));
  let rows = [...busy.keys()];
  const total = rows.length;
  if (rows.length > maxMachines) {
    rows = [...busy].sort((a, b) => b[1] - a[1] || natural(a[0], b[0])).slice(0, maxMachines).map(([id]) => id);
    notes.push(`showing the ${maxMachines} busiest of ${total} machines`);
  }
  rows.sort(natural);
  const shown = new Set(rows);

  const late = lateJobsOf(s, snapshot);
  if (!late) notes.push('late jobs not marked (no per-job data and no snapshot)');
  const colors = jobColors(s.assignments.map((a) => a.job));
  const onTimeBars: Bar[] = [];
  const lateBars: Bar[] = [];
  for (const a of s.assignments) {
    for (const m of a.machines) {
      if (!shown.has(m)) continue;
      (late?.has(a.job) ? lateBars : onTimeBars).push({ x: [a.start, a.end], y: m, job: a.job });
    }
  }

  const horizon = Math.max(1, ...s.assignments.map((a) => a.end));
  const inDays = horizon > 72;
  const step = inDays ? 24 * niceStep(horizon / 24 / 14, [1, 2, 3, 5, 7, 14, 28]) : niceStep(horizon / 16, [0.5, 1, 2, 3, 4, 6, 8, 12, 24]);
  const xMax = Math.ceil(horizon / step) * step;
  const startMs = snapshot?.start ? Date.parse(snapshot.start) : NaN;
  const tick = (v: number): string | string[] => {
    if (!inDays) return formatNumber(v);
    const day = `day ${formatNumber(v / 24)}`;
    if (!Number.isFinite(startMs)) return day;
    const d = new Date(startMs + v * 3_600_000);
    return [day, d.toLocaleDateString('en-GB', { weekday: 'short', day: '2-digit', month: 'short', timeZone: 'UTC' })];
  };

  // breaks and holidays per row, from each machine's calendar
  const shading = new Map<string, OffSpan[]>();
  if (snapshot) {
    for (const id of rows) {
      const cal = machineCalendar(snapshot, id);
      if (cal) shading.set(id, offSpans(cal, snapshot.startWeekday, snapshot.startHourOfDay, xMax));
    }
  } else {
    notes.push('breaks not shaded (no snapshot given)');
  }
  const hasBreaks = [...shading.values()].some((l) => l.some((o) => o.kind === 'break'));
  const hasHolidays = [...shading.values()].some((l) => l.some((o) => o.kind === 'holiday'));

  const jobs = colors.size;
  const legendItems: LegendItem[] = [];
  if (jobs <= 12) for (const [id, c] of colors) legendItems.push({ text: `job ${id}`, fillStyle: c, strokeStyle: c, lineWidth: 0, hidden: false });
  if (late) legendItems.push({ text: `late job (red outline, hatched): ${late.size}`, fillStyle: '#f3f3f3', strokeStyle: COLORS.late, lineWidth: 2.5, hidden: false });
  if (hasBreaks) legendItems.push({ text: 'break (no work)', fillStyle: COLORS.break, strokeStyle: 'rgba(0,0,0,0)', lineWidth: 0, hidden: false });
  if (hasHolidays) legendItems.push({ text: 'holiday', fillStyle: COLORS.holiday, strokeStyle: 'rgba(0,0,0,0)', lineWidth: 0, hidden: false });

  const m = s.metrics;
  const facts = [
    `makespan ${formatNumber(m.makespan)} h`,
    `on-time ${formatNumber(pct(m.on_time_rate))}%`,
    `completion ${formatNumber(pct(m.completion_rate))}%`,
    late ? `${late.size} late job${late.size === 1 ? '' : 's'}` : null,
    `${jobs} jobs${jobs > 12 ? ' (bar colour = job, id written in the bar where it fits)' : ''}`,
    ...notes,
  ].filter(Boolean);

  const label = (id: string): string => {
    const mach = snapshot?.machines.find((x) => x.id === id);
    const extra = mach ? (mach.name ?? mach.type) : '';
    const text = extra && extra !== id ? `${id} · ${extra}` : id;
    return text.length > 28 ? text.slice(0, 27) + '…' : text;
  };
  const rowH = rows.length <= 15 ? 34 : rows.length <= 40 ? 24 : 18;
  const height = Math.max(460, 210 + rows.length * rowH);

  const thin = onTimeBars.length + lateBars.length > 400; // many small bars: thinner outlines
  const bars = (data: Bar[], isLate: boolean) => ({
    label: isLate ? 'late' : 'on time',
    data: data as unknown as number[],
    backgroundColor: data.map((b) => colors.get(b.job)!),
    borderColor: isLate ? COLORS.late : 'rgba(255,255,255,0.9)',
    borderWidth: isLate ? (thin ? 1.5 : 2.5) : 0.75,
    borderSkipped: false as const,
    grouped: false,
    barPercentage: 0.82,
    categoryPercentage: 1,
  });

  const config: ChartConfiguration = {
    type: 'bar',
    data: { labels: rows, datasets: [bars(onTimeBars, false), bars(lateBars, true)] },
    plugins: [barText(rows.length > 40 ? 9 : 10), calendarShading(shading)], // ids first, then shading over all
    options: {
      indexAxis: 'y',
      layout: { padding: { left: 8, right: inDays ? 44 : 20, top: 4, bottom: 4 } },
      plugins: {
        title: { display: true, text: opts.title ?? `Schedule ${s.snapshot}: ${s.policy === 'ppo' ? 'PPO' : s.policy}`, font: { size: 18, weight: 'bold' } },
        subtitle: { display: true, text: facts.join('   ·   '), padding: { bottom: 6 } },
        legend: { display: legendItems.length > 0, position: 'top', labels: { generateLabels: () => legendItems, boxWidth: 22, padding: 14 } },
        tooltip: { enabled: false },
      },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: xMax,
          title: { display: true, text: inDays ? 'time since snapshot start (days; 1 day = 24 h)' : 'time since snapshot start (hours)' },
          ticks: { stepSize: step, callback: (v) => tick(Number(v)), autoSkip: true, maxRotation: 0 },
        },
        y: {
          type: 'category',
          title: { display: true, text: 'machine' },
          grid: { display: false },
          ticks: { autoSkip: false, font: { size: rows.length > 40 ? 10 : 12 }, callback: (_v, i) => label(rows[i]) },
        },
      },
    },
  };
  return { config, info: { width, height, machinesShown: rows.length, machinesTotal: total, jobs, lateJobs: late ? late.size : null, notes } };
}

function pct(v: number): number {
  return v <= 1.0001 ? v * 100 : v;
}

/**
 * Grey bands for breaks and orange for holidays in each machine's row, translucent and drawn
 * over the bars: a task stretched over a break shows as paused there. Thin row separators go
 * under the bars.
 */
function calendarShading(spans: Map<string, OffSpan[]>): Plugin<'bar'> {
  const rowHalf = (chart: Chart<'bar'>) => {
    const ys = chart.scales.y;
    const n = (chart.data.labels as string[]).length;
    return n > 1 ? Math.abs(ys.getPixelForValue(1) - ys.getPixelForValue(0)) / 2 : (chart.chartArea.bottom - chart.chartArea.top) / 2;
  };
  return {
    id: 'calendarShading',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area } = chart;
      const xs = chart.scales.x;
      const ys = chart.scales.y;
      const labels = chart.data.labels as string[];
      const half = rowHalf(chart);
      ctx.save();
      labels.forEach((id, i) => {
        const cy = ys.getPixelForValue(i);
        for (const o of spans.get(id) ?? []) {
          const x0 = Math.max(area.left, xs.getPixelForValue(o.start));
          const x1 = Math.min(area.right, xs.getPixelForValue(o.end));
          if (x1 <= x0) continue;
          ctx.fillStyle = o.kind === 'break' ? COLORS.break : COLORS.holiday;
          ctx.fillRect(x0, cy - half, Math.max(1, x1 - x0), 2 * half);
        }
      });
      ctx.restore();
    },
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea: area } = chart;
      const ys = chart.scales.y;
      const labels = chart.data.labels as string[];
      const half = rowHalf(chart);
      ctx.save();
      ctx.strokeStyle = '#ececec';
      ctx.lineWidth = 1;
      labels.forEach((_id, i) => {
        const y = Math.round(ys.getPixelForValue(i) + half) + 0.5;
        ctx.beginPath();
        ctx.moveTo(area.left, y);
        ctx.lineTo(area.right, y);
        ctx.stroke();
      });
      ctx.restore();
    },
  };
}

/** Job ids written inside bars wide enough to hold them; late bars get a hatch. */
function barText(fontSize: number): Plugin<'bar'> {
  return {
    id: 'barText',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      ctx.save();
      ctx.font = `${fontSize}px ${FONT_FAMILY}`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      chart.data.datasets.forEach((ds, di) => {
        const meta = chart.getDatasetMeta(di);
        const data = ds.data as unknown as Bar[];
        meta.data.forEach((el, i) => {
          const { x, y, base, height } = el.getProps(['x', 'y', 'base', 'height'], true) as { x: number; y: number; base: number; height: number };
          const left = Math.min(x, base);
          const w = Math.abs(x - base);
          if (di === 1) hatch(ctx, left, y - height / 2, w, height);
          const text = data[i].job;
          const tw = ctx.measureText(text).width;
          if (w < tw + 8 || height < fontSize + 2) return;
          const fill = String((ds.backgroundColor as string[])[i]);
          if (di === 1) {
            // a plain patch behind the id so it reads over the hatch
            ctx.fillStyle = fill;
            ctx.fillRect(left + w / 2 - tw / 2 - 3, y - fontSize / 2 - 2, tw + 6, fontSize + 4);
          }
          ctx.fillStyle = textOn(fill);
          ctx.fillText(text, left + w / 2, y);
        });
      });
      ctx.restore();
    },
  };
}

function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.strokeStyle = 'rgba(192, 0, 0, 0.45)';
  ctx.lineWidth = 1.25;
  ctx.beginPath();
  for (let d = -h; d < w; d += 9) {
    ctx.moveTo(x + d, y + h);
    ctx.lineTo(x + d + h, y);
  }
  ctx.stroke();
  ctx.restore();
}

/** Black or white text, whichever reads better on a `#rrggbb` fill. */
function textOn(hex: string): string {
  const n = parseInt(hex.slice(1, 7), 16);
  const lum = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return lum > 150 ? '#111111' : '#ffffff';
}

/** Renders the Gantt chart of a schedule to PNG bytes. */
export async function ganttPng(s: ScheduleExport, snapshot?: Snapshot, opts: GanttOptions = {}): Promise<{ png: Buffer; info: GanttInfo }> {
  const { config, info } = ganttConfig(s, snapshot, opts);
  return { png: await renderPng(config, info.width, info.height), info };
}

/** Renders the Gantt chart of a schedule and writes it atomically to `outPath` (used by `sched schedule --gantt`). */
export async function renderGantt(s: ScheduleExport, snapshot: Snapshot | undefined, outPath: string, opts: GanttOptions = {}): Promise<GanttInfo> {
  const { png, info } = await ganttPng(s, snapshot, opts);
  writeFileAtomic(outPath, png);
  return info;
}
