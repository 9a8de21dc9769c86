import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASELINE_NAMES, runBaseline } from '../../src/baselines/index.js';
import { loadSnapshotFile } from '../../src/data/snapshots/load.js';
import { guardedExport, guardSchedules, guardSentences } from '../../src/evaluation/guard.js';

const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');

test('the guard keeps the model when it is the best feasible schedule, ties included, and says by how much it beats the best rule', () => {
  const s = loadSnapshotFile(join(SNAPSHOTS, 'snapshot_rush.json'));
  const rules = BASELINE_NAMES.map((r) => runBaseline(s, r).schedule);
  // a "model" whose schedule is atc's (the best rule here): a tie goes to the model
  const model = { ...rules[BASELINE_NAMES.indexOf('atc')], policy: 'ppo' };
  const g = guardSchedules(s, model, rules);
  assert.equal(g.chosen.policy, 'ppo');
  assert.deepEqual(guardSentences(g)[1], 'The model (ppo) ties the best rule, atc: on time +0.0 points, mean days late +0.00.');
  const exp = guardedExport(g);
  assert.equal(exp.policy, 'ppo');
  assert.equal(exp.guard!.objective, 'on-time rate, then mean days late, then makespan');
  assert.equal(exp.guard!.candidates.length, BASELINE_NAMES.length + 1); // the model and every rule
  // with edd's schedule the model trails atc
  const worse = guardSchedules(s, { ...rules[BASELINE_NAMES.indexOf('edd')], policy: 'ppo' }, rules);
  assert.equal(worse.chosen.policy, 'atc');
  assert.match(guardSentences(worse)[1], /^The model \(ppo\) trails atc: on time -2\.0 points, mean days late \+0\.\d\d\.$/);
});

test('an infeasible model schedule is never chosen, however good its KPIs look; no feasible schedule at all is an error', () => {
  const s = loadSnapshotFile(join(SNAPSHOTS, 'edge_case_all_late.json'));
  const rules = BASELINE_NAMES.map((r) => runBaseline(s, r).schedule);
  const squashed = structuredClone(rules[0]);
  for (const a of squashed.assignments) {
    a.end -= a.start;
    a.start = 0;
  }
  squashed.policy = 'ppo';
  const g = guardSchedules(s, squashed, rules);
  assert.equal(g.model.check.feasible, false);
  assert.ok(g.model.check.kpis.on_time_rate >= g.chosen.check.kpis.on_time_rate);
  assert.notEqual(g.chosen.policy, 'ppo');
  assert.match(guardSentences(g)[1], /^The model's schedule \(ppo\) is not feasible \(\d+ faults, first: .+\), so it was not considered\.$/);
  assert.throws(() => guardSchedules(s, squashed, []), /no feasible schedule of edge_case_all_late among ppo/);
});
