import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SchedError } from '../../errors.js';
import { decodeEvent, SESSION_START } from './event.js';
import { splitRecords } from './record.js';
import { readFileOrFail } from '../read.js';

export interface ScalarEvent {
  wallTime: number;
  step: number;
  tag: string;
  value: number;
}

export interface EventFileContents {
  path: string;
  /** The `file_version` of the first record ("brain.Event:2"), or null if there was none. */
  fileVersion: string | null;
  fileVersionWallTime: number | null;
  scalars: ScalarEvent[];
  /** Steps of SessionLog START events (written when a run resumes). */
  sessionStarts: number[];
  /** Number of complete records read. */
  records: number;
  /** Byte offset of a truncated last record that was skipped, else null. */
  truncatedAt: number | null;
}

export interface ReadEventsOptions {
  /** Stop quietly at a truncated last record (a writer killed mid-write) instead of throwing. */
  allowTruncatedTail?: boolean;
}

/**
 * Reads a TensorBoard event file back, checking the masked CRC32C of every record's length and
 * data. A CRC mismatch, a malformed Event, or (unless allowed) a truncated tail throws a
 * SchedError('IO') naming the file and the byte offset of the bad record.
 */
export function readEvents(path: string, opts: ReadEventsOptions = {}): EventFileContents {
  const bytes = readFileOrFail(path, 'TensorBoard events file');
  const out: EventFileContents = {
    path,
    fileVersion: null,
    fileVersionWallTime: null,
    scalars: [],
    sessionStarts: [],
    records: 0,
    truncatedAt: null,
  };
  for (const rec of splitRecords(bytes)) {
    if (!rec.ok) {
      if (rec.problem === 'truncated' && opts.allowTruncatedTail) {
        out.truncatedAt = rec.offset;
        break;
      }
      const what = rec.problem === 'truncated' ? 'truncated' : rec.problem === 'length-crc' ? 'length CRC mismatch in' : 'data CRC mismatch in';
      throw new SchedError('IO', `${path}: ${what} the record at byte offset ${rec.offset} (${rec.detail})`);
    }
    let ev;
    try {
      ev = decodeEvent(rec.data);
    } catch (err) {
      throw new SchedError('IO', `${path}: malformed Event in the record at byte offset ${rec.offset} (${(err as Error).message})`);
    }
    out.records += 1;
    if (ev.fileVersion !== undefined && out.fileVersion === null) {
      out.fileVersion = ev.fileVersion;
      out.fileVersionWallTime = ev.wallTime;
    }
    if (ev.sessionLog?.status === SESSION_START) out.sessionStarts.push(ev.step);
    for (const v of ev.summary ?? []) out.scalars.push({ wallTime: ev.wallTime, step: ev.step, tag: v.tag, value: v.value });
  }
  return out;
}

/**
 * Every `events.out.tfevents.*` file of `dir`, in name order (the order TensorBoard reads
 * them), numbers compared as numbers (`.9` before `.10`).
 */
export function listEventFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new SchedError('IO', `cannot list TensorBoard folder ${dir}: ${(err as Error).message}`);
  }
  return names
    .filter((n) => n.startsWith('events.out.tfevents.'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((n) => join(dir, n));
}

/** The scalars of every event file in `dir`, file by file in name order. */
export function readEventDir(dir: string, opts: ReadEventsOptions = {}): ScalarEvent[] {
  return listEventFiles(dir).flatMap((f) => readEvents(f, opts).scalars);
}
