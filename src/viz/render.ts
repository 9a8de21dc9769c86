import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { createCanvas, loadImage } from 'canvas';
import type { ChartConfiguration, Plugin } from 'chart.js';

/**
 * Shared chart rendering: one chartjs-node-canvas renderer per size, white background, a font
 * that exists on a bare Debian (DejaVu Sans, installed with fontconfig), and the colours and
 * number formats every chart uses.
 */

export const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";
export const TEXT_COLOR = '#222222';
export const GRID_COLOR = '#e3e3e3';

/** Colours with a fixed meaning across charts. */
export const COLORS = {
  reward: '#1f77b4',
  evalReward: '#0b3d91',
  completion: '#2ca02c',
  onTime: '#d62728',
  daysLate: '#9467bd',
  makespan: '#8c564b',
  ppo: '#1f77b4',
  baseline: '#9e9e9e',
  best: '#2ca02c',
  late: '#c00000',
  break: 'rgba(80, 80, 80, 0.22)',
  holiday: 'rgba(255, 140, 0, 0.30)',
} as const;

/** 20 distinguishable colours (Tableau 20), for jobs in Gantt charts and policies in bars. */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

const renderers = new Map<string, ChartJSNodeCanvas>();

function rendererFor(width: number, height: number): ChartJSNodeCanvas {
  const key = `${width}x${height}`;
  let r = renderers.get(key);
  if (!r) {
    r = new ChartJSNodeCanvas({
      width,
      height,
      backgroundColour: 'white',
      chartCallback: (Chart) => {
        Chart.defaults.font.family = FONT_FAMILY;
        Chart.defaults.font.size = 13;
        Chart.defaults.color = TEXT_COLOR;
        Chart.defaults.borderColor = GRID_COLOR;
      },
    });
    if (renderers.size > 16) renderers.clear(); // Gantt heights vary; keep the cache small
    renderers.set(key, r);
  }
  return r;
}

/** Renders a chart.js configuration to PNG bytes. */
export async function renderPng(config: ChartConfiguration, width: number, height: number): Promise<Buffer> {
  return rendererFor(width, height).renderToBuffer(config as never, 'image/png');
}

/**
 * Lays PNG panels out in a grid under a title (small multiples: one unit per panel instead of
 * one axis mixing percent and days).
 */
export async function composePanels(panels: Buffer[], cols: number, title: string, subtitle: string[] = []): Promise<Buffer> {
  const images = await Promise.all(panels.map((p) => loadImage(p)));
  const pw = Math.max(...images.map((i) => i.width));
  const ph = Math.max(...images.map((i) => i.height));
  const rows = Math.ceil(images.length / cols);
  const header = 44 + 20 * subtitle.length;
  const canvas = createCanvas(pw * cols, header + ph * rows);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = TEXT_COLOR;
  ctx.textAlign = 'center';
  ctx.font = `bold 18px ${FONT_FAMILY}`;
  ctx.fillText(title, canvas.width / 2, 28);
  ctx.font = `13px ${FONT_FAMILY}`;
  ctx.fillStyle = '#444444';
  subtitle.forEach((line, i) => ctx.fillText(line, canvas.width / 2, 52 + 20 * i));
  images.forEach((img, i) => ctx.drawImage(img, (i % cols) * pw, header + Math.floor(i / cols) * ph));
  return canvas.toBuffer('image/png');
}

/** 1234567 -> "1.23M", 250000 -> "250k", 2048 -> "2,048". */
export function formatSteps(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e6) return `${trim(n / 1e6, 2)}M`;
  if (a >= 1e4) return `${trim(n / 1e3, 1)}k`;
  return Math.round(n).toLocaleString('en-US');
}

function trim(v: number, digits: number): string {
  return v.toFixed(digits).replace(/\.?0+$/, '');
}

/** A short number for tables and labels: 3 significant digits, no exponent for usual sizes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Vertical lines with labels at given x values (stage boundaries), drawn over the grid. */
export function verticalMarkers(markers: { x: number; label: string; color?: string }[]): Plugin {
  return {
    id: 'verticalMarkers',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area } = chart;
      const xs = chart.scales.x;
      ctx.save();
      ctx.font = `11px ${FONT_FAMILY}`;
      let lastLabel = -Infinity;
      for (const m of markers) {
        const px = xs.getPixelForValue(m.x);
        if (px < area.left - 1 || px > area.right + 1) continue;
        ctx.strokeStyle = m.color ?? '#555555';
        ctx.setLineDash([5, 4]);
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        if (px - lastLabel < 15) continue; // too close to the previous label to be read
        lastLabel = px;
        // label reads downwards along the line, just right of it
        ctx.save();
        ctx.translate(px + 3, area.top + 4);
        ctx.rotate(Math.PI / 2);
        ctx.textBaseline = 'bottom';
        const w = ctx.measureText(m.label).width;
        ctx.fillStyle = 'rgba(255, 255, 255, 0.85)'; // keeps the label readable over the curves
        ctx.fillRect(-2, -13, w + 4, 13);
        ctx.fillStyle = m.color ?? '#333333';
        ctx.fillText(m.label, 0, -1);
        ctx.restore();
      }
      ctx.restore();
    },
  };
}

/** Alternating light bands between x boundaries (stages), drawn under the data. */
export function xBands(bands: { from: number; to: number; color: string }[]): Plugin {
  return {
    id: 'xBands',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea: area } = chart;
      const xs = chart.scales.x;
      ctx.save();
      for (const b of bands) {
        const x0 = Math.max(area.left, xs.getPixelForValue(b.from));
        const x1 = Math.min(area.right, xs.getPixelForValue(b.to));
        if (x1 <= x0) continue;
        ctx.fillStyle = b.color;
        ctx.fillRect(x0, area.top, x1 - x0, area.bottom - area.top);
      }
      ctx.restore();
    },
  };
}
