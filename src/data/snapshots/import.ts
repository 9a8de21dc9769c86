import { basename, extname } from 'node:path';
import { SchedError } from '../../errors.js';
import type { SnapshotFile } from './schema.js';
import { BEST_KNOWN_KEY } from './taillard.js';

/**
 * Standard benchmark instances as snapshots (`sched snapshots import`). Job i (1-based, in
 * file order) becomes `J{i}`, its k-th operation `J{i}.{k}` with seq k; machine m becomes
 * `M{m}` numbered as the file numbers them (0-based in Taillard's standard format, 1-based in
 * Brandimarte's). No due dates: the objective is makespan. Every machine is its own type.
 *
 * - taillard (standard job-shop text, as in OR-Library/JSPLIB): first line `n m`, then n lines
 *   of m pairs `machine time`, machines 0-based. Also Taillard's original layout: a header
 *   line whose first two numbers are n and m, then `Times` (n lines of m times) and `Machines`
 *   (n lines of m machines, 1-based, mapped to M0..M{m-1}).
 * - brandimarte (flexible job-shop, .fjs): first line `n m [average machines per operation]`,
 *   then one line per job: its number of operations, then per operation k followed by k pairs
 *   `machine time`, machines 1-based.
 *
 * The header's upper bound (Taillard's layout) becomes `meta.bestKnownMakespan`, the reference
 * of `sched bench jssp`; `sched snapshots import --best-known N` sets or overrides it.
 *
 * Lines may carry `#` comments; blank lines are skipped. A bad file is refused with its line
 * number and what was expected there.
 */

export type ImportFormat = 'taillard' | 'brandimarte';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['taillard', 'brandimarte'];

interface Line {
  no: number;
  text: string;
}

type FileJob = SnapshotFile['jobs'][number];
type FileTask = FileJob['tasks'][number];

class Reader {
  constructor(readonly source: string) {}

  fail(line: number | null, msg: string): never {
    throw new SchedError('DATA', `${this.source}${line === null ? '' : ` line ${line}`}: ${msg}`);
  }

  numbers(l: Line): number[] {
    return l.text
      .trim()
      .split(/[\s,]+/)
      .filter((t) => t.length > 0)
      .map((t) => {
        const v = Number(t);
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || !Number.isFinite(v)) this.fail(l.no, `"${t}" is not a number`);
        return v;
      });
  }

  count(l: Line, v: number, what: string): number {
    if (!Number.isInteger(v) || v < 1) this.fail(l.no, `${what} must be a whole number >= 1, got ${v}`);
    return v;
  }

  time(l: Line, v: number, where: string): number {
    if (!(v > 0)) this.fail(l.no, `${where}: processing time must be > 0, got ${v}`);
    return v;
  }

  machine(l: Line, v: number, lo: number, hi: number, where: string): number {
    if (!Number.isInteger(v) || v < lo || v > hi) this.fail(l.no, `${where}: machine ${v} is not one of ${lo}..${hi}`);
    return v;
  }
}

function contentLines(text: string): Line[] {
  const out: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.replace(/#.*$/, '').trim();
    if (t.length > 0) out.push({ no: i + 1, text: t });
  });
  return out;
}

const isNumeric = (l: Line) => /^[\d\s.,+eE-]+$/.test(l.text);

function snapshot(source: string, format: ImportFormat, machines: number, base: number, jobs: FileJob[], meta: Record<string, unknown>): SnapshotFile {
  const name = basename(source, extname(source));
  return {
    version: 1,
    name,
    objective: 'makespan',
    machines: Array.from({ length: machines }, (_, k) => ({ id: `M${k + base}`, type: `M${k + base}` })),
    calendars: {},
    jobs,
    meta: { source: basename(source), format, jobs: jobs.length, machines, ...meta },
  };
}

function task(job: number, k: number, duration: number, machines: string[]): FileTask {
  return { id: `J${job}.${k}`, seq: k, duration, machines };
}

