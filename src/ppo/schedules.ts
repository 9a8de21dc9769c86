import { SchedError } from '../errors.js';

/**
 * A value that may change over training: called with `progressRemaining` (1 at the start of a
 * stage, 0 at its end), like SB3's schedules. `source` is what the config said (a number or
 * `lin_<v>`), kept so that a checkpoint can write it back.
 */
export type Schedule = ((progressRemaining: number) => number) & { readonly source: number | string };

export function constantSchedule(value: number): Schedule {
  return Object.assign((_p: number) => value, { source: value });
}

/** Linear from `start` (progress_remaining 1) to 0 (progress_remaining 0), as RL Zoo's `lin_`. */
export function linearSchedule(start: number, source: string = `lin_${start}`): Schedule {
  return Object.assign((p: number) => start * Math.min(1, Math.max(0, p)), { source });
}

/**
 * Parses a config value: a finite number (constant) or `lin_<number>` (e.g. `lin_3e-4`,
 * `lin_0.2`). Anything else is a SchedError('CONFIG') quoting the value; `path` names where it
 * came from (e.g. `stages[2].ppo.learning_rate`).
 */
export function parseSchedule(v: number | string, path = 'schedule'): Schedule {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new SchedError('CONFIG', `${path}: expected a finite number or "lin_<number>", got ${v}`);
    return constantSchedule(v);
  }
  if (typeof v === 'string') {
    const s = v.trim();
    const m = /^lin_(.+)$/.exec(s);
    if (m) {
      const x = Number(m[1]);
      if (m[1].trim() !== '' && Number.isFinite(x)) return linearSchedule(x, s);
    } else if (s !== '' && Number.isFinite(Number(s))) {
      return Object.assign((_p: number) => Number(s), { source: Number(s) });
    }
  }
  throw new SchedError('CONFIG', `${path}: expected a number or "lin_<number>" (e.g. lin_3e-4), got ${JSON.stringify(v)}`);
}
