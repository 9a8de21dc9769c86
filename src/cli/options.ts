import { SchedError } from '../errors.js';

/** A positive number from a command-line option, or a USAGE error naming the option. */
export function positiveOption(name: string, v: string, integer: boolean): number {
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0 || (integer && !Number.isInteger(x))) {
    throw new SchedError('USAGE', `${name} must be a positive ${integer ? 'whole ' : ''}number, got "${v}"`);
  }
  return x;
}

/** A seed: a whole number 0..2^32-1. */
export function seedOption(name: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new SchedError('USAGE', `${name} must be a whole number 0..4294967295, got "${v}"`);
  return Number(v);
}
