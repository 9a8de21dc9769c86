import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINE_NAMES } from '../../src/baselines/index.js';
import { loadSnapshotFile } from '../../src/data/snapshots/load.js';
import type { Snapshot } from '../../src/data/snapshots/schema.js';
import type { ScheduleExport } from '../../src/env/schedule-export.js';
import { runCli } from '../helpers/cli.js';
import { trainTinyRun } from '../helpers/tiny-run.js';

let tiny: { dir: string; run: string; config: string };
let taillardDir: string;
before(async () => {
  tiny = await trainTinyRun();
  taillardDir = mkdtempSync(join(tmpdir(), 'sched-jssp-'));
});

/**
 * A job-shop schedule checker written from the problem's definition alone (no simulator code):
 * every operation exactly once, on its machine, for its processing time; each job's operations
 * in order; no two operations overlapping on a machine. Returns the problems (empty = feasible).
 */
function jobShopProblems(s: Snapshot, exp: ScheduleExport): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const a of exp.assignments) seen.set(a.task, (seen.get(a.task) ?? 0) + 1);
  const byTask = new Map(exp.assignments.map((a) => [a.task, a]));
  const onMachine = new Map<string, { start: number; end: number; task: string }[]>();
  for (const job of s.jobs) {
    let ready = 0;
    for (const t of job.tasks) {
      if (seen.get(t.id) !== 1) problems.push(`${t.id} scheduled ${seen.get(t.id) ?? 0} times`);
      const a = byTask.get(t.id);
      if (!a) continue;
      if (a.job !== job.id) problems.push(`${t.id} exported under ${a.job}`);
      if (a.machines.length !== 1 || a.machines[0] !== t.machines[0]) problems.push(`${t.id} on ${a.machines.join(',')}, needs ${t.machines[0]}`);
      if (Math.abs(a.end - a.start - t.duration) > 1e-9) problems.push(`${t.id} lasts ${a.end - a.start}, needs ${t.duration}`);
      if (a.start < ready - 1e-9) problems.push(`${t.id} starts at ${a.start} before its predecessor ends at ${ready}`);
      ready = a.end;
      const list = onMachine.get(t.machines[0]) ?? [];
      list.push({ start: a.start, end: a.end, task: t.id });
      onMachine.set(t.machines[0], list);
    }
  }
  for (const a of exp.assignments) if (!byTask.has(a.task) || !s.jobs.some((j) => j.tasks.some((t) => t.id === a.task))) problems.push(`unknown task ${a.task}`);
  for (const [m, list] of onMachine) {
    list.sort((x, y) => x.start - y.start);
    for (let i = 1; i < list.length; i++) if (list[i].start < list[i - 1].end - 1e-9) problems.push(`${m}: ${list[i].task} overlaps ${list[i - 1].task}`);
  }
  const makespan = Math.max(...exp.assignments.map((a) => a.end));
  if (Math.abs(makespan - exp.metrics.makespan) > 1e-9) problems.push(`metrics.makespan ${exp.metrics.makespan}, latest end ${makespan}`);
  return problems;
}

test('snapshots generate --taillard writes ta01..ta03 (JSON + text) that validate and import back', async () => {
  const r = await runCli(['snapshots', 'generate', '--taillard', 'ta01..ta03', '--text', '--dir', taillardDir]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(taillardDir).sort(), ['ta01.json', 'ta01.txt', 'ta02.json', 'ta02.txt', 'ta03.json', 'ta03.txt']);
  const ta01 = loadSnapshotFile(join(taillardDir, 'ta01.json'));
  assert.equal(ta01.meta!.bestKnownMakespan, 1231);
  const back = await runCli(['snapshots', 'import', '--format', 'taillard', join(taillardDir, 'ta02.txt'), '--out', join(taillardDir, 'ta02-imported.json')]);
  assert.equal(back.code, 0, back.err);
  assert.deepEqual(loadSnapshotFile(join(taillardDir, 'ta02-imported.json')).jobs, loadSnapshotFile(join(taillardDir, 'ta02.json')).jobs);
  const bad = await runCli(['snapshots', 'generate', '--taillard', 'ta00', '--dir', taillardDir]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown Taillard instance "ta00"/);
});

test('exported job-shop schedules (every rule, and PPO) are feasible: precedence, no machine overlap, each operation once', async () => {
  const snapPath = join(taillardDir, 'ta01.json');
  const snap = loadSnapshotFile(snapPath);
  const out = mkdtempSync(join(tmpdir(), 'sched-jssp-out-'));
  const runs = [...BASELINE_NAMES.map((r) => ['--rule', r]), ['--model', join(tiny.run, 'checkpoints', 'toy_normal', 'best')]];
  for (const how of runs) {
    const file = join(out, `${how[1].replace(/\W/g, '_')}.json`);
    const r = await runCli(['schedule', '--snapshot', snapPath, ...how, '--out', file]);
    assert.equal(r.code, 0, r.err);
    const exp = JSON.parse(readFileSync(file, 'utf8')) as ScheduleExport;
    assert.equal(exp.assignments.length, 225);
    assert.deepEqual(jobShopProblems(snap, exp), [], how.join(' '));
    assert.ok(exp.metrics.makespan >= 977, 'not below Taillard\'s lower bound');
  }
  // the checker does catch each kind of violation
  const exp = JSON.parse(readFileSync(join(out, 'mopnr.json'), 'utf8')) as ScheduleExport;
  const moved = structuredClone(exp);
  const second = moved.assignments.find((a) => a.task === 'J1.2')!;
  second.start -= 1000;
  second.end -= 1000;
  assert.ok(jobShopProblems(snap, moved).some((p) => /J1\.2 starts at .* before its predecessor/.test(p)));
  const twice = structuredClone(exp);
  twice.assignments.push({ ...twice.assignments[0] });
  assert.ok(jobShopProblems(snap, twice).some((p) => /scheduled 2 times/.test(p)));
  const overlap = structuredClone(exp);
  const m0 = overlap.assignments.filter((a) => a.machines[0] === 'M0').sort((a, b) => a.start - b.start);
  m0[1].start = m0[0].start;
  m0[1].end = m0[0].start + (m0[1].end - m0[1].start);
  assert.ok(jobShopProblems(snap, overlap).some((p) => /M0: .* overlaps/.test(p)));
});

