import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LATENESS_GROUPS, ganttConfig, jobColors, jobFacts, renderGantt } from '../../src/viz/gantt.js';
import { loadSnapshotFile, parseSnapshot } from '../../src/data/snapshots/load.js';
import { runBaseline } from '../../src/baselines/index.js';
import type { ScheduleExport } from '../../src/env/schedule-export.js';
import { snapshotAndSchedule } from './fixtures.js';
import { pngStats } from './png.js';

test('renderGantt writes a real PNG atomically, breaks shaded from the snapshot, late jobs counted', async () => {
  const { snapshot, schedule } = snapshotAndSchedule();
  const dir = mkdtempSync(join(tmpdir(), 'sched-gantt-'));
  const withSnap = join(dir, 'with.png');
  const without = join(dir, 'without.png');
  const info = await renderGantt(schedule, parseSnapshot(snapshot), withSnap);
  const info2 = await renderGantt(schedule, undefined, without, { title: 'no calendar' });
  assert.deepEqual(readdirSync(dir).sort(), ['with.png', 'without.png'], 'no temporary files left');
  assert.equal(info.lateJobs, 7);
  assert.equal(info.dueMarks, 7, 'every late job\'s due date is marked');
  assert.equal(info.machinesShown, 5);
  assert.equal(info.colorBy, 'job');
  assert.deepEqual(info.notes, []);
  assert.deepEqual(info2.notes, ['breaks not shaded (no snapshot given)']);
  const a = await pngStats(withSnap);
  const b = await pngStats(without);
  assert.deepEqual([a.width, a.height], [info.width, info.height]);
  assert.equal(a.width, 1400);
  assert.ok(a.colors > 40 && a.nonWhite > 0.2, `not blank: ${a.colors} colours, ${a.nonWhite}`);
  assert.ok(a.nonWhite > b.nonWhite + 0.01, 'the shading adds grey to the chart');
});

test('late jobs come from the snapshot due dates when the export has no per-job data', () => {
  const { snapshot, schedule } = snapshotAndSchedule();
  const bare: ScheduleExport = { ...schedule, jobs: undefined };
  assert.equal(ganttConfig(bare, parseSnapshot(snapshot)).info.lateJobs, 7);
  const { info } = ganttConfig(bare, undefined);
  assert.equal(info.lateJobs, null);
  assert.ok(info.notes.some((n) => n.startsWith('late jobs and due dates not marked')));
});

test('a large factory keeps the busiest machines, sorted by id in natural order, and grows the picture', () => {
  const assignments = Array.from({ length: 60 }, (_, m) => ({ job: `J${m % 7}`, task: `T${m}`, machines: [`M${m + 1}`], start: 0, end: m + 1 }));
  const s: ScheduleExport = { snapshot: 'big', policy: 'fifo', assignments, metrics: { makespan: 60, completion_rate: 1, on_time_rate: 1, mean_days_late: 0, max_days_late: 0, utilization: 0.5, invalid_actions: 0, tasks_scheduled: 60, tasks_total: 60 } };
  const few = ganttConfig(s, undefined, { maxMachines: 12 });
  assert.deepEqual(few.config.data.labels, ['M49', 'M50', 'M51', 'M52', 'M53', 'M54', 'M55', 'M56', 'M57', 'M58', 'M59', 'M60']);
  assert.ok(few.info.notes.includes('showing 12 of 60 machines with work: the busiest'), few.info.notes.join('; '));
  const all = ganttConfig(s, undefined, { maxMachines: 100 });
  assert.equal(all.info.machinesShown, 60);
  assert.ok(all.info.height > few.info.height);
});

test('job colours are stable: the same job gets the same colour whatever the assignment order', () => {
  const a = jobColors(['J10', 'J2', 'J1']);
  const b = jobColors(['J1', 'J2', 'J10', 'J2']);
  assert.deepEqual([...a].sort(), [...b].sort());
  assert.notEqual(a.get('J1'), a.get('J2'));
});

test('machines without work are left out and counted on the chart', () => {
  const { snapshot, schedule } = snapshotAndSchedule();
  const machines = [...(snapshot.machines as object[]), ...Array.from({ length: 32 }, (_, i) => ({ id: `X${i + 1}`, type: 'spare' }))];
  const { config, info } = ganttConfig(schedule, parseSnapshot({ ...snapshot, machines }));
  assert.deepEqual(config.data.labels, ['M1', 'M2', 'M3', 'M4', 'M5']);
  assert.equal(info.machinesIdle, 32);
  assert.deepEqual(info.notes, ['32 machines without work left out']);
  const subtitle = (config.options?.plugins?.subtitle?.text as string[]).join(' / ');
  assert.match(subtitle, /10 jobs on 5 machines/);
  assert.match(subtitle, /32 machines without work left out/);
});

test('past 20 jobs, bars are coloured by lateness group; the legend lists the groups with their job counts', () => {
  const { snapshot, schedule } = snapshotAndSchedule(60, 12);
  const { config, info } = ganttConfig(schedule, parseSnapshot(snapshot));
  assert.equal(info.jobs, 60);
  assert.equal(info.colorBy, 'lateness');
  const facts = jobFacts(schedule, parseSnapshot(snapshot))!;
  const legend = (config.options!.plugins!.legend!.labels!.generateLabels as () => { text: string }[])().map((l) => l.text);
  const counts = LATENESS_GROUPS.map((g) => Number(legend.find((t) => t.startsWith(`${g.label}: `))?.match(/: (\d+) jobs?$/)?.[1] ?? 0));
  assert.equal(counts.reduce((x, y) => x + y, 0), 60, legend.join(' | '));
  assert.equal(counts[0] + counts[1] + counts[2], info.lateJobs);
  assert.equal(counts[0], [...facts.values()].filter((f) => f.daysLate > 3).length);
  assert.ok(legend.length < 12, 'a short legend, whatever the number of jobs');
  // a late job's bars carry a red shade, an early one's a blue shade
  const late = config.data.datasets[1];
  const red = (c: string) => parseInt(c.slice(1, 3), 16) > parseInt(c.slice(5, 7), 16);
  assert.ok((late.backgroundColor as string[]).every(red));
  assert.ok((config.data.datasets[0].backgroundColor as string[]).some((c) => !red(c)));
  assert.equal(info.dueMarks, info.lateJobs);
});

test('a 500-job schedule: the machines where late jobs finish, then the busiest, a wider picture, every choice stated', async () => {
  const snap = loadSnapshotFile('snapshots/snapshot_heavy.json');
  const { schedule } = runBaseline(snap, 'atc');
  const dir = mkdtempSync(join(tmpdir(), 'sched-gantt-'));
  const info = await renderGantt(schedule, snap, join(dir, 'heavy.png'));
  assert.ok(info.jobs >= 500);
  assert.equal(info.colorBy, 'lateness');
  assert.equal(info.machinesShown, 40);
  assert.equal(info.width, 2400);
  assert.ok(info.notes.includes(`showing 40 of ${info.machinesTotal} machines with work: those where late jobs finish first, then the busiest`), info.notes.join('; '));
  const unmarked = Number(info.notes.find((n) => n.includes('not marked'))?.match(/^(\d+)/)?.[1] ?? 0);
  assert.equal(info.dueMarks + unmarked, info.lateJobs);
  assert.ok(info.dueMarks > unmarked, `most due dates are on the chart: ${info.dueMarks} marked, ${unmarked} not`);
  const png = await pngStats(join(dir, 'heavy.png'));
  assert.deepEqual([png.width, png.height], [info.width, info.height]);
  assert.ok(png.colors > 100 && png.nonWhite > 0.3);
});
