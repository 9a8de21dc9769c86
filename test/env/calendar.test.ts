import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPositionChooser } from '../../src/env/episode.js';
import { byJobs, snap } from '../helpers/snapshots.js';
import { scheduleFaults } from '../../src/evaluation/check.js';

// Hour 0 is Monday 2026-01-05 00:00 UTC unless `start` says otherwise.
const lunch = { default: { breaks: [{ weekday: 1, start: 12, end: 13 }], holidays: [] } };

function one(task: Record<string, unknown>, extra: Record<string, unknown> = {}, mode: 'stretch' | 'no_split' = 'stretch') {
  const s = snap({ calendars: lunch, jobs: [{ id: 'A', due: 100, tasks: [{ id: 'A1', seq: 1, machines: ['M1'], ...task }] }], ...extra });
  const r = runPositionChooser(s, () => 0, 'test', { calendarMode: mode });
  assert.deepEqual(scheduleFaults(s, r.schedule, { calendar: mode }), []);
  return r.schedule.assignments[0];
}

test('a task pauses over a break and its end is stretched', () => {
  const s = snap({ calendars: lunch, jobs: [{ id: 'A', due: 100, release: 8, tasks: [{ id: 'A1', seq: 1, duration: 10, machines: ['M1'] }] }] });
  const a = runPositionChooser(s, () => 0, 'test').schedule.assignments[0];
  assert.equal(a.start, 8);
  assert.equal(a.end, 19); // 8-12 and 13-19: 10 working hours
});

test('a task never starts inside a break, and setup counts as work that pauses too', () => {
  const s = snap({ calendars: lunch, jobs: [{ id: 'A', due: 100, release: 12.5, tasks: [{ id: 'A1', seq: 1, duration: 2, setup: 0.5, machines: ['M1'] }] }] });
  const a = runPositionChooser(s, () => 0, 'test').schedule.assignments[0];
  assert.equal(a.start, 13);
  assert.equal(a.end, 15.5);
  const b = one({ duration: 3, setup: 1 }, { jobs: [{ id: 'A', due: 100, release: 10, tasks: [{ id: 'A1', seq: 1, duration: 3, setup: 1, machines: ['M1'] }] }] });
  assert.equal(b.start, 10);
  assert.equal(b.end, 15); // 10-12 then 13-15
});

test('holidays pause a task for their whole length', () => {
  const cal = { default: { breaks: [], holidays: [{ start: 20, end: 44, name: 'h' }] } };
  const s = snap({ calendars: cal, jobs: [{ id: 'A', due: 100, release: 18, tasks: [{ id: 'A1', seq: 1, duration: 4, machines: ['M1'] }] }] });
  const a = runPositionChooser(s, () => 0, 'test').schedule.assignments[0];
  assert.deepEqual([a.start, a.end], [18, 46]);
  assert.deepEqual(scheduleFaults(s, runPositionChooser(s, () => 0, 'test').schedule), []);
});

test('weekly breaks wrap around the week and follow the snapshot start weekday and hour', () => {
  // hour 0 = Sunday 20:00; breaks Sunday 22-24 and Monday 0-6 make one pause 22:00 -> 06:00
  const cal = { default: { breaks: [{ weekday: 7, start: 22, end: 24 }, { weekday: 1, start: 0, end: 6 }], holidays: [] } };
  const s = snap({ start: '2026-01-04T20:00:00Z', calendars: cal, jobs: [{ id: 'A', due: 100, tasks: [{ id: 'A1', seq: 1, duration: 4, machines: ['M1'] }] }] });
  const r = runPositionChooser(s, () => 0, 'test');
  assert.deepEqual([r.schedule.assignments[0].start, r.schedule.assignments[0].end], [0, 12]);
  assert.deepEqual(scheduleFaults(s, r.schedule), []);
  // one week later the same pause applies again (hours 168+2 .. 168+10)
  const s2 = snap({ start: '2026-01-04T20:00:00Z', calendars: cal, jobs: [{ id: 'A', due: 100, release: 168, tasks: [{ id: 'A1', seq: 1, duration: 4, machines: ['M1'] }] }] });
  const a2 = runPositionChooser(s2, () => 0, 'test').schedule.assignments[0];
  assert.deepEqual([a2.start, a2.end], [168, 180]);
});

test('no_split mode waits for a window that holds the whole task', () => {
  const a = one({ duration: 5 }, { jobs: [{ id: 'A', due: 100, release: 8, tasks: [{ id: 'A1', seq: 1, duration: 5, machines: ['M1'] }] }] }, 'no_split');
  assert.deepEqual([a.start, a.end], [13, 18]);
  const b = one({ duration: 3 }, { jobs: [{ id: 'A', due: 100, release: 8, tasks: [{ id: 'A1', seq: 1, duration: 3, machines: ['M1'] }] }] }, 'no_split');
  assert.deepEqual([b.start, b.end], [8, 11]);
});

test('no_split stretches a task longer than every working window', () => {
  const daily = { default: { breaks: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ weekday: d, start: 12, end: 13 })), holidays: [] } };
  const s = snap({ calendars: daily, jobs: [{ id: 'A', due: 100, release: 8, tasks: [{ id: 'A1', seq: 1, duration: 30, machines: ['M1'] }] }] });
  const a = runPositionChooser(s, () => 0, 'test', { calendarMode: 'no_split' }).schedule.assignments[0];
  assert.equal(a.start, 8);
  assert.equal(a.end, 40); // 30 h of work plus two 1 h breaks
});

test('a multi-machine task pauses when any of its machines stops', () => {
  const cals = {
    a: { breaks: [{ weekday: 1, start: 2, end: 3 }], holidays: [] },
    b: { breaks: [{ weekday: 1, start: 4, end: 5 }], holidays: [] },
  };
  const s = snap({
    machines: [{ id: 'M1', type: 't', calendar: 'a' }, { id: 'M2', type: 't', calendar: 'b' }],
    calendars: cals,
    jobs: [{ id: 'A', due: 100, tasks: [{ id: 'A1', seq: 1, duration: 4, requiresAll: ['M1', 'M2'] }] }],
  });
  const r = runPositionChooser(s, byJobs(['A']), 'test');
  const a = r.schedule.assignments[0];
  assert.deepEqual(a.machines.sort(), ['M1', 'M2']);
  assert.deepEqual([a.start, a.end], [0, 6]); // 0-2, 3-4, 5-6: 4 h of work
  assert.deepEqual(scheduleFaults(s, r.schedule), []);
});

test('a calendar whose breaks cover the whole week is refused with its name', () => {
  const all = { default: { breaks: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ weekday: d, start: 0, end: 24 })), holidays: [] } };
  const s = snap({ calendars: all, jobs: [{ id: 'A', due: 10, tasks: [{ id: 'A1', seq: 1, duration: 1, machines: ['M1'] }] }] });
  assert.throws(() => runPositionChooser(s, () => 0, 'test'), (err: Error & { details?: string[] }) => /no working time/.test(err.message) && !!err.details?.some((d) => d.includes('calendars.default')));
});
