import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toSnapshotFile } from '../../src/data/snapshots/load.js';
import { runCli } from '../helpers/cli.js';
import { checkSchedule } from '../helpers/feasibility.js';
import { randomSnapshot } from '../helpers/random-snapshot.js';
import { trainTinyRun } from '../helpers/tiny-run.js';
import { pngStats } from '../viz/png.js';

function workdir() {
  const dir = mkdtempSync(join(tmpdir(), 'sched-schedule-'));
  const s = randomSnapshot(11, { jobs: 10, machines: 3, calendars: true, releases: true });
  writeFileSync(join(dir, 'snap.json'), JSON.stringify(toSnapshotFile(s)));
  return { dir, s };
}

test('sched schedule --rule edd writes a feasible schedule JSON', async () => {
  const { dir, s } = workdir();
  const r = await runCli(['schedule', '--snapshot', 'snap.json', '--rule', 'edd', '--out', 'out/edd.json'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wrote out\/edd\.json: edd on random_11, \d+\/\d+ tasks, makespan/);
  const exp = JSON.parse(readFileSync(join(dir, 'out/edd.json'), 'utf8'));
  assert.equal(exp.policy, 'edd');
  assert.equal(exp.snapshot, 'random_11');
  assert.equal(exp.metrics.completion_rate, 1);
  for (const key of ['makespan', 'completion_rate', 'on_time_rate', 'mean_days_late']) assert.equal(typeof exp.metrics[key], 'number');
  assert.deepEqual(checkSchedule(s, exp), []);
  assert.ok(exp.assignments.every((a: { machines: unknown }) => Array.isArray(a.machines)));
});

test('sched schedule --model: a trained bundle builds a complete feasible schedule; --gantt draws it', async () => {
  const { dir, s } = workdir();
  const { run } = await trainTinyRun();
  const model = join(run, 'checkpoints/toy_normal/best');
  const r = await runCli(['schedule', '--snapshot', 'snap.json', '--model', model, '--out', 'ppo.json', '--gantt', 'ppo.png', '--backend', 'cpu'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wrote ppo\.json: ppo on random_11, (\d+)\/\1 tasks/);
  assert.match(r.out, /wrote ppo\.png: Gantt chart 1400x\d+, 3 machine rows/);
  const exp = JSON.parse(readFileSync(join(dir, 'ppo.json'), 'utf8'));
  assert.equal(exp.policy, 'ppo');
  assert.equal(exp.metrics.invalid_actions, 0);
  assert.deepEqual(checkSchedule(s, exp), []);
  const png = await pngStats(join(dir, 'ppo.png'));
  assert.ok(png.width === 1400 && png.colors > 20 && png.nonWhite > 0.05, JSON.stringify(png));

  const rule = await runCli(['schedule', '--snapshot', 'snap.json', '--rule', 'atc', '--out', 'atc.json', '--gantt', 'g/atc.png'], dir);
  assert.equal(rule.code, 0, rule.err);
  assert.ok((await pngStats(join(dir, 'g/atc.png'))).nonWhite > 0.05);

  const missing = await runCli(['schedule', '--snapshot', 'snap.json', '--model', 'checkpoints/x/best', '--out', 'm.json'], dir);
  assert.equal(missing.code, 6);
  assert.ok(missing.err.includes(`no checkpoint at ${join(dir, 'checkpoints/x/best')}`), missing.err);
  assert.equal(existsSync(join(dir, 'm.json')), false);
  const notPng = await runCli(['schedule', '--snapshot', 'snap.json', '--rule', 'edd', '--out', 'e.json', '--gantt', 'chart.jpg'], dir);
  assert.equal(notPng.code, 2);
  assert.match(notPng.err, /--gantt writes a PNG file/);
});

test('sched schedule: usage errors name the problem', async () => {
  const { dir } = workdir();
  const unknown = await runCli(['schedule', '--snapshot', 'snap.json', '--rule', 'nope', '--out', 'x.json'], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown rule "nope"; choose one of random, fifo, edd/);
  const neither = await runCli(['schedule', '--snapshot', 'snap.json', '--out', 'x.json'], dir);
  assert.equal(neither.code, 2);
  assert.match(neither.err, /exactly one of --rule NAME or --model DIR/);
  const missing = await runCli(['schedule', '--snapshot', 'none.json', '--rule', 'edd', '--out', 'x.json'], dir);
  assert.equal(missing.code, 5);
  assert.match(missing.err, /cannot read snapshot .*none\.json: no such file/);
  assert.equal(existsSync(join(dir, 'x.json')), false);
});

test('sched bench env --json prints one row per stage', async () => {
  const r = await runCli(['bench', 'env', '--json', '--seconds', '0.05', '--stages', 'toy_easy', '--envs', '2']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].stage, 'toy_easy');
  assert.equal(rows[0].jobs, 5);
  assert.equal(rows[0].machines, 3);
  assert.ok(rows[0].decisions_per_s > 0);
  const bad = await runCli(['bench', 'env', '--stages', 'nope']);
  assert.notEqual(bad.code, 0);
});