function endOfFile(r: Reader, lines: Line[], expected: string): never {
  const last = lines.length > 0 ? lines[lines.length - 1].no : 0;
  return r.fail(null, `the file ends after line ${last}; expected ${expected}`);
}

function importTaillard(text: string, source: string): SnapshotFile {
  const r = new Reader(source);
  const lines = contentLines(text);
  const timesAt = lines.findIndex((l) => /^times$/i.test(l.text));
  const machinesAt = lines.findIndex((l) => /^machines$/i.test(l.text));
  if (timesAt >= 0 || machinesAt >= 0) return importTaillardSections(r, lines, timesAt, machinesAt);

  if (lines.length === 0) r.fail(null, 'empty file; expected a first line "n m" (jobs machines)');
  const head = r.numbers(lines[0]);
  if (head.length !== 2) r.fail(lines[0].no, `expected 2 numbers "n m" (jobs machines), got ${head.length}`);
  const n = r.count(lines[0], head[0], 'the number of jobs');
  const m = r.count(lines[0], head[1], 'the number of machines');
  const jobs: FileJob[] = [];
  for (let i = 1; i <= n; i++) {
    const l = lines[i] ?? endOfFile(r, lines, `${n} job lines after the header, found ${i - 1}`);
    const v = r.numbers(l);
    if (v.length !== 2 * m) r.fail(l.no, `expected ${2 * m} numbers (${m} pairs machine time), got ${v.length}`);
    const tasks: FileTask[] = [];
    for (let k = 1; k <= m; k++) {
      const mach = r.machine(l, v[2 * k - 2], 0, m - 1, `operation ${k}`);
      tasks.push(task(i, k, r.time(l, v[2 * k - 1], `operation ${k}`), [`M${mach}`]));
    }
    jobs.push({ id: `J${i}`, release: 0, important: false, tasks });
  }
  if (lines.length > n + 1) r.fail(lines[n + 1].no, `expected the end of the file after ${n} job lines, found more`);
  return snapshot(source, 'taillard', m, 0, jobs, {});
}

function importTaillardSections(r: Reader, lines: Line[], timesAt: number, machinesAt: number): SnapshotFile {
  if (timesAt < 0) r.fail(lines[machinesAt].no, 'a "Machines" section without a "Times" section before it');
  if (machinesAt < 0) r.fail(lines[timesAt].no, 'a "Times" section without a "Machines" section after it');
  if (machinesAt < timesAt) r.fail(lines[machinesAt].no, 'the "Machines" section must come after "Times"');
  const headAt = lines.slice(0, timesAt).findIndex(isNumeric);
  if (headAt < 0) r.fail(lines[timesAt].no, 'expected a line "n m ..." (jobs machines) before "Times"');
  const headLine = lines[headAt];
  const head = r.numbers(headLine);
  if (head.length < 2) r.fail(headLine.no, `expected at least 2 numbers "n m" (jobs machines), got ${head.length}`);
  const n = r.count(headLine, head[0], 'the number of jobs');
  const m = r.count(headLine, head[1], 'the number of machines');
  const section = (at: number, what: string, end: number): Line[] => {
    const rows = lines.slice(at + 1, end);
    if (rows.length < n) {
      const after = rows.length > 0 ? rows[rows.length - 1].no : lines[at].no;
      r.fail(after + 1, `expected ${n} lines of ${m} ${what} in the "${lines[at].text}" section, found ${rows.length}`);
    }
    if (rows.length > n) r.fail(rows[n].no, `expected ${n} lines in the "${lines[at].text}" section, found more`);
    return rows;
  };
  const timeRows = section(timesAt, 'processing times', machinesAt);
  const machineRows = section(machinesAt, 'machine numbers', lines.length);
  const jobs: FileJob[] = [];
  for (let i = 1; i <= n; i++) {
    const tl = timeRows[i - 1];
    const ml = machineRows[i - 1];
    const times = r.numbers(tl);
    const machs = r.numbers(ml);
    if (times.length !== m) r.fail(tl.no, `expected ${m} processing times, got ${times.length}`);
    if (machs.length !== m) r.fail(ml.no, `expected ${m} machine numbers (1..${m}), got ${machs.length}`);
    const tasks: FileTask[] = [];
    for (let k = 1; k <= m; k++) {
      const mach = r.machine(ml, machs[k - 1], 1, m, `operation ${k}`);
      tasks.push(task(i, k, r.time(tl, times[k - 1], `operation ${k}`), [`M${mach - 1}`]));
    }
    jobs.push({ id: `J${i}`, release: 0, important: false, tasks });
  }
  const meta: Record<string, unknown> = { layout: 'taillard-sections' };
  // the upper bound is the best makespan known when the file was written (sched bench jssp's reference)
  if (head.length >= 6) Object.assign(meta, { timeSeed: head[2], machineSeed: head[3], upperBound: head[4], lowerBound: head[5], [BEST_KNOWN_KEY]: head[4] });
  return snapshot(r.source, 'taillard', m, 0, jobs, meta);
}

