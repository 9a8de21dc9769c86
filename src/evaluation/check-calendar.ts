import type { Snapshot } from '../data/snapshots/schema.js';

/** Hours in a week: weekly breaks repeat with this period. */
const WEEK = 168;

/** A non-working interval in hours from the snapshot start, `[lo, hi)`. */
export interface OffInterval {
  lo: number;
  hi: number;
}

/**
 * Non-working time of a set of machines, read from the snapshot's calendars for the schedule
 * checker, with no code shared with the simulator's calendar (src/env/calendar.ts): the same
 * definition (docs/environment.md, "Calendar"), computed another way. A machine uses its
 * `calendar`, else `calendars.default`, else always works; a set of machines is off when any
 * of them is off. Weekly breaks are measured through the cumulative off-time of the week
 * pattern, so a span of any length costs O(breaks + holidays).
 */
export class MachineSetCalendar {
  /** Merged weekly breaks in hours of the week (Monday 00:00 = 0), flat [lo, hi, ...]. */
  private readonly week: number[];
  private readonly offPerWeek: number;
  /** Merged holidays, hours from the snapshot start. */
  private readonly holidays: OffInterval[];
  /** Hours of the week at snapshot hour 0. */
  private readonly offset: number;
  /** Longest working stretch of the weekly pattern (Infinity without breaks). */
  readonly maxWindow: number;

  constructor(s: Snapshot, machineIds: readonly string[]) {
    const names = new Set<string>();
    for (const id of machineIds) {
      const m = s.machines.find((x) => x.id === id);
      const name = m?.calendar ?? (s.calendars.default ? 'default' : undefined);
      if (name !== undefined && s.calendars[name]) names.add(name);
    }
    const weekly: [number, number][] = [];
    const hol: [number, number][] = [];
    for (const name of names) {
      for (const b of s.calendars[name].breaks) weekly.push([(b.weekday - 1) * 24 + b.start, (b.weekday - 1) * 24 + b.end]);
      for (const h of s.calendars[name].holidays) hol.push([h.start, h.end]);
    }
    this.week = mergeIntervals(weekly).flat();
    let off = 0;
    for (let i = 0; i < this.week.length; i += 2) off += this.week[i + 1] - this.week[i];
    this.offPerWeek = off;
    this.holidays = mergeIntervals(hol).map(([lo, hi]) => ({ lo, hi }));
    this.offset = (s.startWeekday - 1) * 24 + s.startHourOfDay;
    const w = this.week;
    let win = w.length === 0 ? Infinity : w[0] + WEEK - w[w.length - 1];
    for (let i = 2; i < w.length; i += 2) win = Math.max(win, w[i] - w[i - 1]);
    this.maxWindow = win;
  }

  /** Non-working hours inside `[a, b]` (breaks and holidays, counted once where they meet). */
  offBetween(a: number, b: number): number {
    if (!(b > a)) return 0;
    let off = this.weeklyOff(a, b);
    for (const h of this.holidays) {
      const x = Math.max(a, h.lo);
      const y = Math.min(b, h.hi);
      if (y > x) off += y - x - this.weeklyOff(x, y);
    }
    return off;
  }

  /** The maximal non-working interval holding instant `t` (`lo <= t < hi`), or null when `t` is working time. */
  offAt(t: number): OffInterval | null {
    if (!this.isOff(t)) return null;
    // the weekly intervals of the weeks around t, and every holiday, merged: adjacent pieces join
    const pieces: [number, number][] = this.holidays.map((h) => [h.lo, h.hi]);
    const k = Math.floor((t + this.offset) / WEEK);
    for (let wk = k - 1; wk <= k + 1; wk++) {
      const base = wk * WEEK - this.offset;
      for (let i = 0; i < this.week.length; i += 2) pieces.push([base + this.week[i], base + this.week[i + 1]]);
    }
    for (const [lo, hi] of mergeIntervals(pieces)) if (lo <= t && t < hi) return { lo, hi };
    return null;
  }

  /** Whether instant `t` is non-working time (the fast answer `offAt` starts with). */
  private isOff(t: number): boolean {
    for (const h of this.holidays) if (h.lo <= t && t < h.hi) return true;
    const u = t + this.offset;
    const p = u - Math.floor(u / WEEK) * WEEK;
    for (let i = 0; i < this.week.length; i += 2) if (this.week[i] <= p && p < this.week[i + 1]) return true;
    return false;
  }

  /** Weekly break hours inside `[a, b]`: the cumulative off-time F(b) - F(a). */
  private weeklyOff(a: number, b: number): number {
    return this.cumulativeOff(b + this.offset) - this.cumulativeOff(a + this.offset);
  }

  /** Break hours of the week pattern from week-aligned hour 0 to `u`. */
  private cumulativeOff(u: number): number {
    const k = Math.floor(u / WEEK);
    const p = u - k * WEEK;
    let off = k * this.offPerWeek;
    for (let i = 0; i < this.week.length; i += 2) off += Math.min(Math.max(p - this.week[i], 0), this.week[i + 1] - this.week[i]);
    return off;
  }
}

/** Sorts and merges intervals; touching ones join. */
export function mergeIntervals(iv: [number, number][]): [number, number][] {
  const sorted = iv.filter(([lo, hi]) => hi > lo).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}
