import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSnapshot } from '../../src/data/snapshots/load.js';
import { ganttConfig, jobColors, renderGantt } from '../../src/viz/gantt.js';
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
  assert.equal(info.machinesShown, 5);
  assert.deepEqual(info.notes, []);
  assert.deepEqual(info2.notes, ['breaks not shaded (no snapshot given)']);
  const a = await pngStats(withSnap);
  const b = await pngStats(without);
  assert.deepEqual([a.width, a.height], [1400, 460]);
  assert.ok(a.colors > 40 && a.nonWhite > 0.2, `not blank: ${a.colors} colours, ${a.nonWhite}`);
  assert.ok(a.nonWhite > b.nonWhite + 0.01, 'the shading adds grey to the chart');
});

test('late jobs come from the snapshot due dates when the export has no per-job data', () => {
  const { snapshot, schedule } = snapshotAndSchedule();
  const bare: ScheduleExport = { ...schedule, jobs: undefined };
  assert.equal(ganttConfig(bare, parseSnapshot(snapshot)).info.lateJobs, 7);
  const { info } = ganttConfig(bare, undefined);
  assert.equal(info.lateJobs, null);
  assert.ok(info.notes.some((n) => n.startsWith('late jobs not marked')));
});

test('a large factory keeps the busiest machines, sorted by id in natural order, and grows the picture', () => {
  const assignments = Array.from({ length: 60 }, (_, m) => ({ job: `J${m % 7}`, task: `T${m}`, machines: [`M${m + 1}`], start: 0, end: m + 1 }));
  const s: ScheduleExport = { snapshot: 'big', policy: 'fifo', assignments, metrics: { makespan: 60, completion_rate: 1, on_time_rate: 1, mean_days_late: 0, max_days_late: 0, utilization: 0.5, invalid_actions: 0, tasks_scheduled: 60, tasks_total: 60 } };
  const few = ganttConfig(s, undefined, { maxMachines: 12 });
  assert.deepEqual(few.config.data.labels, ['M49', 'M50', 'M51', 'M52', 'M53', 'M54', 'M55', 'M56', 'M57', 'M58', 'M59', 'M60']);
  assert.ok(few.info.notes.includes('showing the 12 busiest of 60 machines'));
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