test('bench jssp: the gap to the best-known makespan per instance and its mean, for a model and the rules', async () => {
  const r = await runCli(['bench', 'jssp', '--instances', 'ta01..ta02,ta05', '--rules', 'spt,mwkr,mopnr', '--model', join(tiny.run, 'checkpoints', 'toy_normal', 'best'), '--json']);
  assert.equal(r.code, 0, r.err);
  const b = JSON.parse(r.out) as { instances: { name: string; best_known: number }[]; rows: { policy: string; makespans: number[]; gaps: number[]; mean_gap: number; schedule_ms: number }[] };
  assert.deepEqual(b.instances, [{ name: 'ta01', best_known: 1231 }, { name: 'ta02', best_known: 1244 }, { name: 'ta05', best_known: 1224 }]);
  assert.deepEqual(b.rows.map((x) => x.policy), ['ppo', 'spt', 'mwkr', 'mopnr']);
  for (const row of b.rows) {
    row.gaps.forEach((g, i) => assert.ok(Math.abs(g - (row.makespans[i] / b.instances[i].best_known - 1)) < 1e-12));
    assert.ok(Math.abs(row.mean_gap - row.gaps.reduce((a, g) => a + g, 0) / 3) < 1e-12);
    assert.ok(row.gaps.every((g) => g > 0), `${row.policy}: no schedule beats the optimum`);
    assert.ok(row.schedule_ms > 0);
  }
  // the same makespan as sched schedule writes for the rule
  const file = join(taillardDir, 'mopnr-ta01.json');
  await runCli(['schedule', '--snapshot', join(taillardDir, 'ta01.json'), '--rule', 'mopnr', '--out', file]);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).metrics.makespan, b.rows[3].makespans[0]);

  // best of N: the sampled policy and the best rule randomized, never worse than their plain run
  const sampled = await runCli(['bench', 'jssp', '--instances', 'ta01..ta02', '--rules', 'spt,mopnr', '--model', join(tiny.run, 'checkpoints', 'toy_normal', 'best'), '--samples', '3', '--json']);
  assert.equal(sampled.code, 0, sampled.err);
  const s = JSON.parse(sampled.out) as typeof b;
  assert.deepEqual(s.rows.map((x) => x.policy), ['ppo', 'ppo_best3', 'spt', 'mopnr', 'mopnr_best3']);
  const row = (p: string) => s.rows.find((x) => x.policy === p)!;
  row('ppo').gaps.forEach((g, i) => assert.ok(row('ppo_best3').gaps[i] <= g));
  row('mopnr').gaps.forEach((g, i) => assert.ok(row('mopnr_best3').gaps[i] <= g));
  const noModel = await runCli(['bench', 'jssp', '--samples', '3']);
  assert.equal(noModel.code, 2);
  assert.match(noModel.err, /--samples samples a trained policy: give --model DIR too/);

  const table = await runCli(['bench', 'jssp', '--instances', 'ta01', '--rules', 'mopnr,spt']);
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /^policy\s+mean gap\s+ta01\s+ms\/schedule$/m);
  assert.match(table.out, /^best known\s+1231$/m);
  assert.match(table.out, /^mopnr\s+\d+\.\d%\*/m);
});

test('bench jssp refuses snapshots without a best-known makespan, unknown rules, and nothing to run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-jssp-bad-'));
  writeFileSync(join(dir, 'ft06.txt'), readFileSync(new URL('../fixtures/ft06.txt', import.meta.url)));
  assert.equal((await runCli(['snapshots', 'import', '--format', 'taillard', 'ft06.txt', '--out', 'ft06.json'], dir)).code, 0);
  const noBest = await runCli(['bench', 'jssp', '--snapshot', 'ft06.json', '--rules', 'spt'], dir);
  assert.equal(noBest.code, 4);
  assert.match(noBest.err, /ft06 has no best-known makespan \(meta\.bestKnownMakespan/);
  assert.equal((await runCli(['snapshots', 'import', '--format', 'taillard', 'ft06.txt', '--out', 'ft06b.json', '--best-known', '55'], dir)).code, 0);
  const ok = await runCli(['bench', 'jssp', '--snapshot', 'ft06b.json', '--rules', 'mopnr', '--json'], dir);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(JSON.parse(ok.out).instances[0].best_known, 55);
  const badBest = await runCli(['snapshots', 'import', '--format', 'taillard', 'ft06.txt', '--out', 'x.json', '--best-known', '-3'], dir);
  assert.equal(badBest.code, 2);
  assert.match(badBest.err, /--best-known must be a positive number, got "-3"/);
  const rule = await runCli(['bench', 'jssp', '--rules', 'spt,nope']);
  assert.equal(rule.code, 2);
  assert.match(rule.err, /unknown rule "nope"/);
  const placement = await runCli(['bench', 'jssp', '--rules', 'mopnr', '--placement', 'gaps']);
  assert.equal(placement.code, 2);
  assert.match(placement.err, /--placement <mode>' argument 'gaps' is invalid/);
  const none = await runCli(['bench', 'jssp', '--rules', 'none']);
  assert.equal(none.code, 2);
  assert.match(none.err, /nothing to benchmark/);
});
