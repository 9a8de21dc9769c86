import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASELINE_NAMES, runBaseline } from '../../src/baselines/index.js';
import { loadSnapshotFile } from '../../src/data/snapshots/load.js';
import { runSlotPolicy } from '../../src/env/episode.js';
import type { ScheduleAssignment } from '../../src/env/schedule-export.js';
import { checkSchedule, type FaultKind } from '../../src/evaluation/check.js';
import { MachineSetCalendar } from '../../src/evaluation/check-calendar.js';
import { randomSnapshot } from '../helpers/random-snapshot.js';
import { snap } from '../helpers/snapshots.js';
import { Rng } from '../../src/util/rng.js';

const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');
const KPIS = ['completion_rate', 'on_time_rate', 'mean_days_late', 'max_days_late', 'makespan', 'utilization'] as const;

// Monday 12-13 lunch on both machines; M2 also stops Monday 16-18. Hour 0 is Monday 00:00.
const plant = snap({
  machines: [{ id: 'M1', type: 'a' }, { id: 'M2', type: 'a', calendar: 'late' }, { id: 'M3', type: 'b' }],
  calendars: {
    default: { breaks: [{ weekday: 1, start: 12, end: 13 }], holidays: [] },
    late: { breaks: [{ weekday: 1, start: 12, end: 13 }, { weekday: 1, start: 16, end: 18 }], holidays: [{ start: 30, end: 40, name: 'h' }] },
  },
  jobs: [
    { id: 'A', due: 30, release: 2, tasks: [{ id: 'A1', seq: 1, duration: 3, machines: ['M1', 'M2'], durations: [3, 2] }, { id: 'A2', seq: 2, duration: 2, setup: 1, machines: ['M3'] }] },
    { id: 'B', due: 20, tasks: [{ id: 'B1', seq: 1, duration: 4, requiresAll: ['M1', 'M3'] }] },
  ],
});
// a feasible schedule of it: B1 on M1+M3 0-4, A1 on M2 2-4 (2 h there), A2 on M3 4-7 (setup 1 + 2)
const good: ScheduleAssignment[] = [
  { job: 'B', task: 'B1', machines: ['M1', 'M3'], start: 0, end: 4 },
  { job: 'A', task: 'A1', machines: ['M2'], start: 2, end: 4 },
  { job: 'A', task: 'A2', machines: ['M3'], start: 4, end: 7 },
];

function faultsOf(change: (a: ScheduleAssignment[]) => ScheduleAssignment[], calendar: 'stretch' | 'no_split' = 'stretch') {
  return checkSchedule(plant, { assignments: change(structuredClone(good)) }, { calendar }).faults;
}

test('a feasible hand-made schedule passes, with its KPIs computed from the assignments', () => {
  const r = checkSchedule(plant, { assignments: good });
  assert.deepEqual(r.faults, []);
  assert.equal(r.feasible, true);
  assert.equal(r.kpis.makespan, 7);
  assert.equal(r.kpis.on_time_rate, 1);
  assert.equal(r.kpis.completion_rate, 1);
  assert.equal(r.kpis.utilization, (4 * 2 + 2 + 3) / (3 * 7));
});

