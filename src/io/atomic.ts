import { mkdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { SchedError } from '../errors.js';

let counter = 0;

/** A temporary path beside `path` (same directory, so the final rename is atomic). */
export function tempPathFor(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
}

/**
 * Writes `data` to `path` atomically: to a temporary file in the same folder, fsync, then
 * rename over the target. A kill at any moment leaves either the old file or the new one,
 * never a broken one. Failures (full disk, permissions) are reported with the path.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    const reason = err instanceof Error ? err.message : String(err);
    throw new SchedError('IO', `could not write ${path}: ${reason}`, [], { cause: err });
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
