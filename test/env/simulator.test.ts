import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPositionChooser, runSlotPolicy } from '../../src/env/episode.js';
import { DEFAULT_REWARD } from '../../src/env/config.js';
import { byJobs, snap } from '../helpers/snapshots.js';
import { scheduleFaults } from '../../src/evaluation/check.js';

const two = [{ id: 'M1', type: 'a' }, { id: 'M2', type: 'b' }];
const find = (r: { schedule: { assignments: { task: string }[] } }, id: string) => r.schedule.assignments.find((a) => a.task === id)! as { task: string; machines: string[]; start: number; end: number };

test('precedence: a task starts when its predecessor ends, even on an idle machine', () => {
  const s = snap({ machines: two, jobs: [{ id: 'A', due: 50, tasks: [
    { id: 'A1', seq: 1, duration: 3, machines: ['M1'] },
    { id: 'A2', seq: 2, duration: 2, machines: ['M2'] },
  ] }] });
  const r = runPositionChooser(s, () => 0, 'test');
  assert.deepEqual([find(r, 'A2').start, find(r, 'A2').end], [3, 5]);
  assert.deepEqual(scheduleFaults(s, r.schedule), []);
});

test('machine exclusivity: a task is appended after the machine\'s last task', () => {
  const s = snap({ jobs: [
    { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 3, machines: ['M1'] }] },
    { id: 'B', due: 50, tasks: [{ id: 'B1', seq: 1, duration: 2, machines: ['M1'] }] },
  ] });
  const r = runPositionChooser(s, byJobs(['B', 'A']), 'test');
  assert.deepEqual([find(r, 'B1').start, find(r, 'A1').start, find(r, 'A1').end], [0, 2, 5]);
});

test('each task goes to the eligible machine that completes it earliest, with per-machine times', () => {
  const s = snap({ machines: two, jobs: [
    { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 4, machines: ['M1'] }] },
    { id: 'B', due: 50, tasks: [{ id: 'B1', seq: 1, duration: 9, machines: ['M1', 'M2'], durations: [1, 6] }] },
  ] });
  // after A on M1 (0-4): B ends at 5 on M1 (1 h there) but 6 on M2
  const r = runPositionChooser(s, byJobs(['A', 'B']), 'test');
  assert.deepEqual(find(r, 'B1').machines, ['M1']);
  assert.deepEqual([find(r, 'B1').start, find(r, 'B1').end], [4, 5]);
  assert.deepEqual(scheduleFaults(s, r.schedule), []);
});

test('a multi-machine task holds all its machines at once', () => {
  const s = snap({ machines: two, jobs: [
    { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 5, machines: ['M1'] }] },
    { id: 'B', due: 50, tasks: [{ id: 'B1', seq: 1, duration: 2, requiresAll: ['M1', 'M2'] }] },
    { id: 'C', due: 50, tasks: [{ id: 'C1', seq: 1, duration: 1, machines: ['M2'] }] },
  ] });
  const r = runPositionChooser(s, byJobs(['A', 'B', 'C']), 'test', { placement: 'append' });
  const b = find(r, 'B1');
  assert.deepEqual([...b.machines].sort(), ['M1', 'M2']);
  assert.deepEqual([b.start, b.end], [5, 7]); // waits for M1
  assert.deepEqual([find(r, 'C1').start, find(r, 'C1').end], [7, 8]); // M2 was held by B until 7
  assert.equal(r.schedule.metrics.utilization, (5 + 2 * 2 + 1) / (2 * 8));
  assert.deepEqual(scheduleFaults(s, r.schedule), []);
});

test('release times: a job\'s first task never starts before its release', () => {
  const s = snap({ jobs: [{ id: 'A', due: 50, release: 7, tasks: [{ id: 'A1', seq: 1, duration: 1, machines: ['M1'] }] }] });
  const r = runPositionChooser(s, () => 0, 'test');
  assert.equal(find(r, 'A1').start, 7);
});

