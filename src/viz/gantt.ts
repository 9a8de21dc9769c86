import type { ChartConfiguration, LegendItem } from 'chart.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import type { ScheduleExport } from '../env/schedule-export.js';
import { writeFileAtomic } from '../io/atomic.js';
import { machineCalendar, offSpans, type OffSpan } from './calendar-spans.js';
import { COLORS, PALETTE, formatNumber, renderPng } from './render.js';
import { barText, calendarShading, dueMarks, type Bar, type DueMark } from './gantt-draw.js';

export interface GanttOptions {
  /** Chart title; default `Schedule <snapshot>: <policy>`. */
  title?: string;
  /** Most machine rows drawn; the busiest are kept, with a note (default 40). */
  maxMachines?: number;
  /** Image width in pixels (default 1400, growing to 2400 for schedules of 100 to 500 jobs); the height follows the number of rows. */
  width?: number;
}

/** What was drawn, for the caller's report. */
export interface GanttInfo {
  width: number;
  height: number;
  machinesShown: number;
  /** Machines with work in the schedule. */
  machinesTotal: number;
  /** Machines of the snapshot without any work, left out. */
  machinesIdle: number;
  jobs: number;
  lateJobs: number | null;
  /** Late jobs whose due date is marked (their last task's machine is shown). */
  dueMarks: number;
  /** `job`: a colour per job (up to 20 jobs); `lateness`: bars grouped by the job's lateness. */
  colorBy: 'job' | 'lateness';
  /** What the chart leaves out or could not draw, as written on it. */
  notes: string[];
}

/** Jobs up to which every job gets its own colour and legend entry; above, bars are coloured by lateness group. */
export const MAX_JOB_COLORS = PALETTE.length;

/** The lateness groups of large schedules, worst first: the legend lists them with their job counts. */
export const LATENESS_GROUPS = [
  { label: 'late more than 3 days', color: '#7f1010', test: (f: JobFacts) => f.daysLate > 3 },
  { label: 'late 1 to 3 days', color: '#d62728', test: (f: JobFacts) => f.daysLate > 1 },
  { label: 'late up to 1 day', color: '#f28e2b', test: (f: JobFacts) => f.daysLate > 0 },
  { label: 'on time, less than 1 day to spare', color: '#e8c547', test: (f: JobFacts) => f.due !== null && f.due - f.completion < 24 },
  { label: 'on time, 1 day or more to spare', color: '#4e79a7', test: (f: JobFacts) => f.due !== null },
  { label: 'no due date', color: '#9d9d9d', test: () => true },
] as const;

/** A job's due time, completion (hours) and days late. */
export interface JobFacts {
  due: number | null;
  completion: number;
  daysLate: number;
}

/** Natural order: M2 before M10. */
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** A stable colour per job: its rank among the schedule's job ids (natural order) in the palette. */
export function jobColors(jobIds: Iterable<string>): Map<string, string> {
  const ids = [...new Set(jobIds)].sort(natural);
  return new Map(ids.map((id, i) => [id, PALETTE[i % PALETTE.length]]));
}

/**
 * Due, completion and lateness per scheduled job: from the export's per-job data, else from the
 * snapshot's due dates; null when neither is there.
 */
export function jobFacts(s: ScheduleExport, snapshot: Snapshot | undefined): Map<string, JobFacts> | null {
  const done = new Map<string, number>();
  for (const a of s.assignments) done.set(a.job, Math.max(done.get(a.job) ?? 0, a.end));
  const due = new Map<string, number | null>();
  if (s.jobs) for (const j of s.jobs) due.set(j.id, j.due);
  else if (snapshot) for (const j of snapshot.jobs) due.set(j.id, j.due);
  else return null;
  const out = new Map<string, JobFacts>();
  for (const [id, completion] of done) {
    const d = due.get(id) ?? null;
    const exported = s.jobs?.find((j) => j.id === id)?.days_late;
    const daysLate = exported ?? (d !== null && completion > d + 1e-9 ? (completion - d) / 24 : 0);
    out.set(id, { due: d, completion, daysLate });
  }
  return out;
}

/** `hex` mixed with white (f > 0) or black (f < 0). */
function shade(hex: string, f: number): string {
  const n = parseInt(hex.slice(1, 7), 16);
  const mix = (c: number) => Math.round(f >= 0 ? c + (255 - c) * f : c * (1 + f));
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(mix);
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}

