import { SchedError } from '../errors.js';
import type { Snapshot } from '../data/snapshots/schema.js';

/** Hours in a week: weekly breaks repeat with this period. */
export const WEEK = 168;
/** Tolerance (hours) when comparing times: a task may end exactly at a break's start. */
export const TIME_EPS = 1e-9;

/**
 * How a task meets non-working time (docs/environment.md, "Calendar"):
 * - `stretch` (default): setup + processing pause during a break or holiday and resume after
 *   it, so the task's end is pushed back; the machines stay occupied over the pause.
 * - `no_split`: a task waits for a working window long enough to hold it whole; a task longer
 *   than the longest weekly window cannot fit anywhere and is stretched instead.
 * In both modes a task never starts inside non-working time.
 */
export type CalendarMode = 'stretch' | 'no_split';

/**
 * Every working calendar of one compiled instance, as flat typed arrays. Calendar 0 is
 * "always working" (machines without a calendar). A calendar is a weekly pattern of breaks
 * (merged, sorted intervals in hours of the week, Monday 00:00 = 0) plus holidays (merged,
 * sorted absolute intervals in hours from the snapshot start). The pattern repeats forever,
 * so lookups need no horizon. Multi-machine tasks get a combined calendar: the union of
 * their machines' non-working times (the task pauses when any of its machines stops).
 */
export class CalendarTable {
  readonly count: number;
  /** Hours of the week at snapshot hour 0 ((weekday-1)*24 + hour of day); internal times add it. */
  readonly offset: number;
  readonly weekStart: Int32Array;
  readonly weekLo: Float64Array;
  readonly weekHi: Float64Array;
  readonly holStart: Int32Array;
  readonly holLo: Float64Array;
  readonly holHi: Float64Array;
  /** 1 when the calendar has no non-working time at all (fast path). */
  readonly alwaysOn: Uint8Array;
  /** Longest uninterrupted working stretch of the weekly pattern (Infinity without breaks). */
  readonly maxWindow: Float64Array;

  constructor(offset: number, weekly: number[][], holidays: number[][]) {
    const n = weekly.length;
    this.count = n;
    this.offset = offset;
    this.weekStart = new Int32Array(n + 1);
    this.holStart = new Int32Array(n + 1);
    let wn = 0;
    let hn = 0;
    for (let c = 0; c < n; c++) {
      wn += weekly[c].length / 2;
      hn += holidays[c].length / 2;
    }
    this.weekLo = new Float64Array(wn);
    this.weekHi = new Float64Array(wn);
    this.holLo = new Float64Array(hn);
    this.holHi = new Float64Array(hn);
    this.alwaysOn = new Uint8Array(n);
    this.maxWindow = new Float64Array(n);
    wn = 0;
    hn = 0;
    for (let c = 0; c < n; c++) {
      const w = weekly[c];
      const h = holidays[c];
      this.weekStart[c] = wn;
      for (let i = 0; i < w.length; i += 2, wn++) {
        this.weekLo[wn] = w[i];
        this.weekHi[wn] = w[i + 1];
      }
      this.holStart[c] = hn;
      for (let i = 0; i < h.length; i += 2, hn++) {
        this.holLo[hn] = h[i] + offset;
        this.holHi[hn] = h[i + 1] + offset;
      }
      this.alwaysOn[c] = w.length === 0 && h.length === 0 ? 1 : 0;
      let win = w.length === 0 ? Infinity : w[0] + WEEK - w[w.length - 1];
      for (let i = 2; i < w.length; i += 2) win = Math.max(win, w[i] - w[i - 1]);
      this.maxWindow[c] = win;
    }
    this.weekStart[n] = wn;
    this.holStart[n] = hn;
  }

  /** The first working instant at or after `t`. */
  nextWorking(c: number, t: number): number {
    if (this.alwaysOn[c] === 1) return t;
    return this.uNextWorking(c, t + this.offset) - this.offset;
  }

  /** For a working instant `t`: when the next non-working interval starts (Infinity if never). */
  nextStop(c: number, t: number): number {
    if (this.alwaysOn[c] === 1) return Infinity;
    return this.uNextStop(c, t + this.offset) - this.offset;
  }

  /** End of `work` hours of working time starting at the working instant `s` (pauses over breaks). */
  stretchEnd(c: number, s: number, work: number): number {
    if (this.alwaysOn[c] === 1) return s + work;
    let u = s + this.offset;
    let rem = work;
    for (;;) {
      const stop = this.uNextStop(c, u);
      if (u + rem <= stop + TIME_EPS) return u + rem - this.offset;
      rem -= stop - u;
      u = this.uNextWorking(c, stop);
    }
  }

  /** Earliest start at or after `t` for a task of `work` hours under `mode`. */
  startFor(c: number, t: number, work: number, mode: CalendarMode): number {
    if (this.alwaysOn[c] === 1) return t;
    let u = this.uNextWorking(c, t + this.offset);
    if (mode === 'no_split' && work <= this.maxWindow[c]) {
      for (;;) {
        const stop = this.uNextStop(c, u);
        if (u + work <= stop + TIME_EPS) break;
        u = this.uNextWorking(c, stop);
      }
    }
    return u - this.offset;
  }

