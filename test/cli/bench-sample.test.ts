import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { trainTinyRun } from '../helpers/tiny-run.js';

test('sched bench sample: time per schedule of the model and the rule, plain and best of N', async () => {
  const { run } = await trainTinyRun();
  const model = join(run, 'checkpoints/toy_normal/best');
  const snapshot = join(process.cwd(), 'snapshots/edge_case_hot_machine.json');
  const r = await runCli(['bench', 'sample', '--model', model, '--snapshot', snapshot, '--samples', '0,3', '--rule', 'edd', '--repeats', '1', '--backend', 'cpu', '--json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { policy: string; samples: number; wall_ms: number; cpu_ms: number; on_time_rate: number; mean_days_late: number; repeats: number }[];
  assert.deepEqual(rows.map((x) => `${x.policy}/${x.samples}`), ['ppo/0', 'edd/0', 'ppo/3', 'edd/3']);
  for (const x of rows) {
    assert.ok(x.wall_ms > 0 && x.cpu_ms >= 0 && x.repeats === 1, JSON.stringify(x));
    assert.ok(x.on_time_rate >= 0 && x.on_time_rate <= 1);
  }
  // best of 3 + the plain run is not worse than the plain run on the first KPI
  assert.ok(rows[2].on_time_rate >= rows[0].on_time_rate && rows[3].on_time_rate >= rows[1].on_time_rate);

  const table = await runCli(['bench', 'sample', '--model', model, '--snapshot', snapshot, '--samples', '2', '--repeats', '1', '--backend', 'cpu']);
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /^sampling benchmark: edge_case_hot_machine \(12 jobs, 56 tasks, \d+ machines\), median of 1/);
  assert.match(table.out, /^atc +2 +\d+ +\(\d+\) +[\d.]+% +[\d.]+$/m);

  // without --model, the rule alone; at epsilon 0 every randomized run is the plain rule
  const rule = await runCli(['bench', 'sample', '--snapshot', snapshot, '--samples', '0,4', '--rule', 'atc', '--epsilon', '0', '--repeats', '1', '--json']);
  assert.equal(rule.code, 0, rule.err);
  const ruleRows = JSON.parse(rule.out) as typeof rows;
  assert.deepEqual(ruleRows.map((x) => `${x.policy}/${x.samples}`), ['atc/0', 'atc/4']);
  assert.equal(ruleRows[1].on_time_rate, ruleRows[0].on_time_rate);
  assert.equal(ruleRows[1].mean_days_late, ruleRows[0].mean_days_late);

  const bad = await runCli(['bench', 'sample', '--model', model, '--samples', '1,x']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--samples takes whole numbers >= 0 separated by commas, got "1,x"/);
  const eps = await runCli(['bench', 'sample', '--epsilon', '1.5']);
  assert.equal(eps.code, 2);
  assert.match(eps.err, /--epsilon must be a number from 0 to 1, got "1.5"/);
});