function importBrandimarte(text: string, source: string): SnapshotFile {
  const r = new Reader(source);
  const lines = contentLines(text);
  if (lines.length === 0) r.fail(null, 'empty file; expected a first line "n m [average]" (jobs machines)');
  const head = r.numbers(lines[0]);
  if (head.length < 2 || head.length > 3) r.fail(lines[0].no, `expected 2 or 3 numbers "n m [average]" (jobs machines), got ${head.length}`);
  const n = r.count(lines[0], head[0], 'the number of jobs');
  const m = r.count(lines[0], head[1], 'the number of machines');
  const jobs: FileJob[] = [];
  for (let i = 1; i <= n; i++) {
    const l = lines[i] ?? endOfFile(r, lines, `${n} job lines after the header, found ${i - 1}`);
    const v = r.numbers(l);
    const ops = r.count(l, v[0], 'the number of operations (first number of a job line)');
    let at = 1;
    const tasks: FileTask[] = [];
    for (let k = 1; k <= ops; k++) {
      if (at >= v.length) r.fail(l.no, `expected ${ops} operations, the line ends after ${k - 1}`);
      const alts = r.count(l, v[at], `operation ${k}: the number of machines`);
      if (at + 1 + 2 * alts > v.length) {
        r.fail(l.no, `operation ${k}: expected ${alts} pairs machine time (${2 * alts} numbers), got ${v.length - at - 1}`);
      }
      const machines: string[] = [];
      const times: number[] = [];
      for (let a = 0; a < alts; a++) {
        const mach = r.machine(l, v[at + 1 + 2 * a], 1, m, `operation ${k}`);
        const id = `M${mach}`;
        if (machines.includes(id)) r.fail(l.no, `operation ${k}: machine ${mach} is listed twice`);
        machines.push(id);
        times.push(r.time(l, v[at + 2 + 2 * a], `operation ${k} on machine ${mach}`));
      }
      at += 1 + 2 * alts;
      tasks.push(flexibleTask(i, k, machines, times));
    }
    if (at !== v.length) r.fail(l.no, `expected ${at} numbers for ${ops} operations, got ${v.length}`);
    jobs.push({ id: `J${i}`, release: 0, important: false, tasks });
  }
  if (lines.length > n + 1) r.fail(lines[n + 1].no, `expected the end of the file after ${n} job lines, found more`);
  return snapshot(source, 'brandimarte', m, 1, jobs, head.length === 3 ? { averageMachinesPerOperation: head[2] } : {});
}

/**
 * A flexible operation. Machine-dependent times go to `durations` (parallel to `machines`);
 * `duration` holds the shortest of them.
 */
function flexibleTask(job: number, k: number, machines: string[], times: number[]): FileTask {
  const t = task(job, k, Math.min(...times), machines);
  if (times.some((x) => x !== times[0])) t.durations = times;
  return t;
}

/** Parses a benchmark instance's text; `source` names the file in error messages and becomes the snapshot's name. */
export function importInstance(text: string, format: ImportFormat, source: string): SnapshotFile {
  return format === 'taillard' ? importTaillard(text, source) : importBrandimarte(text, source);
}
