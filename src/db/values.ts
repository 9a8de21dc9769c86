/**
 * Conversions between database values and snapshot values. DATETIMEs are read and written as
 * UTC wall-clock times ('YYYY-MM-DD HH:MM:SS', whole seconds); TIME as hours of the day;
 * durations as hours (DECIMAL, 4 decimals). Each parser returns the value or a problem phrase
 * that completes "column <name> ..." (e.g. "is NULL").
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });
const shown = (v: unknown) => JSON.stringify(v instanceof Uint8Array ? Buffer.from(v).toString() : v);

const NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** A number of hours (DECIMAL comes back as a string); `min` is the smallest allowed value, `strict` excludes it. */
export function parseHours(v: unknown, opts: { min: number; strict: boolean; nullable?: number }): Parsed<number> {
  if (v === null || v === undefined) return opts.nullable !== undefined ? ok(opts.nullable) : bad('is NULL');
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && NUMBER.test(v)) n = Number(v);
  else return bad(`is not a number: ${shown(v)}`);
  if (!Number.isFinite(n)) return bad(`is not a finite number: ${shown(v)}`);
  if (n < opts.min || (opts.strict && n === opts.min)) {
    return bad(n < 0 ? `is negative: ${n}` : `must be greater than ${opts.min}, got ${n}`);
  }
  return ok(n);
}

/** An integer (sequence numbers, weekdays). */
export function parseInteger(v: unknown): Parsed<number> {
  if (v === null || v === undefined) return bad('is NULL');
  const n = typeof v === 'number' ? v : typeof v === 'string' && NUMBER.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) return bad(`is not an integer: ${shown(v)}`);
  return ok(n);
}

/** A boolean flag (TINYINT 0/1, or 'true'/'false'); NULL is false. */
export function parseFlag(v: unknown): Parsed<boolean> {
  if (v === null || v === undefined) return ok(false);
  if (typeof v === 'boolean') return ok(v);
  const s = String(v).trim().toLowerCase();
  if (s === '1' || s === 'true' || s === 'yes' || s === 'y') return ok(true);
  if (s === '0' || s === 'false' || s === 'no' || s === 'n' || s === '') return ok(false);
  return bad(`is not a flag (0 or 1): ${shown(v)}`);
}

/** A row id as text; NULL or empty ids are problems. */
export function parseId(v: unknown): Parsed<string> {
  if (v === null || v === undefined) return bad('is NULL');
  const s = (v instanceof Uint8Array ? Buffer.from(v).toString() : String(v)).trim();
  return s ? ok(s) : bad('is empty');
}

/** Optional text (names); NULL or empty gives undefined. */
export function parseText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = (v instanceof Uint8Array ? Buffer.from(v).toString() : String(v)).trim();
  return s || undefined;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A DATETIME (or DATE, or ISO text) as epoch milliseconds; times without a zone are UTC. */
export function parseDateTime(v: unknown): Parsed<number> {
  if (v === null || v === undefined) return bad('is NULL');
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? ok(v.getTime()) : bad('is not a valid date-time');
  const s = String(v).trim();
  const m = DATETIME.exec(s);
  if (!m || m[1] === '0000') return bad(`is not a date-time: ${shown(v)}`);
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}${m[8] ?? 'Z'}`;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ok(ms) : bad(`is not a date-time: ${shown(v)}`);
}

/** A TIME ('HH:MM[:SS]') or a number of hours, as hours of the day in 0..24. */
export function parseTimeOfDay(v: unknown): Parsed<number> {
  if (v === null || v === undefined) return bad('is NULL');
  if (typeof v === 'number' || (typeof v === 'string' && NUMBER.test(v))) {
    const h = Number(v);
    return h >= 0 && h <= 24 ? ok(h) : bad(`is not an hour of the day (0..24): ${shown(v)}`);
  }
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(String(v).trim());
  if (!m) return bad(`is not a time of day: ${shown(v)}`);
  const h = Number(m[1]) + Number(m[2]) / 60 + Number(`${m[3] ?? '0'}${m[4] ?? ''}`) / 3600;
  return Number(m[2]) < 60 && h <= 24 ? ok(h) : bad(`is not a time of day (00:00..24:00): ${shown(v)}`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Epoch milliseconds -> 'YYYY-MM-DD HH:MM:SS' (UTC, rounded to the second). */
export function formatDateTime(ms: number): string {
  const d = new Date(Math.round(ms / 1000) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Hours of the day -> 'HH:MM:SS' (rounded to the second; 24 gives '24:00:00'). */
export function formatTimeOfDay(hours: number): string {
  const total = Math.round(hours * 3600);
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/** Epoch milliseconds -> ISO 'YYYY-MM-DDTHH:MM:SSZ'. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Rounds hours to 1e-6 (removes float noise from millisecond arithmetic). */
export function roundHours(h: number): number {
  return Math.round(h * 1e6) / 1e6 + 0;
}

const collator = new Intl.Collator('en', { numeric: true });
/** Natural order of ids: J2 before J10, 7 before 17. */
export const naturalCompare = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
