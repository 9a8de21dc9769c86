import { SchedError } from '../errors.js';
import type { CalendarMode } from './calendar.js';

/**
 * Reward weights (docs/environment.md, "Reward"). Defaults are SPEC.md's. A reward is paid
 * per decision; due-date terms are paid when a job's last task is placed.
 */
export interface RewardWeights {
  /** Paid once per job completed on or before its due time. */
  onTime: number;
  /** Per day a job completes before its due time (on top of `onTime`). */
  earlyPerDay: number;
  /** Per day a job completes after its due time (a negative number is a penalty). */
  latePerDay: number;
  /** Paid for every decision (every task placed). */
  action: number;
  /**
   * Makespan term, used only for `objective: "makespan"` snapshots: paid per mean task
   * length by which a decision extends the schedule's end (negative = penalty). Its sum over an
   * episode is `makespan * makespan_weight / mean task work`.
   */
  makespan: number;
  /** Factor on the due-date terms (onTime, early, late) of `important` jobs. */
  importantFactor: number;
  /** Paid for an action on a masked-out slot (which then falls back to slot 0). */
  invalidAction: number;
}

export const DEFAULT_REWARD: Readonly<RewardWeights> = Object.freeze({
  onTime: 100,
  earlyPerDay: 50,
  latePerDay: -30,
  action: 15,
  makespan: -10,
  importantFactor: 1,
  invalidAction: 0,
});

/**
 * Seeded variation of the base snapshot drawn at each reset (training), or `'off'`
 * (evaluation: the snapshot exactly as given).
 */
export interface VariationOptions {
  /** Each task's setup and processing time is scaled by a factor uniform in [1 - j, 1 + j]. */
  durationJitter: number;
  /** Each due time moves by an amount uniform in [-h, +h] hours. */
  dueShiftHours: number;
  /** The episode keeps a random share of the jobs, uniform in [jobKeepMin, 1] (1 = all jobs). */
  jobKeepMin: number;
}

export const VARIATION_OFF: Readonly<VariationOptions> = Object.freeze({ durationJitter: 0, dueShiftHours: 0, jobKeepMin: 1 });

/** Training default: +-10% times, +-12 h due dates, 80..100% of the jobs. */
export const DEFAULT_VARIATION: Readonly<VariationOptions> = Object.freeze({ durationJitter: 0.1, dueShiftHours: 12, jobKeepMin: 0.8 });

export const DEFAULT_SLOTS = 32;

export function resolveVariation(v: Partial<VariationOptions> | 'off' | undefined): VariationOptions {
  if (v === 'off') return { ...VARIATION_OFF };
  const r = { ...DEFAULT_VARIATION, ...(v ?? {}) };
  const problems = unknownKeys(v ?? {}, DEFAULT_VARIATION, 'variation');
  if (!(r.durationJitter >= 0 && r.durationJitter < 1)) problems.push(`variation.durationJitter: must be in [0, 1), got ${r.durationJitter}`);
  if (!(r.dueShiftHours >= 0 && Number.isFinite(r.dueShiftHours))) problems.push(`variation.dueShiftHours: must be a finite number >= 0, got ${r.dueShiftHours}`);
  if (!(r.jobKeepMin > 0 && r.jobKeepMin <= 1)) problems.push(`variation.jobKeepMin: must be in (0, 1], got ${r.jobKeepMin}`);
  if (problems.length > 0) throw new SchedError('CONFIG', 'bad episode variation options', problems);
  return r;
}

export function resolveReward(w: Partial<RewardWeights> | undefined): RewardWeights {
  const r = { ...DEFAULT_REWARD, ...(w ?? {}) };
  const problems = unknownKeys(w ?? {}, DEFAULT_REWARD, 'reward');
  for (const [k, v] of Object.entries(r)) {
    if (k in DEFAULT_REWARD && (typeof v !== 'number' || !Number.isFinite(v))) problems.push(`reward.${k}: must be a finite number, got ${String(v)}`);
  }
  if (problems.length > 0) throw new SchedError('CONFIG', 'bad reward weights', problems);
  return r;
}

function unknownKeys(given: object, known: object, path: string): string[] {
  const names = Object.keys(known);
  return Object.keys(given)
    .filter((k) => !(k in known))
    .map((k) => `${path}.${k}: unknown option (known: ${names.join(', ')})`);
}

export function checkSlots(k: number): number {
  if (!Number.isInteger(k) || k < 1 || k > 4096) throw new SchedError('CONFIG', `slots (K) must be an integer in 1..4096, got ${k}`);
  return k;
}

export function checkCalendarMode(mode: string | undefined): CalendarMode {
  const m = mode ?? 'stretch';
  if (m !== 'stretch' && m !== 'no_split') throw new SchedError('CONFIG', `calendar mode must be "stretch" or "no_split", got "${m}"`);
  return m;
}

/**
 * Where a decision puts a task on its machine(s) (docs/environment.md, "Placement"):
 * - `append`: after the last task placed on each machine; an idle gap left earlier stays idle;
 * - `fill_gaps`: at the earliest start that fits, which may be an idle gap between tasks
 *   already placed (a common gap on every machine of a `requiresAll` task), so schedules are
 *   active: no task could start earlier without moving another.
 */
export type Placement = 'append' | 'fill_gaps';

export const PLACEMENTS: readonly Placement[] = ['append', 'fill_gaps'];

export const DEFAULT_PLACEMENT: Placement = 'append';

export function checkPlacement(p: string | undefined): Placement {
  const v = p ?? DEFAULT_PLACEMENT;
  if (!(PLACEMENTS as readonly string[]).includes(v)) throw new SchedError('CONFIG', `placement must be "append" or "fill_gaps", got "${v}"`);
  return v as Placement;
}
