import { SchedError } from '../errors.js';
import { BACKEND_CHOICES, type BackendChoice } from '../ppo/backend.js';

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

/** A `--backend` value: one of BACKEND_CHOICES, or a USAGE error listing them. */
export function backendOption(v: string): BackendChoice {
  if (!BACKEND_CHOICES.includes(v as BackendChoice)) throw new SchedError('USAGE', `unknown backend "${v}": choose one of ${BACKEND_CHOICES.join(', ')}`);
  return v as BackendChoice;
}