  // Internals work in week-aligned time u = t + offset (u = 0 is a Monday 00:00), so that
  // week boundaries are exact multiples of WEEK and no rounding can stall the loops.

  private uNextWorking(c: number, u: number): number {
    const w0 = this.weekStart[c];
    const w1 = this.weekStart[c + 1];
    const h0 = this.holStart[c];
    const h1 = this.holStart[c + 1];
    for (;;) {
      let moved = false;
      for (let i = h0; i < h1; i++) {
        if (this.holHi[i] > u) {
          if (this.holLo[i] <= u) {
            u = this.holHi[i];
            moved = true;
          }
          break;
        }
      }
      if (w1 > w0) {
        const base = Math.floor(u / WEEK) * WEEK;
        const p = u - base;
        for (let i = w0; i < w1; i++) {
          if (this.weekHi[i] > p) {
            if (this.weekLo[i] <= p) {
              u = base + this.weekHi[i];
              moved = true;
            }
            break;
          }
        }
      }
      if (!moved) return u;
    }
  }

  private uNextStop(c: number, u: number): number {
    let stop = Infinity;
    for (let i = this.holStart[c], h1 = this.holStart[c + 1]; i < h1; i++) {
      if (this.holLo[i] > u) {
        stop = this.holLo[i];
        break;
      }
    }
    const w0 = this.weekStart[c];
    const w1 = this.weekStart[c + 1];
    if (w1 > w0) {
      const base = Math.floor(u / WEEK) * WEEK;
      const p = u - base;
      let next = base + WEEK + this.weekLo[w0]; // first break of next week
      for (let i = w0; i < w1; i++) {
        if (this.weekLo[i] > p) {
          next = base + this.weekLo[i];
          break;
        }
      }
      if (next < stop) stop = next;
    }
    return stop;
  }
}

/** Merges sorted-by-start intervals given as flat [lo, hi, lo, hi, ...] (touching ones join). */
function mergeIntervals(pairs: [number, number][]): number[] {
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]) out[n - 1] = Math.max(out[n - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

/**
 * Compiles the snapshot's calendars. Returns the table and each machine's calendar index;
 * `combine(machineIdxs)` adds (once per distinct set) the union calendar for a multi-machine task.
 */
export function compileCalendars(s: Snapshot): {
  machineCal: Int32Array;
  combine: (machines: readonly number[]) => number;
  build: () => CalendarTable;
} {
  const weekly: number[][] = [[]];
  const holidays: number[][] = [[]];
  const rawWeekly: [number, number][][] = [[]];
  const rawHol: [number, number][][] = [[]];
  const byName = new Map<string, number>();
  const problems: string[] = [];
  for (const [name, cal] of Object.entries(s.calendars)) {
    const wk: [number, number][] = cal.breaks.map((b) => [(b.weekday - 1) * 24 + b.start, (b.weekday - 1) * 24 + b.end]);
    const hol: [number, number][] = cal.holidays.map((h) => [h.start, h.end]);
    const merged = mergeIntervals(wk.map((p) => [p[0], p[1]]));
    let off = 0;
    for (let i = 0; i < merged.length; i += 2) off += merged[i + 1] - merged[i];
    if (off >= WEEK - TIME_EPS) problems.push(`calendars.${name}: breaks cover the whole week, so no task could ever run`);
    byName.set(name, weekly.length);
    weekly.push(merged);
    holidays.push(mergeIntervals(hol.map((p) => [p[0], p[1]])));
    rawWeekly.push(wk);
    rawHol.push(hol);
  }
  if (problems.length > 0) throw new SchedError('SNAPSHOT', `${s.name} has a calendar with no working time`, problems);
  const def = byName.get('default') ?? 0;
  const machineCal = new Int32Array(s.machines.length);
  s.machines.forEach((m, i) => {
    machineCal[i] = m.calendar !== undefined ? (byName.get(m.calendar) ?? 0) : def;
  });
  const combos = new Map<string, number>();
  const combine = (machines: readonly number[]): number => {
    const cals = [...new Set(machines.map((m) => machineCal[m]))].filter((c) => c !== 0).sort((a, b) => a - b);
    if (cals.length === 0) return 0;
    if (cals.length === 1) return cals[0];
    const key = cals.join(',');
    const known = combos.get(key);
    if (known !== undefined) return known;
    const wk = mergeIntervals(cals.flatMap((c) => rawWeekly[c].map((p): [number, number] => [p[0], p[1]])));
    let off = 0;
    for (let i = 0; i < wk.length; i += 2) off += wk[i + 1] - wk[i];
    if (off >= WEEK - TIME_EPS) {
      throw new SchedError('SNAPSHOT', `${s.name}: a multi-machine task needs machines whose calendars together leave no working time in the week`);
    }
    const idx = weekly.length;
    weekly.push(wk);
    holidays.push(mergeIntervals(cals.flatMap((c) => rawHol[c].map((p): [number, number] => [p[0], p[1]]))));
    rawWeekly.push([]);
    rawHol.push([]);
    combos.set(key, idx);
    return idx;
  };
  const offset = (s.startWeekday - 1) * 24 + s.startHourOfDay;
  return { machineCal, combine, build: () => new CalendarTable(offset, weekly, holidays) };
}
