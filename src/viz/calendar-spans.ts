import type { Calendar, Snapshot } from '../data/snapshots/schema.js';

/** A closed-for-work interval in hours from the snapshot start. */
export interface OffSpan {
  start: number;
  end: number;
  kind: 'break' | 'holiday';
}

/**
 * The breaks and holidays of a calendar that overlap [0, horizon], in hours from the snapshot
 * start. Hour 0 falls on ISO weekday `startWeekday` at `startHourOfDay`, so day k of the
 * schedule begins at hour `24k - startHourOfDay` and has weekday `startWeekday + k` (mod 7).
 */
export function offSpans(cal: Calendar, startWeekday: number, startHourOfDay: number, horizon: number): OffSpan[] {
  const out: OffSpan[] = [];
  const days = Math.ceil((horizon + startHourOfDay) / 24) + 1;
  for (let k = 0; k < days; k++) {
    const weekday = ((startWeekday - 1 + k) % 7) + 1;
    const dayStart = 24 * k - startHourOfDay;
    for (const b of cal.breaks) {
      if (b.weekday !== weekday) continue;
      const s = Math.max(0, dayStart + b.start);
      const e = Math.min(horizon, dayStart + b.end);
      if (e > s) out.push({ start: s, end: e, kind: 'break' });
    }
  }
  for (const h of cal.holidays) {
    const s = Math.max(0, h.start);
    const e = Math.min(horizon, h.end);
    if (e > s) out.push({ start: s, end: e, kind: 'holiday' });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The calendar a machine works to: its own, else the snapshot's `default`, else none. */
export function machineCalendar(snapshot: Snapshot, machineId: string): Calendar | null {
  const m = snapshot.machines.find((x) => x.id === machineId);
  const name = m?.calendar ?? 'default';
  return snapshot.calendars[name] ?? null;
}
