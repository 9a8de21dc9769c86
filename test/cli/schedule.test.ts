import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toSnapshotFile } from '../../src/data/snapshots/load.js';
import { runCli } from '../helpers/cli.js';
import { scheduleFaults } from '../../src/evaluation/check.js';
import { checkSchedule } from '../helpers/feasibility.js';
import { randomSnapshot } from '../helpers/random-snapshot.js';
import { trainTinyRun } from '../helpers/tiny-run.js';
import { pngStats } from '../viz/png.js';

/** The tiny trained run, trained once for this file's tests. */
let tiny: ReturnType<typeof trainTinyRun> | undefined;
const tinyRun = () => (tiny ??= trainTinyRun());

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
  assert.deepEqual(scheduleFaults(s, exp), []);
  assert.ok(exp.assignments.every((a: { machines: unknown }) => Array.isArray(a.machines)));
});

test('sched schedule --model: a trained bundle builds a complete feasible schedule; --gantt draws it', async () => {
  const { dir, s } = workdir();
  const { run } = await tinyRun();
  const model = join(run, 'checkpoints/toy_normal/best');
  const r = await runCli(['schedule', '--snapshot', 'snap.json', '--model', model, '--out', 'ppo.json', '--gantt', 'ppo.png', '--backend', 'cpu'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wrote ppo\.json: ppo on random_11, (\d+)\/\1 tasks/);
  assert.match(r.out, /wrote ppo\.png: Gantt chart 1400x\d+, 3 machine rows/);
  const exp = JSON.parse(readFileSync(join(dir, 'ppo.json'), 'utf8'));
  assert.equal(exp.policy, 'ppo');
  assert.equal(exp.metrics.invalid_actions, 0);
  assert.deepEqual(scheduleFaults(s, exp), []);
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

test('sched schedule --samples: best of N sampled rollouts (--model) or randomized runs (--rule), deterministic given --seed', async () => {
  const { dir, s } = workdir();
  const { run } = await tinyRun();
  const model = join(run, 'checkpoints/toy_normal/best');
  const det = await runCli(['schedule', '--snapshot', 'snap.json', '--model', model, '--out', 'det.json', '--backend', 'cpu'], dir);
  assert.equal(det.code, 0, det.err);
  const r = await runCli(['schedule', '--snapshot', 'snap.json', '--model', model, '--samples', '8', '--out', 's8.json', '--backend', 'cpu'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wrote s8\.json: ppo_best8 on random_11, (\d+)\/\1 tasks/);
  assert.match(r.out, /best of 9 runs by on-time rate, then mean days late, then makespan: (the deterministic run|sampled run [1-8] of 8); the deterministic run gave makespan [\d.]+ h, on time [\d.]+%/);
  const exp = JSON.parse(readFileSync(join(dir, 's8.json'), 'utf8'));
  const detExp = JSON.parse(readFileSync(join(dir, 'det.json'), 'utf8'));
  assert.equal(exp.policy, 'ppo_best8');
  assert.deepEqual(scheduleFaults(s, exp), []);
  const worse = exp.metrics.on_time_rate < detExp.metrics.on_time_rate || (exp.metrics.on_time_rate === detExp.metrics.on_time_rate && exp.metrics.mean_days_late > detExp.metrics.mean_days_late + 1e-9);
  assert.ok(!worse, `best of 9 (${exp.metrics.on_time_rate}, ${exp.metrics.mean_days_late}) is not worse than the deterministic run (${detExp.metrics.on_time_rate}, ${detExp.metrics.mean_days_late})`);
  // the default seed is 0: --seed 0 writes the same file again
  await runCli(['schedule', '--snapshot', 'snap.json', '--model', model, '--samples', '8', '--seed', '0', '--out', 'again.json', '--backend', 'cpu'], dir);
  assert.equal(readFileSync(join(dir, 'again.json'), 'utf8'), readFileSync(join(dir, 's8.json'), 'utf8'));

  const plain = await runCli(['schedule', '--snapshot', 'snap.json', '--rule', 'atc', '--out', 'atc.json'], dir);
  assert.equal(plain.code, 0, plain.err);
  const rule = await runCli(['schedule', '--snapshot', 'snap.json', '--rule', 'atc', '--samples', '16', '--seed', '4', '--out', 'atc16.json'], dir);
  assert.equal(rule.code, 0, rule.err);
  assert.match(rule.out, /wrote atc16\.json: atc_best16 on random_11/);
  assert.match(rule.out, /best of 17 runs by on-time rate, then mean days late, then makespan: (plain atc|randomized run \d+ of 16); plain atc gave /);
  const a = JSON.parse(readFileSync(join(dir, 'atc.json'), 'utf8'));
  const a16 = JSON.parse(readFileSync(join(dir, 'atc16.json'), 'utf8'));
  assert.deepEqual(scheduleFaults(s, a16), []);
  assert.ok(a16.metrics.on_time_rate > a.metrics.on_time_rate || (a16.metrics.on_time_rate === a.metrics.on_time_rate && a16.metrics.mean_days_late <= a.metrics.mean_days_late + 1e-9));

  // --samples takes a positive whole number: one sentence, exit 2, nothing written
  for (const bad of ['0', '-3', '2.5', 'many', '']) {
    const b = await runCli(['schedule', '--snapshot', 'snap.json', '--rule', 'atc', '--samples', bad, '--out', 'bad.json'], dir);
    assert.equal(b.code, 2, `--samples ${bad}`);
    assert.equal(b.err.trim(), `error: --samples must be a positive whole number, got "${bad}"`);
  }
  assert.equal(existsSync(join(dir, 'bad.json')), false);
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
  const both = await runCli(['bench', 'env', '--json', '--seconds', '0.05', '--stages', 'toy_easy', '--envs', '2', '--placement', 'append,fill_gaps']);
  assert.equal(both.code, 0, both.err);
  assert.deepEqual(JSON.parse(both.out).map((x: { placement: string; decisions_per_s: number }) => [x.placement, x.decisions_per_s > 0]), [['append', true], ['fill_gaps', true]]);
  const badPlacement = await runCli(['bench', 'env', '--placement', 'append,gaps']);
  assert.equal(badPlacement.code, 2);
  assert.match(badPlacement.err, /--placement: unknown placement "gaps"/);
});

test('sched schedule --placement fill_gaps builds an active schedule; a bad placement is a usage error', async () => {
  const { dir, s } = workdir();
  const r = await runCli(['schedule', '--snapshot', 'snap.json', '--rule', 'atc', '--placement', 'fill_gaps', '--calendar', 'no_split', '--out', 'atc.json'], dir);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(checkSchedule(s, JSON.parse(readFileSync(join(dir, 'atc.json'), 'utf8')), { active: true, calendarMode: 'no_split' }), []);
  const bad = await runCli(['schedule', '--snapshot', 'snap.json', '--rule', 'atc', '--placement', 'gaps', '--out', 'x.json'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--placement.*gaps.*append, fill_gaps/);
  assert.equal(existsSync(join(dir, 'x.json')), false);
});
