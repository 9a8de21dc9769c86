import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeTests, ppoVerdict, bestBaseline } from '../../src/viz/test-summary.js';
import type { TestResultRow } from '../../src/viz/inputs.js';

const row = (stage: string, snapshot: string, policy: string, onTime: number, late: number): TestResultRow => ({
  stage, snapshot, policy, completion_rate: 1, on_time_rate: onTime, mean_days_late: late, max_days_late: 2 * late, makespan: 100, utilization: 0.5, schedule_ms: 3,
});

test('test rows are averaged per stage and policy over snapshots, rates in percent, PPO first, stages in curriculum order', () => {
  const rows = [
    row('s2', 'a', 'edd', 0.6, 2), row('s2', 'b', 'edd', 0.8, 4), row('s2', 'a', 'ppo', 0.9, 1), row('s2', 'b', 'ppo', 0.7, 1),
    row('s1', 'a', 'spt', 0.5, 3), row('s1', 'a', 'ppo', 0.4, 3.5),
  ];
  const sums = summarizeTests(rows, ['s1', 's2']);
  assert.deepEqual(sums.map((s) => s.stage), ['s1', 's2']);
  const s2 = sums[1];
  assert.deepEqual(s2.snapshots, ['a', 'b']);
  assert.equal(s2.instances, 2, 'rows without episodes count one instance per snapshot');
  const [agg] = summarizeTests([{ ...row('s', 'toy test seeds 1-5', 'ppo', 0.5, 1), episodes: 5 } as TestResultRow, { ...row('s', 'x', 'edd', 0.5, 1), episodes: 1 } as TestResultRow]);
  assert.equal(agg.instances, 6, 'sched test rows aggregated over held-out instances count their episodes');
  assert.deepEqual(s2.policies.map((p) => p.policy), ['ppo', 'edd']);
  assert.ok(Math.abs(s2.policies[0].values.on_time_rate - 80) < 1e-9);
  assert.equal(s2.policies[1].values.mean_days_late, 3);
  assert.equal(s2.policies[0].values.utilization, 50);
  assert.equal(bestBaseline(s2, 'on_time_rate')!.policy, 'edd');
  assert.equal(ppoVerdict(s2), 'PPO beats the best baseline on on-time rate (edd, 70.0%) by 10.0 points and is 2.00 days less late on average than the best baseline on lateness (edd).');
  assert.match(ppoVerdict(sums[0])!, /^PPO trails the best baseline on on-time rate \(spt, 50\.0%\) by 10\.0 points and is 0\.50 days more late/);
});

test('rates already in percent are kept as they are', () => {
  const [s] = summarizeTests([row('s', 'a', 'ppo', 75, 1)]);
  assert.equal(s.policies[0].values.on_time_rate, 75);
  assert.equal(ppoVerdict(s), null, 'no baseline, no verdict');
});
