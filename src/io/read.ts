import { readFileSync } from 'node:fs';
import { SchedError } from '../errors.js';

/** Reads a file for the user-facing `what` ("snapshot", "mapping"...): a missing or unreadable file is one sentence naming it. */
export function readFileOrFail(path: string, what: string): Buffer;
export function readFileOrFail(path: string, what: string, encoding: 'utf8'): string;
export function readFileOrFail(path: string, what: string, encoding?: 'utf8'): Buffer | string {
  try {
    return encoding ? readFileSync(path, encoding) : readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new SchedError('IO', `cannot read ${what} ${path}: ${reason}`);
  }
}
