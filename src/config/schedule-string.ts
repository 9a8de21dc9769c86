/**
 * Values that may change during a stage, written as in RL Zoo: a plain number (constant) or
 * `"lin_<float>"` (linear from <float> at the start of the stage down to 0 at its end,
 * SB3's `progress_remaining * value`). A number written as a string (`"3e-4"`) is a constant.
 * This module only validates and classifies; the learner evaluates schedules.
 */
export interface ScheduleSpec {
  kind: 'constant' | 'linear';
  value: number;
}

const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export type ScheduleCheck = { ok: true; spec: ScheduleSpec } | { ok: false; message: string };

/** Classifies `v`; the value must be a positive finite number. */
export function parseScheduleValue(v: unknown): ScheduleCheck {
  const bad = (got: string): ScheduleCheck => ({
    ok: false,
    message: `expected a positive number or "lin_<number>" (e.g. 3e-4 or "lin_3e-4"), got ${got}`,
  });
  if (typeof v === 'number') {
    return Number.isFinite(v) && v > 0 ? { ok: true, spec: { kind: 'constant', value: v } } : bad(String(v));
  }
  if (typeof v !== 'string') return bad(v === null ? 'null' : typeof v);
  const text = v.trim();
  const linear = text.startsWith('lin_');
  const num = linear ? text.slice(4) : text;
  if (!FLOAT.test(num)) return bad(JSON.stringify(v));
  const value = Number(num);
  if (!Number.isFinite(value) || value <= 0) return bad(JSON.stringify(v));
  return { ok: true, spec: { kind: linear ? 'linear' : 'constant', value } };
}

/** The canonical text of a schedule (`3e-4` or `lin_3e-4` style), for logs and reports. */
export function formatSchedule(s: ScheduleSpec): string {
  return s.kind === 'linear' ? `lin_${s.value}` : String(s.value);
}
