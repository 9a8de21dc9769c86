import type { ScalarRecord, TrainingState } from './inputs.js';

/** One point of a scalar curve: the global timestep and the value. */
export interface Point {
  x: number;
  y: number;
}

/** tag -> points sorted by step. */
export type TagSeries = Map<string, Point[]>;

/**
 * Groups scalars per stage and tag. Where steps go backwards for a tag (a run resumed from an
 * earlier checkpoint logs those steps again), the later lines replace the earlier ones from
 * that step on, as TensorBoard purges orphaned steps.
 */
export function seriesByStage(records: readonly ScalarRecord[]): Map<string, TagSeries> {
  const perTag = new Map<string, { stage: string; x: number; y: number }[]>();
  for (const r of records) {
    let list = perTag.get(r.tag);
    if (!list) perTag.set(r.tag, (list = []));
    while (list.length > 0 && list[list.length - 1].x >= r.step) list.pop();
    list.push({ stage: r.stage, x: r.step, y: r.value });
  }
  const out = new Map<string, TagSeries>();
  for (const [tag, list] of perTag) {
    for (const p of list) {
      let stage = out.get(p.stage);
      if (!stage) out.set(p.stage, (stage = new Map()));
      let pts = stage.get(tag);
      if (!pts) stage.set(tag, (pts = []));
      pts.push({ x: p.x, y: p.y });
    }
  }
  return out;
}

/** A stage's place on the global-step axis, with what the training state says about it. */
export interface StageSpan {
  name: string;
  start: number;
  /** Last step of the stage (the next stage's start, the state's endStep or the last scalar). */
  end: number;
  status: 'done' | 'running' | 'pending' | 'unknown';
  advancedEarly: boolean;
  bestEval: Record<string, number> | null;
  /** Where the boundaries came from. */
  source: 'state' | 'scalars';
}

/**
 * Stage boundaries in curriculum order: from the training state when it has them, else
 * derived from the scalars (a stage runs from the previous stage's last logged step to its own
 * last logged step). Pending stages with no steps are left out.
 */
export function stageSpans(series: Map<string, TagSeries>, state: TrainingState | null): StageSpan[] {
  const logged = new Map<string, { min: number; max: number }>();
  for (const [stage, tags] of series) {
    let min = Infinity;
    let max = -Infinity;
    for (const pts of tags.values()) {
      if (pts.length === 0) continue;
      min = Math.min(min, pts[0].x);
      max = Math.max(max, pts[pts.length - 1].x);
    }
    if (min <= max) logged.set(stage, { min, max });
  }
  const spans: StageSpan[] = [];
  const seen = new Set<string>();
  if (state) {
    for (const s of state.stages) {
      const log = logged.get(s.name);
      if (s.startStep === null && !log) continue;
      const start = s.startStep ?? (spans.length ? spans[spans.length - 1].end : 0);
      const end = s.endStep ?? (s.status === 'running' ? Math.max(state.globalStep, log?.max ?? start) : (log?.max ?? start));
      spans.push({ name: s.name, start, end, status: s.status, advancedEarly: s.advancedEarly, bestEval: s.bestEval, source: 'state' });
      seen.add(s.name);
    }
  }
  // Stages that only the scalars know (or no state at all), ordered by their first step.
  const rest = [...logged].filter(([name]) => !seen.has(name)).sort((a, b) => a[1].min - b[1].min);
  for (const [name, log] of rest) {
    const prev = spans.filter((s) => s.end <= log.min).reduce((m, s) => Math.max(m, s.end), 0);
    spans.push({ name, start: prev, end: log.max, status: 'unknown', advancedEarly: false, bestEval: null, source: 'scalars' });
  }
  return spans.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Best value of a tag in one stage (max, or min for `lowerIsBetter`), with its step. */
export function bestPoint(points: readonly Point[] | undefined, lowerIsBetter = false): Point | null {
  if (!points || points.length === 0) return null;
  let best = points[0];
  for (const p of points) if (lowerIsBetter ? p.y < best.y : p.y > best.y) best = p;
  return best;
}

/** Rates may be logged as fractions (0..1) or percentages; returns a factor to percent. */
export function percentFactor(points: readonly Point[]): number {
  return points.some((p) => p.y > 1.0001) ? 1 : 100;
}
