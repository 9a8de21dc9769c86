import { readFileSync } from 'node:fs';
import { SchedError, type ErrorCode } from '../errors.js';
import { jsonErrorPosition } from './json-position.js';

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

/** Parses JSON text read from `path`; bad JSON is one sentence with its line and column, as a `code` error. */
export function parseJsonOrFail(text: string, path: string, code: ErrorCode): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const pos = jsonErrorPosition(text);
    const what = pos.offset < text.length ? `unexpected ${JSON.stringify(text[pos.offset])}` : 'unexpected end of file';
    throw new SchedError(code, `${path} is not valid JSON: ${what} at line ${pos.line} column ${pos.column}`);
  }
}
