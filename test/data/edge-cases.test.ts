import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeCases } from '../../src/data/snapshots/edge-cases.js';
import { parseSnapshot } from '../../src/data/snapshots/load.js';
import { snapshotStats } from '../../src/data/snapshots/stats.js';
import type { Snapshot } from '../../src/data/snapshots/schema.js';

const cases = new Map(edgeCases(5).map((f) => [f.name!, parseSnapshot(JSON.parse(JSON.stringify(f)), f.name)]));
const get = (name: string): Snapshot => {
  const s = cases.get(name);
  assert.ok(s, `missing ${name}`);
  return s;
};
const work = (s: Snapshot, j: number) => s.jobs[j].tasks.reduce((a, t) => a + t.duration + t.setup, 0);

test('there are at least the six required edge cases, all valid and all named edge_case_*', () => {
  assert.ok(cases.size >= 6);
  for (const name of cases.keys()) assert.match(name, /^edge_case_[a-z_]+$/);
  for (const s of cases.values()) assert.equal(typeof s.meta?.edgeCase, 'string');
});

test('empty job: one job without tasks among jobs with tasks', () => {
  const s = get('edge_case_empty_job');
  assert.equal(s.jobs.filter((j) => j.tasks.length === 0).length, 1);
  assert.ok(s.jobs.length > 5);
});

test('single machine: every task runs on it', () => {
  const s = get('edge_case_single_machine');
  assert.equal(s.machines.length, 1);
  for (const j of s.jobs) for (const t of j.tasks) assert.deepEqual(t.machines, [s.machines[0].id]);
});

test('all late: every due date is negative', () => {
  const s = get('edge_case_all_late');
  assert.ok(s.jobs.every((j) => j.due !== null && j.due < 0));
  assert.equal(snapshotStats(s).alreadyLateShare, 1);
});

test('identical due dates', () => {
  const s = get('edge_case_identical_due');
  assert.equal(new Set(s.jobs.map((j) => j.due)).size, 1);
});

test('hot machine: every job has one task whose only eligible machine is HOT, loaded beyond the horizon', () => {
  const s = get('edge_case_hot_machine');
  for (const j of s.jobs) assert.equal(j.tasks.filter((t) => t.machines.length === 1 && t.machines[0] === 'HOT').length, 1, j.id);
  const hot = snapshotStats(s).types.find((t) => t.type === 'heat_press')!;
  assert.ok(hot.load > 1, `HOT load ${hot.load}`);
  for (const j of s.jobs) j.tasks.forEach((t, k) => assert.equal(t.seq, k + 1));
});

test('long tasks across holidays: tasks of 40 h or more and holidays inside the first weeks', () => {
  const s = get('edge_case_long_tasks_holidays');
  assert.ok(s.jobs.every((j) => j.tasks.every((t) => t.duration >= 40)));
  const holidays = s.calendars.default.holidays;
  assert.ok(holidays.length >= 2 && holidays[0].start < 48);
});

test('multi-machine only, makespan objective, zero slack', () => {
  assert.ok(get('edge_case_multi_only').jobs.every((j) => j.tasks.every((t) => t.requiresAll.length >= 2 && t.machines.length === 0)));
  const m = get('edge_case_makespan');
  assert.equal(m.objective, 'makespan');
  assert.ok(m.jobs.every((j) => j.due === null));
  const z = get('edge_case_zero_slack');
  z.jobs.forEach((j, i) => assert.equal(j.due, j.release + work(z, i)));
});