test('every kind of fault is one line naming the task(s) and machine(s)', () => {
  const cases: [FaultKind, (a: ScheduleAssignment[]) => ScheduleAssignment[], RegExp, string[], string[]][] = [
    ['missing', (a) => a.filter((x) => x.task !== 'A2'), /^task A2 of job A is not scheduled$/, ['A2'], []],
    ['duplicate', (a) => [...a, { ...a[2], start: 20, end: 23 }], /^task A2 is scheduled more than once: assignments\[2\] and assignments\[3\]$/, ['A2'], ['M3']],
    ['job', (a) => (a[1].job = 'B', a), /^task A1 belongs to job A, but assignments\[1\] lists it under job B$/, ['A1'], ['M2']],
    ['unknown', (a) => [...a, { job: 'A', task: 'Z9', machines: ['M1'], start: 50, end: 51 }], /names task Z9, which is not in snapshot hand/, ['Z9'], ['M1']],
    ['machine', (a) => (a[2].machines = ['M1'], a), /^task A2 on M1: not an eligible machine set \(it needs one of M3\)$/, ['A2'], ['M1']],
    ['machine', (a) => (a[0].machines = ['M1'], a), /^task B1 on M1: not an eligible machine set \(it needs all of M1, M3 at once\)$/, ['B1'], ['M1']],
    ['order', (a) => (a[2].end = 4, a), /^task A2 on M3 ends at 4, not after its start at 4$/, ['A2'], ['M3']],
    ['release', (a) => (a[1].start = 0, a[1].end = 2, a), /^task A1 on M2 starts at 0, before job A's release at 2$/, ['A1'], ['M2']],
    ['precedence', (a) => (a[2].start = 3.5, a[2].end = 6.5, a), /^task A2 on M3 starts at 3\.5, before its predecessor A1 on M2 ends at 4$/, ['A2', 'A1'], ['M3', 'M2']],
    ['calendar', (a) => (a[2].start = 12, a[2].end = 16, a), /^task A2 on M3 starts at 12, inside non-working time \[12, 13\)$/, ['A2'], ['M3']],
    ['calendar', (a) => (a[2].start = 9, a[2].end = 12.5, a), /^task A2 on M3 ends at 12\.5, inside non-working time \[12, 13\)$/, ['A2'], ['M3']],
    ['duration', (a) => (a[2].end = 6, a), /^task A2 on M3 gets 2 working hours in \[4, 6\], but needs 3 \(setup \+ processing\)$/, ['A2'], ['M3']],
    ['duration', (a) => (a[2].start = 11, a[2].end = 14, a), /^task A2 on M3 gets 2 working hours in \[11, 14\], but needs 3/, ['A2'], ['M3']],
    ['overlap', (a) => (a[1].machines = ['M1'], a[1].end = 5, a), /^machine M1: tasks B1 \[0, 4\] and A1 \[2, 5\] overlap$/, ['B1', 'A1'], ['M1']],
  ];
  for (const [kind, change, message, tasks, machines] of cases) {
    const faults = faultsOf(change);
    const f = faults.find((x) => x.kind === kind);
    assert.ok(f, `${kind}: ${JSON.stringify(faults)}`);
    assert.match(f.message, message);
    assert.deepEqual(f.tasks, tasks, f.message);
    assert.deepEqual(f.machines, machines, f.message);
  }
});

test('stretch pauses over breaks and holidays; no_split wants one working window unless the task is longer than every window', () => {
  // A2 (3 h on M3) from 11 to 15 pauses over lunch: feasible when stretched, split in no_split mode
  const lunch = (a: ScheduleAssignment[]) => (a[2].start = 11, a[2].end = 15, a);
  assert.deepEqual(faultsOf(lunch), []);
  const split = faultsOf(lunch, 'no_split');
  assert.deepEqual(split.map((f) => f.kind), ['split']);
  assert.match(split[0].message, /^task A2 on M3 is split by 1 h of non-working time in \[11, 15\]; in no_split mode a 3 h task must fit one working window \(the longest is 167 h\)$/);
  // A1 on M2 (2 h) from 29 to 41 pauses over M2's holiday 30-40
  const holiday = (a: ScheduleAssignment[]) => (a[1].start = 29, a[1].end = 41, a[2].start = 41, a[2].end = 44, a);
  assert.deepEqual(faultsOf(holiday), []);
  assert.deepEqual(faultsOf(holiday, 'no_split').map((f) => f.kind), ['split']);
  // a task longer than the longest weekly window is stretched in no_split mode too
  const daily = snap({
    calendars: { default: { breaks: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ weekday: d, start: 12, end: 13 })), holidays: [] } },
    jobs: [{ id: 'A', due: 100, release: 8, tasks: [{ id: 'A1', seq: 1, duration: 30, machines: ['M1'] }] }],
  });
  assert.deepEqual(checkSchedule(daily, { assignments: [{ job: 'A', task: 'A1', machines: ['M1'], start: 8, end: 40 }] }, { calendar: 'no_split' }).faults, []);
});

