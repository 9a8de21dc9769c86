import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSnapshot } from '../../src/data/snapshots/load.js';
import { snapshotStats, workingHours } from '../../src/data/snapshots/stats.js';
import { formatStats } from '../../src/data/snapshots/stats-format.js';

function handMade(withMeta: boolean): any {
  return {
    name: 'hand',
    machines: [
      { id: 'A1', type: 'a' },
      { id: 'A2', type: 'a' },
      { id: 'B1', type: 'b', calendar: 'day' },
    ],
    calendars: { day: { breaks: [{ weekday: 1, start: 0, end: 8 }], holidays: [] } },
    jobs: [
      { id: 'J1', due: 20, release: 0, important: true, tasks: [
        { id: 'J1.1', seq: 1, duration: 4, machines: ['A1', 'A2'], setup: 1 },
        { id: 'J1.2', seq: 2, duration: 6, machines: ['B1'] },
      ] },
      { id: 'J2', due: 10, release: 2, tasks: [{ id: 'J2.1', seq: 1, duration: 2, requiresAll: ['A1', 'B1'] }] },
      { id: 'J3', due: -5, tasks: [] },
    ],
    ...(withMeta ? { meta: { horizon: 24 } } : {}),
  };
}

test('stats of a hand-made snapshot match hand-computed numbers', () => {
  const st = snapshotStats(parseSnapshot(handMade(true)));
  assert.equal(st.jobs, 3);
  assert.equal(st.emptyJobs, 1);
  assert.equal(st.tasks, 3);
  assert.equal(st.machines, 3);
  assert.equal(st.machineTypes, 2);
  assert.equal(st.multiMachineTasks, 1);
  assert.equal(st.tasksWithSetup, 1);
  assert.deepEqual(st.eligible, { min: 1, median: 1.5, max: 2 });
  assert.equal(st.importantShare, 1 / 3);
  // slack = due - release - own work: J1 20-0-11 = 9 < 11 urgent; J2 10-2-2 = 6 >= 2; J3 -5 < 0 urgent
  assert.equal(st.urgentSource, 'slack');
  assert.equal(st.urgentShare, 2 / 3);
  assert.equal(st.alreadyLateShare, 1 / 3);
  assert.equal(st.lateForSureShare, 1 / 3);
  assert.deepEqual(st.due, { min: -5, median: 10, max: 20 });
  assert.deepEqual(st.slack, { min: -5, median: 6, max: 9 });
  // work: J1 (4+1) + 6 = 11, J2 2 h on two machines = 4 machine-h
  assert.equal(st.totalWork, 15);
  assert.equal(st.horizon, 24);
  assert.equal(st.horizonSource, 'meta');
  // capacity: A1, A2 24 h each; B1 loses Monday 0-8 -> 16 h
  assert.equal(st.capacity, 64);
  assert.equal(st.load, 15 / 64);
  assert.equal(st.workingShare, 64 / 72);
  // machine work: A1 2.5 + 2, A2 2.5, B1 6 + 2 -> type b 8/16, type a 7/48
  assert.deepEqual(st.types.map((t) => [t.type, t.machines, t.tasks, t.meanEligible, t.work, t.capacity, t.load]), [
    ['b', 1, 2, 1, 8, 16, 0.5],
    ['a', 2, 2, 2, 7, 48, 7 / 48],
  ]);
  const text = formatStats(st);
  assert.match(text, /load \(work \/ capacity\)\s+23\.4%/);
  assert.match(text, /machines\s+3 in 2 types/);
});

test('without a generator horizon the latest due date (or a makespan bound) is used', () => {
  const st = snapshotStats(parseSnapshot(handMade(false)));
  assert.equal(st.horizon, 20);
  assert.equal(st.horizonSource, 'due');
  const late = handMade(false);
  for (const j of late.jobs) j.due = 1;
  const st2 = snapshotStats(parseSnapshot(late));
  assert.equal(st2.horizonSource, 'lower_bound');
  assert.equal(st2.horizon, 11); // J1 from release 0: 11 h of own work
});

test('working hours subtract breaks and holidays once where they overlap', () => {
  const cal = { breaks: [{ weekday: 1, start: 12, end: 13 }, { weekday: 2, start: 0, end: 24 }], holidays: [{ start: 30, end: 40 }] };
  // hour 0 = Monday 06:00: Monday noon break = hours 6-7; Tuesday = hours 18-42 (holiday inside it)
  assert.equal(workingHours(cal, 48, 1, 6), 48 - 1 - 24);
  assert.equal(workingHours(undefined, 48, 1, 6), 48);
  assert.equal(workingHours({ breaks: [], holidays: [{ start: 40, end: 60 }] }, 48, 1, 0), 40);
});
