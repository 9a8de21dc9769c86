import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { SchedError } from '../../errors.js';
import { encodeEvent, FILE_VERSION, SESSION_START, type TbEvent } from './event.js';
import { frameRecord } from './record.js';

export interface EventWriterOptions {
  /** Clock in milliseconds (default Date.now); wall times are written in seconds. */
  now?: () => number;
  hostname?: string;
  pid?: number;
  /** fsync the file on every flush (default true), so even a power loss keeps flushed events. */
  fsync?: boolean;
  /** Flush automatically once this many bytes are pending (default 64 KiB). */
  maxPendingBytes?: number;
}

let fileCounter = 0;

/**
 * Writes one TensorBoard event file `events.out.tfevents.<unix s>.<host>.<pid>.<counter>` in
 * `dir`, like TensorFlow's EventFileWriter: the first record is the `file_version` event,
 * then one Event per scalar. Records are buffered until `flush()` (or until
 * `maxPendingBytes`), then appended in one write: a kill loses at most the unflushed tail, and
 * a record cut in half by a kill is a truncated tail that TensorBoard (and `readEvents` with
 * `allowTruncatedTail`) skip. Every writer opens a new file; a resumed run writes a new file in
 * the same folder and TensorBoard reads them all.
 */
export class EventWriter {
  readonly path: string;
  private fd: number | null;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly now: () => number;
  private readonly fsync: boolean;
  private readonly maxPendingBytes: number;

  constructor(dir: string, opts: EventWriterOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.fsync = opts.fsync ?? true;
    this.maxPendingBytes = opts.maxPendingBytes ?? 65536;
    const seconds = Math.floor(this.now() / 1000);
    const host = opts.hostname ?? osHostname();
    const pid = opts.pid ?? process.pid;
    let opened: { path: string; fd: number } | null = null;
    try {
      mkdirSync(dir, { recursive: true });
      while (opened === null) {
        fileCounter += 1;
        const path = join(dir, `events.out.tfevents.${seconds}.${host}.${pid}.${fileCounter}`);
        try {
          opened = { path, fd: openSync(path, 'wx') };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
    } catch (err) {
      throw ioError(`could not create a TensorBoard events file in ${dir}`, err);
    }
    this.path = opened.path;
    this.fd = opened.fd;
    this.append({ wallTime: this.now() / 1000, step: 0, fileVersion: FILE_VERSION });
    this.flush();
  }

  /** One scalar at `step` (int64; the global timestep). `wallTime` in seconds, default now. */
  addScalar(tag: string, value: number, step: number, wallTime?: number): void {
    this.append({ wallTime: wallTime ?? this.now() / 1000, step, summary: [{ tag, value }] });
  }

  /**
   * A SessionLog START at `step`: TensorBoard then discards events of older files with a step
   * >= `step` (written after the checkpoint a run was resumed from, then replayed).
   */
  addSessionStart(step: number, wallTime?: number): void {
    this.append({ wallTime: wallTime ?? this.now() / 1000, step, sessionLog: { status: SESSION_START } });
  }

  /** Appends every pending record to the file (one write) and fsyncs it. */
  flush(): void {
    const fd = this.openFd();
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      let done = 0;
      while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
      if (this.fsync) fsyncSync(fd);
    } catch (err) {
      throw ioError(`could not write TensorBoard events file ${this.path}`, err);
    }
  }

  /** Flushes and closes the file; later calls do nothing. */
  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  get closed(): boolean {
    return this.fd === null;
  }

  private append(ev: TbEvent): void {
    if (!Number.isSafeInteger(ev.step)) throw new RangeError(`TensorBoard step must be a safe integer, got ${ev.step}`);
    this.openFd();
    const rec = frameRecord(encodeEvent(ev));
    this.pending.push(rec);
    this.pendingBytes += rec.length;
    if (this.pendingBytes >= this.maxPendingBytes) this.flush();
  }

  private openFd(): number {
    if (this.fd === null) throw new SchedError('IO', `TensorBoard events file ${this.path} is already closed`);
    return this.fd;
  }
}

function ioError(what: string, err: unknown): SchedError {
  const reason = err instanceof Error ? err.message : String(err);
  return new SchedError('IO', `${what}: ${reason}`, [], { cause: err });
}
