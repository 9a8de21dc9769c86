/** The chart.js plugins that draw what bars alone cannot: calendar shading, ids in bars, hatching, due-date marks. */
import type { Chart, Plugin } from 'chart.js';
import type { OffSpan } from './calendar-spans.js';
import { COLORS, FONT_FAMILY } from './render.js';

/** A bar of the Gantt chart (chart.js floating bar data). */
export type Bar = { x: [number, number]; y: string; job: string };

/** A late job's due date, drawn on the row of its last task: a red tick at `due`, dashed to `completion`. */
export interface DueMark {
  job: string;
  row: string;
  due: number;
  completion: number;
}

/** What every row-drawing plugin needs: the context, the plot area, the scales, the row ids and half a row's height in pixels. */
function rowGeometry(chart: Chart<'bar'>) {
  const ys = chart.scales.y;
  const labels = chart.data.labels as string[];
  const half = labels.length > 1 ? Math.abs(ys.getPixelForValue(1) - ys.getPixelForValue(0)) / 2 : (chart.chartArea.bottom - chart.chartArea.top) / 2;
  return { ctx: chart.ctx, area: chart.chartArea, xs: chart.scales.x, ys, labels, half };
}

/**
 * Grey bands for breaks and orange for holidays in each machine's row, translucent and drawn
 * over the bars: a task stretched over a break shows as paused there. Thin row separators go
 * under the bars.
 */
export function calendarShading(spans: Map<string, OffSpan[]>): Plugin<'bar'> {
  return {
    id: 'calendarShading',
    afterDatasetsDraw(chart) {
      const { ctx, area, xs, ys, labels, half } = rowGeometry(chart);
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
      const { ctx, area, ys, labels, half } = rowGeometry(chart);
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

/** Job ids written inside bars wide enough to hold them; late bars (dataset 1) get a hatch when `hatchLate`. */
export function barText(fontSize: number, hatchLate: boolean): Plugin<'bar'> {
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
        const hatched = di === 1 && hatchLate;
        meta.data.forEach((el, i) => {
          const { x, y, base, height } = el.getProps(['x', 'y', 'base', 'height'], true) as { x: number; y: number; base: number; height: number };
          const left = Math.min(x, base);
          const w = Math.abs(x - base);
          if (hatched) hatch(ctx, left, y - height / 2, w, height);
          const text = data[i].job;
          const tw = ctx.measureText(text).width;
          if (w < tw + 8 || height < fontSize + 2) return;
          const fill = String((ds.backgroundColor as string[])[i]);
          if (hatched) {
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

/**
 * Each late job's due date on the row of its last task: a red vertical tick across the row
 * with a small triangle on top at the due time, and a dashed red line (low in the row, under
 * the ids) from there to the job's completion: how late it is. Drawn over everything else;
 * with `labelled`, `<job> due` is written beside the triangle.
 */
export function dueMarks(marks: DueMark[], labelled: boolean): Plugin<'bar'> {
  return {
    id: 'dueMarks',
    afterDraw(chart) {
      if (marks.length === 0) return;
      const { ctx, area, xs, ys, labels, half } = rowGeometry(chart);
      ctx.save();
      for (const m of marks) {
        const i = labels.indexOf(m.row);
        if (i < 0) continue;
        const cy = ys.getPixelForValue(i);
        const x = Math.max(area.left, Math.min(area.right, xs.getPixelForValue(m.due)));
        const xEnd = Math.min(area.right, xs.getPixelForValue(m.completion));
        const top = cy - half * 0.95;
        ctx.strokeStyle = COLORS.late;
        ctx.lineWidth = 1.25;
        ctx.setLineDash([4, 3]);
        const low = cy + half * 0.62; // below the ids written in the bars
        ctx.beginPath();
        ctx.moveTo(x, low);
        ctx.lineTo(xEnd, low);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, cy + half * 0.95);
        ctx.stroke();
        const t = Math.max(4, Math.min(7, half * 0.6));
        ctx.fillStyle = COLORS.late;
        ctx.beginPath();
        ctx.moveTo(x - t, top - t * 0.2);
        ctx.lineTo(x + t, top - t * 0.2);
        ctx.lineTo(x, top + t * 1.2);
        ctx.closePath();
        ctx.fill();
        if (labelled) {
          ctx.font = `bold 10px ${FONT_FAMILY}`;
          ctx.textAlign = 'left';
          ctx.textBaseline = 'top';
          const text = `${m.job} due`;
          const tw = ctx.measureText(text).width;
          ctx.fillStyle = 'rgba(255,255,255,0.85)';
          ctx.fillRect(x + t + 1, top - t * 0.2 - 1, tw + 4, 12);
          ctx.fillStyle = COLORS.late;
          ctx.fillText(text, x + t + 3, top - t * 0.2);
        }
      }
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
export function textOn(hex: string): string {
  const n = parseInt(hex.slice(1, 7), 16);
  const lum = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return lum > 150 ? '#111111' : '#ffffff';
}
