import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSnapshot, loadSnapshotFile } from '../../src/data/snapshots/load.js';
import { SchedError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

function valid(): any {
  return {
    name: 'tiny',
    start: '2026-11-02T06:00:00Z',
    machines: [
      { id: 'M1', type: 'lathe' },
      { id: 'M2', type: 'mill', calendar: 'day' },
    ],
    calendars: { day: { breaks: [{ weekday: 1, start: 12, end: 12.5 }], holidays: [{ start: '2026-12-25', end: '2026-12-26' }] } },
    jobs: [
      {
        id: 'J1',
        due: 48,
        important: true,
        tasks: [
          { id: 'J1.1', seq: 1, duration: 2, machines: ['M1', 'M2'] },
          { id: 'J1.2', seq: 2, duration: 1.5, requiresAll: ['M1', 'M2'], setup: 0.25 },
        ],
      },
      { id: 'J2', due: '2026-11-03T06:00:00Z', release: 1, tasks: [{ id: 'J2.1', seq: 1, duration: 3, machines: ['M2'] }] },
    ],
  };
}

function problemsOf(json: unknown): string[] {
  try {
    parseSnapshot(json, 'x.json');
  } catch (err) {
    assert.ok(err instanceof SchedError);
    assert.equal(err.code, 'SNAPSHOT');
    assert.match(err.message, /^x\.json is not a valid snapshot \(\d+ problems?\)$/);
    return [...err.details];
  }
  assert.fail('expected the snapshot to be refused');
}

test('a valid snapshot loads with times converted to hours', () => {
  const s = parseSnapshot(valid());
  assert.equal(s.jobs.length, 2);
  assert.equal(s.jobs[1].due, 24); // ISO due, one day after start
  assert.equal(s.jobs[1].release, 1);
  assert.equal(s.jobs[0].release, 0);
  assert.equal(s.startWeekday, 1); // 2026-11-02 is a Monday
  assert.equal(s.startHourOfDay, 6);
  assert.deepEqual(s.jobs[0].tasks[1].requiresAll, ['M1', 'M2']);
  assert.deepEqual(s.jobs[0].tasks[1].machines, []);
  assert.equal(s.jobs[0].tasks[1].setup, 0.25);
  const h = s.calendars.day.holidays[0];
  assert.equal(h.start, 53 * 24 - 6); // 2026-12-25T00:00Z
  assert.equal(h.end - h.start, 24);
});

test('unknown machine references are named by path', () => {
  const j = valid();
  j.jobs[0].tasks[0].machines = ['M1', 'M999'];
  assert.deepEqual(problemsOf(j), ['jobs[0].tasks[0].machines[1]: unknown machine "M999"']);
});

test('negative and non-numeric times are refused', () => {
  const j = valid();
  j.jobs[0].tasks[0].duration = -2;
  j.jobs[0].tasks[1].setup = -1;
  j.jobs[1].release = -3;
  j.jobs[1].tasks[0].duration = 'three';
  const p = problemsOf(j);
  assert.ok(p.some((x) => x.startsWith('jobs[1].tasks[0].duration:')), p.join('\n'));
  // structural errors are reported first, all together
  assert.equal(p.length, 1);
  j.jobs[1].tasks[0].duration = 3;
  const p2 = problemsOf(j);
  assert.deepEqual(p2, [
    'jobs[0].tasks[0].duration: must be a positive number of hours, got -2',
    'jobs[0].tasks[1].setup: negative time -1',
    'jobs[1].release: negative time -3',
  ]);
});

test('duplicate ids of machines, jobs and tasks', () => {
  const j = valid();
  j.machines.push({ id: 'M1', type: 'x' });
  j.jobs[1].id = 'J1';
  j.jobs[1].tasks[0].id = 'J1.1';
  assert.deepEqual(problemsOf(j), [
    'machines[2].id: duplicate machine id "M1"',
    'jobs[1].id: duplicate job id "J1"',
    'jobs[1].tasks[0].id: duplicate task id "J1.1"',
  ]);
});

test('wrong task order', () => {
  const j = valid();
  j.jobs[0].tasks[1].seq = 1;
  assert.deepEqual(problemsOf(j), ['jobs[0].tasks[1].seq: sequence 1 must be greater than the previous task\'s 1']);
});

test('empty eligible sets and both kinds at once', () => {
  const j = valid();
  j.jobs[0].tasks[0].machines = [];
  j.jobs[1].tasks[0].requiresAll = ['M1'];
  assert.deepEqual(problemsOf(j), [
    'jobs[0].tasks[0].machines: empty eligible set: give "machines" or "requiresAll"',
    'jobs[1].tasks[0]: give either "machines" (any one) or "requiresAll" (all at once), not both',
  ]);
});

test('missing due date, unknown calendar, bad break', () => {
  const j = valid();
  delete j.jobs[0].due;
  j.machines[0].calendar = 'night';
  j.calendars.day.breaks[0] = { weekday: 1, start: 13, end: 12 };
  assert.deepEqual(problemsOf(j), [
    'machines[0].calendar: unknown calendar "night"',
    'calendars.day.breaks[0]: start 13 must be before end 12',
    'jobs[0].due: required when the objective is "due_dates"',
  ]);
});

test('structural problems list every path at once', () => {
  const p = problemsOf({ machines: [{ id: 'M1' }], jobs: [{ id: 'J1', due: 3, tasks: [{ id: 'T', seq: 'a', duration: 1, machines: ['M1'] }] }] });
  assert.equal(p.length, 2);
  assert.ok(p[0].startsWith('machines[0].type:'));
  assert.ok(p[1].startsWith('jobs[0].tasks[0].seq:'));
});

test('bad JSON is reported with line and column; missing file by path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-'));
  const f = join(dir, 'bad.json');
  writeFileSync(f, '{\n  "machines": [\n    oops\n  ]\n}');
  assert.throws(() => loadSnapshotFile(f), (e: SchedError) => e.code === 'SNAPSHOT' && /bad\.json is not valid JSON: unexpected "o" at line 3 column 5$/.test(e.message));
  assert.throws(() => loadSnapshotFile(join(dir, 'nope.json')), (e: SchedError) => e.code === 'IO' && /nope\.json: no such file/.test(e.message));
});

test('sched snapshots validate: exit 0 only when every file is valid', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-'));
  writeFileSync(join(dir, 'good.json'), JSON.stringify(valid()));
  const bad = valid();
  bad.jobs[0].tasks[0].machines = ['M7'];
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
  const ok = await runCli(['snapshots', 'validate', 'good.json'], dir);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /ok {3}good\.json: 2 jobs, 3 tasks, 2 machines/);
  const ko = await runCli(['snapshots', 'validate', 'good.json', 'bad.json'], dir);
  assert.equal(ko.code, 4);
  assert.match(ko.err, /jobs\[0\]\.tasks\[0\]\.machines\[0\]: unknown machine "M7"/);
  assert.match(ko.err, /1 of 2 snapshot files did not validate/);
  assert.doesNotMatch(ko.err, /at .*\.ts:\d+/); // no stack trace
});

test('sched --help and unknown commands', async () => {
  const h = await runCli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /Usage: sched/);
  const u = await runCli(['nonsense']);
  assert.equal(u.code, 2);
  assert.match(u.err, /unknown command 'nonsense'/);
});
