import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { SchedError } from '../errors.js';
import { tempPathFor } from '../io/atomic.js';

/** What `run.lock` holds: who owns the run folder. */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** The command that took it (`train`, `train --resume`). */
  command: string;
}

export interface RunLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** The dead owner whose lock this one replaced (kill -9, power loss), or null. */
  readonly tookOver: LockOwner | null;
  /** Removes the lock if it is still ours; safe to call more than once. */
  release(): void;
}

/** A takeover guard older than this is left over from a crashed process and removed. */
const GUARD_STALE_MS = 10_000;

/**
 * Takes the lock file `path` (one writer per run folder). The file appears atomically with its
 * whole content: it is written under a temporary name, then hard-linked to `path`, which fails
 * if `path` exists (O_EXCL semantics without a moment where the file is empty). A lock held by
 * a live process is refused with a sentence naming its pid and host (IO, exit 5); a lock whose
 * pid no longer exists on this host is taken over (`tookOver` says whose it was). A lock of
 * another host is never taken over: its process cannot be checked from here.
 */
export function acquireRunLock(path: string, command: string): RunLock {
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
  const text = JSON.stringify(owner) + '\n';
  mkdirFor(path);
  if (tryLink(path, text)) return held(path, owner, null);

  const holder = readOwner(path);
  if (holder && !isStale(holder)) throw refused(path, holder);
  // stale (or unreadable: a lock file is written whole, so an unreadable one is debris)
  const guard = `${path}.takeover`;
  if (!takeGuard(guard)) {
    throw new SchedError('IO', `the run folder's lock ${path} is being taken over by another process; try again`);
  }
  try {
    const again = readOwner(path);
    if (again && !isStale(again)) throw refused(path, again);
    rmSync(path, { force: true });
    if (!tryLink(path, text)) throw refused(path, readOwner(path));
    return held(path, owner, again ?? { pid: 0, host: 'unknown', since: 'unknown', command: 'unreadable lock file' });
  } finally {
    rmSync(guard, { force: true });
  }
}

/** The owner recorded in a lock file, or null if there is none or it cannot be parsed. */
export function readOwner(path: string): LockOwner | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  const o = raw as Partial<LockOwner> | null;
  if (!o || typeof o.pid !== 'number' || typeof o.host !== 'string') return null;
  return { pid: o.pid, host: o.host, since: String(o.since ?? 'unknown'), command: String(o.command ?? 'unknown') };
}

/** A lock whose process is gone: same host and no process with its pid. */
export function isStale(o: LockOwner): boolean {
  if (o.host !== hostname()) return false;
  if (o.pid === process.pid) return false;
  try {
    process.kill(o.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function describeOwner(o: LockOwner): string {
  return `pid ${o.pid} on ${o.host} (sched ${o.command}, since ${o.since})`;
}

function refused(path: string, o: LockOwner | null): SchedError {
  const who = o ? describeOwner(o) : 'another process';
  return new SchedError('IO', `the run folder is in use: ${path} is held by ${who}; wait for it to finish, stop it, or use another --out`);
}

function held(path: string, owner: LockOwner, tookOver: LockOwner | null): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const now = readOwner(path);
    if (now && now.pid === owner.pid && now.host === owner.host && now.since === owner.since) rmSync(path, { force: true });
  };
  process.on('exit', release); // also on process.exit() (a second Ctrl-C) and uncaught errors
  return { path, owner, tookOver, release };
}

/** Writes `text` to a temporary file and links it to `path`; false if `path` exists. */
function tryLink(path: string, text: string): boolean {
  const tmp = tempPathFor(path);
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SchedError('IO', `could not create the lock ${path}: ${(err as Error).message}`, [], { cause: err });
  } finally {
    unlinkSync(tmp);
  }
}

/** An exclusive guard file around a takeover, so two processes never both replace one stale lock. */
function takeGuard(guard: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(guard, 'wx'));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (existsSync(guard) && Date.now() - statMtime(guard) <= GUARD_STALE_MS) return false;
      rmSync(guard, { force: true }); // left by a crashed process (or just released): try once more
    }
  }
  return false;
}

function statMtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function mkdirFor(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new SchedError('IO', `could not create the run folder ${dir}: ${(err as Error).message}`, [], { cause: err });
  }
}
