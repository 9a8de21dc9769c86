/**
 * Training on a plant's history: a stage's `data: { snapshots: GLOB | [paths], eval, test }`
 * names many snapshot files. The split into training, evaluation and test files is decided
 * here, by file name, before anything trains; the held-out files are never trained on.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { SchedError } from '../../errors.js';
import { globFiles, hasWildcard, naturalCompare } from '../../io/glob.js';
import { loadSnapshotFile } from './load.js';
import type { Snapshot } from './schema.js';

/** `data.snapshots` with its held-out rule: a count takes the newest files, a list names them. */
export interface HistorySpec {
  snapshots: string | readonly string[];
  eval: number | readonly string[];
  test: number | readonly string[];
}

/** Files (absolute paths) of each role, and the rule that chose them, in words. */
export interface HistorySplit {
  rule: string;
  train: string[];
  eval: string[];
  test: string[];
}

/** A problem with the spec, at its key (`snapshots`, `snapshots[2]`, `eval[0]`, ...). */
export interface SplitProblem {
  key: (string | number)[];
  message: string;
}

/**
 * Expands the patterns relative to `cwd` and splits the files. "Newest" is the last in natural
 * order of the path (dated names such as `2026-11-30.json` sort by date): the `test` newest
 * files are the test split, the `eval` next newest the evaluation split, the rest trains.
 * Files named in an `eval` or `test` list are taken out of the training files (they may also
 * lie outside the `snapshots` pattern).
 */
export function splitHistory(spec: HistorySpec, cwd: string): { split: HistorySplit | null; problems: SplitProblem[] } {
  const problems: SplitProblem[] = [];
  const expand = (key: 'snapshots' | 'eval' | 'test', patterns: readonly string[], listed: boolean): string[] => {
    const out: string[] = [];
    patterns.forEach((p, i) => {
      const found = globFiles(p, cwd).map((f) => resolve(cwd, f));
      if (found.length === 0) problems.push({ key: listed ? [key, i] : [key], message: hasWildcard(p) ? `"${p}" matches no file` : `no such file "${p}"` });
      out.push(...found);
    });
    return [...new Set(out)].sort(naturalCompare);
  };
  const pool = expand('snapshots', typeof spec.snapshots === 'string' ? [spec.snapshots] : spec.snapshots, typeof spec.snapshots !== 'string');
  const evalList = typeof spec.eval === 'number' ? null : expand('eval', spec.eval, true);
  const testList = typeof spec.test === 'number' ? null : expand('test', spec.test, true);
  if (evalList && testList) {
    const both = evalList.filter((f) => testList.includes(f));
    if (both.length > 0) problems.push({ key: ['test'], message: `${both.length} file(s) are in both the eval and the test list, e.g. "${displayPath(both[0], cwd)}"` });
  }
  if (problems.length > 0) return { split: null, problems };

  let rest = pool.filter((f) => !evalList?.includes(f) && !testList?.includes(f));
  const newest = (n: number): string[] => {
    const taken = rest.slice(Math.max(0, rest.length - n));
    rest = rest.slice(0, rest.length - taken.length);
    return taken;
  };
  const test = testList ?? newest(spec.test as number);
  const evalFiles = evalList ?? newest(spec.eval as number);
  const need = (typeof spec.test === 'number' ? spec.test : 0) + (typeof spec.eval === 'number' ? spec.eval : 0) + 1;
  if (rest.length === 0 || test.length < (typeof spec.test === 'number' ? spec.test : 1) || evalFiles.length < (typeof spec.eval === 'number' ? spec.eval : 1)) {
    problems.push({ key: ['snapshots'], message: `${pool.length} file${pool.length === 1 ? '' : 's'} matched; the held-out split needs ${need} or more so that at least one is left to train on` });
    return { split: null, problems };
  }
  const part = (v: number | readonly string[], what: string) =>
    typeof v === 'number' ? `${what}: the ${v === 1 ? 'newest file' : `${v} newest files`}` : `${what}: the ${v.length} listed`;
  const rule = `${part(spec.test, 'test')}; ${typeof spec.eval === 'number' && typeof spec.test === 'number' ? part(spec.eval, 'eval').replace('newest', 'next newest') : part(spec.eval, 'eval')}; train: the other ${rest.length} (newest = last in natural order of the file path)`;
  return { split: { rule, train: rest, eval: evalFiles, test }, problems: [] };
}

/**
 * Loads and validates every file; if any fails, one SchedError('SNAPSHOT') lists each bad file
 * with all its problems, one line each (`history/d3.json: jobs[2].due: ...`), and nothing is
 * returned half-loaded. Files in `needTasks` must hold a task (they are trained on). Paths are
 * shown relative to `cwd`.
 */
export function loadSnapshotFiles(paths: readonly string[], what: string, cwd: string, opts: { needTasks?: readonly string[] } = {}): Snapshot[] {
  const out: Snapshot[] = [];
  const lines: string[] = [];
  let nBad = 0;
  for (const p of paths) {
    const shown = displayPath(p, cwd);
    try {
      const s = loadSnapshotFile(p);
      if (opts.needTasks?.includes(p) && s.jobs.every((j) => j.tasks.length === 0)) throw new SchedError('SNAPSHOT', `${p} has no tasks to schedule, so it cannot be trained on`);
      out.push(s);
    } catch (err) {
      if (!(err instanceof SchedError)) throw err;
      nBad++;
      const msg = err.message.split(p).join(shown);
      if (err.details.length === 0) lines.push(msg);
      else lines.push(...err.details.map((d) => `${shown}: ${d}`));
    }
  }
  if (nBad > 0) throw new SchedError('SNAPSHOT', `${nBad} of the ${paths.length} snapshot files of ${what} ${nBad === 1 ? 'is' : 'are'} not valid`, lines);
  return out;
}

/** `path` relative to `cwd` when it lies inside it, else as it is. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