test('the calendar of a machine set: off time over long spans, breaks joined across midnight and the week, holidays counted once', () => {
  // hour 0 = Sunday 20:00; Sunday 22-24 and Monday 0-6 form one stop; a holiday overlaps a Monday break
  const s = snap({
    start: '2026-01-04T20:00:00Z',
    calendars: { default: { breaks: [{ weekday: 7, start: 22, end: 24 }, { weekday: 1, start: 0, end: 6 }], holidays: [{ start: 170, end: 180 }] } },
    jobs: [],
  });
  const cal = new MachineSetCalendar(s, ['M1']);
  assert.deepEqual(cal.offAt(3), { lo: 2, hi: 10 });
  assert.equal(cal.offAt(10), null);
  assert.deepEqual(cal.offAt(171), { lo: 170, hi: 180 }); // the holiday and the break at 170-178 join
  assert.equal(cal.maxWindow, 160);
  // brute force: count the off quarter-hours of 30 weeks
  const offAtQuarter = (q: number) => cal.offAt(q / 4 + 0.125) !== null;
  let quarters = 0;
  for (let q = 4 * 1; q < 4 * 30 * 168; q++) if (offAtQuarter(q)) quarters++;
  assert.equal(cal.offBetween(1, 30 * 168), quarters / 4);
  assert.equal(cal.offBetween(160, 190), 10); // the break 170-178 lies inside the holiday 170-180: counted once
});

test('every rule and random masked play on the named and edge-case snapshots pass, and the KPIs equal the simulator\'s metrics', () => {
  const files = readdirSync(SNAPSHOTS).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 14);
  for (const f of files) {
    const s = loadSnapshotFile(join(SNAPSHOTS, f));
    for (const calendar of ['stretch', 'no_split'] as const) {
      const schedules = [...BASELINE_NAMES.map((r) => runBaseline(s, r, { calendarMode: calendar }).schedule)];
      const rng = new Rng(7);
      schedules.push(runSlotPolicy(s, (_obs, mask) => rng.int(mask.reduce((n, m) => n + m, 0)), 'random_slots', { calendarMode: calendar }).schedule);
      for (const schedule of schedules) {
        const r = checkSchedule(s, schedule, { calendar });
        assert.deepEqual(r.faults, [], `${schedule.policy} on ${f} (${calendar})`);
        assert.deepEqual(r.notes, [], `${schedule.policy} on ${f} (${calendar})`);
        for (const k of KPIS) assert.ok(Math.abs(r.kpis[k] - schedule.metrics[k]) < 1e-9, `${k} of ${schedule.policy} on ${f}`);
      }
    }
  }
});

test('random instances: stretched schedules that cross breaks are refused in no_split mode; a stated metric that disagrees is a note', () => {
  let split = 0;
  for (let seed = 0; seed < 20; seed++) {
    const s = randomSnapshot(seed, { jobs: 8, machines: 3, calendars: true, releases: true });
    const r = runBaseline(s, 'edd', { calendarMode: 'stretch' });
    assert.deepEqual(checkSchedule(s, r.schedule).faults, []);
    const strict = checkSchedule(s, r.schedule, { calendar: 'no_split' });
    assert.ok(strict.faults.every((f) => f.kind === 'split'));
    split += strict.faults.length;
  }
  assert.ok(split > 0, 'some stretched task crosses a break');
  const s = randomSnapshot(1, { jobs: 5, machines: 2 });
  const r = runBaseline(s, 'edd').schedule;
  const notes = checkSchedule(s, { ...r, metrics: { ...r.metrics, on_time_rate: 0.123 } }).notes;
  assert.equal(notes.length, 1);
  assert.match(notes[0], /^the file's metrics\.on_time_rate is 0\.123, but its assignments give [\d.]+$/);
});
