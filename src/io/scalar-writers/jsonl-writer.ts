import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SchedError } from '../../errors.js';
import type { ScalarDump, ScalarWriter } from '../scalar-logger.js';
import { readFileOrFail } from '../read.js';

/** One line of `logs/scalars.jsonl`. `value` is null when the scalar was NaN or infinite. */
export interface ScalarLine {
  stage: string;
  step: number;
  tag: string;
  value: number | null;
  /** Seconds since the Unix epoch. */
  wall: number;
}

/**
 * Appends every scalar of a dump as one JSON line `{"stage","step","tag","value","wall"}` to
 * `path` (normally `<run>/logs/scalars.jsonl`), one write per dump. A kill can cut the last
 * line in half; `readScalarsJsonl` skips such a tail.
 */
export class JsonLinesScalarWriter implements ScalarWriter {
  readonly name = 'jsonl';
  private fd: number | null;

  constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a');
    } catch (err) {
      throw new SchedError('IO', `cannot open scalar log ${path}: ${(err as Error).message}`);
    }
  }

  write(dump: ScalarDump): void {
    if (this.fd === null) throw new SchedError('IO', `scalar log ${this.path} is already closed`);
    let text = '';
    for (const [tag, value] of dump.values) {
      const line: ScalarLine = { stage: dump.stage, step: dump.step, tag, value: Number.isFinite(value) ? value : null, wall: dump.wall };
      text += JSON.stringify(line) + '\n';
    }
    try {
      writeSync(this.fd, text);
    } catch (err) {
      throw new SchedError('IO', `cannot write scalar log ${this.path}: ${(err as Error).message}`);
    }
  }

  close(): void {
    if (this.fd === null) return;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/**
 * Reads `scalars.jsonl` back. A cut last line (a killed writer) is skipped; a bad line
 * elsewhere is an error naming the file and line. Lines of a run resumed from a checkpoint
 * replay steps already logged after it: for each (stage, tag) a line whose step is not after
 * the previous one drops the earlier lines with a step >= its step (as TensorBoard does).
 */
export function readScalarsJsonl(path: string): ScalarLine[] {
  const text = readFileOrFail(path, 'scalar log', 'utf8');
  const lines = text.split('\n');
  const out: ScalarLine[] = [];
  const lastStep = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    let rec: ScalarLine;
    try {
      rec = JSON.parse(lines[i]) as ScalarLine;
      if (typeof rec.stage !== 'string' || typeof rec.tag !== 'string' || typeof rec.step !== 'number') throw new Error('missing fields');
    } catch {
      if (i === lines.length - 1) break; // cut tail: no newline after it
      throw new SchedError('DATA', `${path}: line ${i + 1} is not a scalar record`);
    }
    const key = `${rec.stage}\u0000${rec.tag}`;
    const prev = lastStep.get(key);
    if (prev !== undefined && rec.step <= prev) {
      for (let j = out.length - 1; j >= 0; j--) {
        const o = out[j];
        if (o.stage === rec.stage && o.tag === rec.tag && o.step >= rec.step) out.splice(j, 1);
      }
    }
    lastStep.set(key, rec.step);
    out.push(rec);
  }
  return out;
}