function niceStep(raw: number, steps: number[]): number {
  for (const s of steps) if (s >= raw) return s;
  return steps[steps.length - 1] * Math.ceil(raw / steps[steps.length - 1]);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Builds the chart.js configuration and the picture's size. What a planner reads first:
 * only machines with work are rows (the busiest `maxMachines`, each left-out count stated on
 * the chart); up to 20 jobs every job has its own colour and legend entry, above that bars are
 * coloured by the job's lateness group (legend with counts), so the picture stays readable at
 * 500 jobs; each late job's due date is marked on the row of its last task.
 */
export function ganttConfig(s: ScheduleExport, snapshot: Snapshot | undefined, opts: GanttOptions = {}): { config: ChartConfiguration; info: GanttInfo } {
  const maxMachines = opts.maxMachines ?? 40;
  const notes: string[] = [];

  const facts = jobFacts(s, snapshot);
  if (!facts) notes.push('late jobs and due dates not marked (no per-job data and no snapshot)');
  const lateIds = new Set([...(facts ?? [])].filter(([, f]) => f.daysLate > 0).map(([id]) => id));
  const lastTask = new Map<string, ScheduleExport['assignments'][number]>();
  for (const a of s.assignments) if (a.end >= (lastTask.get(a.job)?.end ?? -Infinity)) lastTask.set(a.job, a);

  // rows: machines with work; when there are too many, those where late jobs finish (so their
  // due dates can be marked), most such jobs first, then the busiest
  const busy = new Map<string, number>();
  for (const a of s.assignments) for (const m of a.machines) busy.set(m, (busy.get(m) ?? 0) + (a.end - a.start));
  const lateEnds = new Map<string, number>();
  for (const id of lateIds) for (const m of lastTask.get(id)!.machines) lateEnds.set(m, (lateEnds.get(m) ?? 0) + 1);
  const idle = snapshot ? snapshot.machines.filter((m) => !busy.has(m.id)).length : 0;
  let rows = [...busy.keys()];
  const total = rows.length;
  if (rows.length > maxMachines) {
    const rank = (id: string): [number, number] => [lateEnds.get(id) ?? 0, busy.get(id)!];
    rows = rows.sort((a, b) => rank(b)[0] - rank(a)[0] || rank(b)[1] - rank(a)[1] || natural(a, b)).slice(0, maxMachines);
    notes.push(`showing ${maxMachines} of ${total} machines with work: ${lateEnds.size > 0 ? 'those where late jobs finish first, then the busiest' : 'the busiest'}`);
  }
  if (idle > 0) notes.push(`${plural(idle, 'machine')} without work left out`);
  rows.sort(natural);
  const shown = new Set(rows);
  const ids = [...new Set(s.assignments.map((a) => a.job))].sort(natural);
  const jobs = ids.length;
  const colorBy: GanttInfo['colorBy'] = jobs <= MAX_JOB_COLORS || !facts ? 'job' : 'lateness';
  if (colorBy === 'job' && jobs > MAX_JOB_COLORS) notes.push(`colours repeat every ${MAX_JOB_COLORS} jobs`);
  const colors = colorBy === 'job' ? jobColors(ids) : new Map<string, string>();
  const groupCounts: number[] = LATENESS_GROUPS.map(() => 0);
  if (colorBy === 'lateness') {
    ids.forEach((id, rank) => {
      const g = LATENESS_GROUPS.findIndex((x) => x.test(facts!.get(id)!));
      groupCounts[g]++;
      colors.set(id, shade(LATENESS_GROUPS[g].color, [0, 0.22, -0.18][rank % 3])); // neighbours of one group stay apart
    });
  }

  const onTimeBars: Bar[] = [];
  const lateBars: Bar[] = [];
  for (const a of s.assignments) {
    for (const m of a.machines) {
      if (!shown.has(m)) continue;
      (lateIds.has(a.job) ? lateBars : onTimeBars).push({ x: [a.start, a.end], y: m, job: a.job });
    }
  }

  // due-date marks: on the row of each late job's last task (its first machine that is shown)
  const marks: DueMark[] = [];
  let unmarked = 0;
  for (const id of lateIds) {
    const f = facts!.get(id)!;
    if (f.due === null) continue;
    const row = lastTask.get(id)!.machines.find((m) => shown.has(m));
    if (row) marks.push({ job: id, row, due: f.due, completion: f.completion });
    else unmarked++;
  }
  if (unmarked > 0) notes.push(`${plural(unmarked, 'late job')}' due date${unmarked === 1 ? '' : 's'} not marked (last task on a machine not shown)`);

  const horizon = Math.max(1, ...s.assignments.map((a) => a.end), ...marks.map((m) => m.due));
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

  const legendItems: LegendItem[] = [];
  const box = (text: string, fill: string, stroke = 'rgba(0,0,0,0)', lineWidth = 0): LegendItem => ({ text, fillStyle: fill, strokeStyle: stroke, lineWidth, hidden: false });
  if (colorBy === 'job' && jobs <= MAX_JOB_COLORS) for (const [id, c] of colors) legendItems.push(box(`job ${id}`, c));
  if (colorBy === 'lateness') LATENESS_GROUPS.forEach((g, i) => groupCounts[i] > 0 && legendItems.push(box(`${g.label}: ${plural(groupCounts[i], 'job')}`, g.color)));
  if (facts) legendItems.push(box(`late job: red outline${colorBy === 'job' ? ', hatched' : ''} (${lateIds.size})`, '#f3f3f3', COLORS.late, 2.5));
  if (marks.length > 0) legendItems.push(box(`due date of a late job (red tick on its last task's row${colorBy === 'job' && jobs <= MAX_JOB_COLORS ? ', with its id' : ''}, dashed to its completion)`, COLORS.late));
  if (hasBreaks) legendItems.push(box('break (no work)', COLORS.break));
  if (hasHolidays) legendItems.push(box('holiday', COLORS.holiday));

  const m = s.metrics;
  const headline = [
    `makespan ${formatNumber(m.makespan)} h`,
    `on-time ${formatNumber(pct(m.on_time_rate))}%`,
    `completion ${formatNumber(pct(m.completion_rate))}%`,
    facts ? plural(lateIds.size, 'late job') : null,
    `${plural(jobs, 'job')} on ${plural(total, 'machine')}`,
  ].filter(Boolean);
  const shownLine = [
    colorBy === 'job' ? 'bar colour = job' : "bar colour = the job's lateness group (legend)",
    jobs > 12 ? 'job id written in the bar where it fits' : null,
    ...notes,
  ].filter(Boolean);

  const label = (id: string): string => {
    const mach = snapshot?.machines.find((x) => x.id === id);
    const extra = mach ? (mach.name ?? mach.type) : '';
    const text = extra && extra !== id ? `${id} · ${extra}` : id;
    return text.length > 28 ? text.slice(0, 27) + '…' : text;
  };
  const width = opts.width ?? Math.min(2400, Math.max(1400, 1400 + Math.round((jobs - 100) * 2.5)));
  const legendRows = Math.ceil(legendItems.reduce((w, it) => w + 50 + 7 * it.text.length, 0) / (width - 100));
  const rowH = rows.length <= 15 ? 34 : rows.length <= 40 ? 24 : 18;
  const height = Math.max(460, 220 + 22 * Math.max(0, legendRows - 1) + rows.length * rowH);

  const thin = onTimeBars.length + lateBars.length > 400; // many small bars: thinner outlines
  const bars = (data: Bar[], isLate: boolean) => ({
    label: isLate ? 'late' : 'on time',
    data: data as unknown as number[],
    backgroundColor: data.map((b) => colors.get(b.job)!),
    borderColor: isLate ? COLORS.late : 'rgba(255,255,255,0.9)',
    borderWidth: isLate ? (thin ? 1.25 : 2.5) : 0.75,
    borderSkipped: false as const,
    grouped: false,
    barPercentage: 0.82,
    categoryPercentage: 1,
  });

  const config: ChartConfiguration = {
    type: 'bar',
    data: { labels: rows, datasets: [bars(onTimeBars, false), bars(lateBars, true)] },
    plugins: [barText(rows.length > 40 ? 9 : 10, colorBy === 'job'), calendarShading(shading), dueMarks(marks, colorBy === 'job' && jobs <= MAX_JOB_COLORS)], // ids, then shading over all, then due marks on top
    options: {
      indexAxis: 'y',
      layout: { padding: { left: 8, right: inDays ? 64 : 20, top: 4, bottom: 4 } },
      plugins: {
        title: { display: true, text: opts.title ?? `Schedule ${s.snapshot}: ${s.policy === 'ppo' ? 'PPO' : s.policy}`, font: { size: 18, weight: 'bold' } },
        subtitle: { display: true, text: [headline.join('   ·   '), shownLine.join('   ·   ')], padding: { bottom: 6 } },
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
  const info: GanttInfo = {
    width, height, machinesShown: rows.length, machinesTotal: total, machinesIdle: idle, jobs, lateJobs: facts ? lateIds.size : null, dueMarks: marks.length, colorBy, notes,
  };
  return { config, info };
}

function pct(v: number): number {
  return v <= 1.0001 ? v * 100 : v;
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