test('due-date metrics and reward on a hand-computed example', () => {
  // A (4 h, due 2) then B (2 h, due 10) on one machine: A ends at 4, 2 h late; B ends at 6, 4 h early
  const s = snap({ jobs: [
    { id: 'A', due: 2, tasks: [{ id: 'A1', seq: 1, duration: 4, machines: ['M1'] }] },
    { id: 'B', due: 10, important: true, tasks: [{ id: 'B1', seq: 1, duration: 2, machines: ['M1'] }] },
  ] });
  const r = runPositionChooser(s, byJobs(['A', 'B']), 'test');
  const m = r.schedule.metrics;
  assert.equal(m.makespan, 6);
  assert.equal(m.completion_rate, 1);
  assert.equal(m.on_time_rate, 0.5);
  assert.equal(m.max_days_late, 2 / 24);
  assert.equal(m.mean_days_late, 2 / 24 / 2);
  assert.equal(m.mean_days_late_of_late, 2 / 24);
  assert.equal(m.utilization, 1);
  assert.equal(m.invalid_actions, 0);
  const R = DEFAULT_REWARD;
  const expected = 2 * R.action + R.latePerDay * (2 / 24) + R.onTime + R.earlyPerDay * (4 / 24);
  assert.ok(Math.abs(r.return - expected) < 1e-9, `return ${r.return} != ${expected}`);
  assert.deepEqual(r.schedule.jobs, [
    { id: 'A', due: 2, completion: 4, important: false, days_late: 2 / 24 },
    { id: 'B', due: 10, completion: 6, important: true, days_late: 0 },
  ]);
  // reward weights come from the config object
  const r2 = runPositionChooser(s, byJobs(['A', 'B']), 'test', { reward: { action: 0, onTime: 0, earlyPerDay: 0, latePerDay: -24 } });
  assert.ok(Math.abs(r2.return - -2) < 1e-9);
});

test('the makespan term applies to makespan-objective snapshots only', () => {
  const file = { jobs: [
    { id: 'A', tasks: [{ id: 'A1', seq: 1, duration: 4, machines: ['M1'] }] },
    { id: 'B', tasks: [{ id: 'B1', seq: 1, duration: 2, machines: ['M1'] }] },
  ] };
  const s = snap({ objective: 'makespan', ...file });
  const r = runPositionChooser(s, () => 0, 'test', { reward: { action: 0, makespan: -1 } });
  assert.ok(Math.abs(r.return - -6 / 3) < 1e-9); // makespan 6 / mean task work 3
  assert.equal(r.schedule.metrics.on_time_rate, 1); // no due dates: complete jobs count as on time
});

test('jobs without tasks complete at their release; the episode still schedules the rest', () => {
  const s = snap({ jobs: [
    { id: 'E', due: 5, release: 3, tasks: [] },
    { id: 'L', due: 1, release: 3, tasks: [] },
    { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 1, machines: ['M1'] }] },
  ] });
  const r = runPositionChooser(s, () => 0, 'test');
  assert.equal(r.steps, 1);
  assert.equal(r.schedule.metrics.jobs_total, 3);
  assert.equal(r.schedule.metrics.jobs_late, 1);
  assert.deepEqual(r.schedule.jobs?.map((j) => j.completion), [3, 3, 1]);
});

test('a snapshot with no tasks gives an empty, complete schedule', () => {
  const r = runPositionChooser(snap({ jobs: [{ id: 'E', due: 5, tasks: [] }] }), () => 0, 'test');
  assert.equal(r.steps, 0);
  assert.deepEqual(r.schedule.assignments, []);
  assert.equal(r.schedule.metrics.completion_rate, 1);
});

test('an out-of-range choice counts as invalid and falls back to the first candidate', () => {
  const s = snap({ jobs: [
    { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 1, machines: ['M1'] }] },
    { id: 'B', due: 50, tasks: [{ id: 'B1', seq: 1, duration: 1, machines: ['M1'] }] },
  ] });
  const r = runSlotPolicy(s, () => 31, 'test');
  assert.equal(r.schedule.metrics.invalid_actions, 2);
  assert.equal(r.schedule.metrics.completion_rate, 1);
  assert.deepEqual(scheduleFaults(s, r.schedule), []);
});
