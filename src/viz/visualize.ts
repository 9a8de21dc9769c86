import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { loadSnapshotFile } from '../data/snapshots/load.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { SchedError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { renderBaselines } from './baselines-chart.js';
import { ganttPng } from './gantt.js';
import { RUN_FILES, readRunInputs, type RunInputs } from './inputs.js';
import { renderOverview } from './overview-chart.js';
import { hasProgressData, renderProgress } from './progress-chart.js';
import { buildReport, type ReportModel } from './report.js';
import { percentFactor, seriesByStage, stageSpans, type Point } from './series.js';
import { summarizeTests } from './test-summary.js';
import { RunLayout } from '../checkpoints/layout.js';

export interface VisualizeOptions {
  /** Snapshot files for break shading in Gantt charts (matched to schedules by snapshot name). */
  snapshots?: string[];
  /** Most machine rows in a Gantt chart. */
  maxMachines?: number;
  /** Where relative snapshot paths are resolved (the CLI's working folder). */
  cwd?: string;
}

export interface VisualizeResult {
  outDir: string;
  /** Absolute paths, charts first, the report last. */
  written: string[];
  warnings: string[];
  missing: string[];
}

export const REPORT_FILE = 'training_report.md';

/** File-name-safe form of a stage or schedule name. */
function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * Renders every chart the run folder's files allow into `<runDir>/visualizations/`, then the
 * report. Each file is rendered to a buffer first and written atomically. A folder with nothing
 * to plot is a SchedError('IO') naming the folder and the missing file.
 */
export async function visualizeRun(runDir: string, opts: VisualizeOptions = {}): Promise<VisualizeResult> {
  const inputs = readRunInputs(runDir);
  const outDir = new RunLayout(runDir).visualizations;
  const files = new Map<string, Buffer | string>();
  const warnings = [...inputs.warnings];

  const series = seriesByStage(inputs.scalars ?? []);
  const spans = stageSpans(series, inputs.state);
  const ratePoints: Point[] = [];
  for (const tags of series.values()) for (const t of ['eval/completion_rate', 'eval/on_time_rate']) ratePoints.push(...(tags.get(t) ?? []));
  const pct = percentFactor(ratePoints);

  const progress = new Map<string, string>();
  for (const span of spans) {
    const tags = series.get(span.name);
    if (!tags || !hasProgressData(tags)) continue;
    const file = `${safe(span.name)}_progress.png`;
    files.set(file, await renderProgress(span, tags, pct));
    progress.set(span.name, file);
  }
  let overview: string | null = null;
  if (progress.size > 0) {
    overview = 'curriculum_overview.png';
    files.set(overview, await renderOverview(spans.filter((s) => series.has(s.name)), series, pct));
  }

  const comparisons: ReportModel['comparisons'] = [];
  if (inputs.tests && inputs.tests.length > 0) {
    const summaries = summarizeTests(inputs.tests, spans.map((s) => s.name));
    for (const [i, c] of summaries.entries()) {
      const file = i === summaries.length - 1 ? 'ppo_vs_baselines.png' : `ppo_vs_baselines_${safe(c.stage)}.png`;
      files.set(file, await renderBaselines(c));
      comparisons.push({ comparison: c, chart: file });
    }
  } else if (inputs.tests) {
    warnings.push(`${join(runDir, RUN_FILES.tests)} holds no rows: no PPO-vs-baselines chart`);
  }

  const gantts: ReportModel['gantts'] = [];
  // an explicitly given snapshot that does not load is an error, not a warning
  const snapshots = (opts.snapshots ?? []).map((p) => loadSnapshotFile(resolve(opts.cwd ?? process.cwd(), p)));
  for (const { file: src, name, schedule } of inputs.schedules) {
    if (schedule.assignments.length === 0) {
      warnings.push(`${src} has no assignments: no Gantt chart`);
      continue;
    }
    const snapshot = findSnapshot(schedule.snapshot, snapshots, [runDir, opts.cwd ?? process.cwd()], warnings);
    const file = `gantt_${safe(name)}.png`;
    const { png, info } = await ganttPng(schedule, snapshot, { maxMachines: opts.maxMachines });
    files.set(file, png);
    gantts.push({ chart: file, source: join(RUN_FILES.schedules, basename(src)), schedule, info });
  }

  if (files.size === 0) throw nothingToPlot(inputs);

  const report = buildReport({ runDir, generatedAt: new Date(), spans, series, pct, overview, progress, comparisons, gantts, missing: inputs.missing, warnings });
  files.set(REPORT_FILE, report);
  const written: string[] = [];
  for (const [name, data] of files) {
    const path = join(outDir, name);
    writeFileAtomic(path, data);
    written.push(path);
  }
  return { outDir, written, warnings, missing: inputs.missing };
}

function nothingToPlot(inputs: RunInputs): SchedError {
  const scalars = join(inputs.dir, RUN_FILES.scalars);
  const why = inputs.missing.includes(RUN_FILES.scalars)
    ? `${scalars} is missing`
    : inputs.scalars && inputs.scalars.length > 0
      ? `${scalars} holds no reward or evaluation scalars`
      : `${scalars} holds no valid scalars`;
  return new SchedError(
    'IO',
    `nothing to plot in run folder ${inputs.dir}: ${why}, and there is no usable ${RUN_FILES.tests} or ${RUN_FILES.schedules}/*.json`,
    inputs.warnings,
  );
}

/**
 * The snapshot a schedule was built on, for break shading: one given with --snapshot whose
 * name matches, else the schedule's `snapshot` field as a path or as `snapshots/<name>.json`
 * under the run folder or the working folder. None found: the chart has no shading.
 */
function findSnapshot(ref: string, given: Snapshot[], roots: string[], warnings: string[]): Snapshot | undefined {
  const stem = basename(ref).replace(/\.json$/, '');
  const match = given.find((s) => s.name === ref || s.name === stem);
  if (match) return match;
  if (given.length === 1) return given[0];
  const candidates = isAbsolute(ref) ? [ref] : roots.flatMap((r) => [join(r, ref), join(r, 'snapshots', `${stem}.json`)]);
  for (const c of candidates) {
    if (!existsSync(c) || !c.endsWith('.json')) continue;
    try {
      return loadSnapshotFile(c);
    } catch (err) {
      if (!(err instanceof SchedError)) throw err;
      warnings.push(`${c}: ${err.message}; breaks not shaded`);
      return undefined;
    }
  }
  return undefined;
}
