import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importInstance } from '../../src/data/snapshots/import.js';
import { generateSnapshot } from '../../src/data/snapshots/generator.js';
import { JOBSHOP_PROFILES } from '../../src/data/snapshots/jobshop.js';
import { parseSnapshot } from '../../src/data/snapshots/load.js';
import { getProfile } from '../../src/data/snapshots/profiles.js';
import { serializeSnapshot } from '../../src/data/snapshots/serialize.js';
import { TAILLARD_INSTANCES, taillardJobShop, taillardSelection, taillardSnapshot, taillardText } from '../../src/data/snapshots/taillard.js';
import { snapshotWarnings } from '../../src/data/snapshots/warnings.js';
import { SchedError } from '../../src/errors.js';

// ta01 as published (Taillard's tai15_15.txt, OR-Library): rows of the Times and Machines sections
const TA01_TIMES_FIRST = [94, 66, 10, 53, 26, 15, 65, 82, 10, 27, 93, 92, 96, 70, 83];
const TA01_TIMES_LAST = [57, 16, 42, 34, 37, 26, 68, 73, 5, 8, 12, 87, 83, 20, 97];
const TA01_MACHINES_FIRST = [7, 13, 5, 8, 4, 3, 11, 12, 9, 15, 10, 14, 6, 1, 2];
const TA01_MACHINES_SECOND = [5, 6, 8, 15, 14, 9, 12, 10, 7, 11, 1, 4, 13, 2, 3];
// Taillard (1993), Table of the 15 x 15 job shops: his lower bound max(longest job, most loaded machine)
const TAILLARD_1993_LOWER_BOUNDS = [977, 942, 921, 911, 940, 889, 935, 963, 982, 911];

test("Taillard's generator reproduces ta01's published rows", () => {
  const t = TAILLARD_INSTANCES[0];
  const { times, machines } = taillardJobShop(t.jobs, t.machines, t.timeSeed, t.machineSeed);
  assert.deepEqual(times[0], TA01_TIMES_FIRST);
  assert.deepEqual(times[14], TA01_TIMES_LAST);
  assert.deepEqual(machines[0], TA01_MACHINES_FIRST);
  assert.deepEqual(machines[1], TA01_MACHINES_SECOND);
});

test('ta01-ta10 are 15 x 15 job shops whose lower bounds are the ones Taillard published', () => {
  assert.deepEqual(TAILLARD_INSTANCES.map((t) => t.name), ['ta01', 'ta02', 'ta03', 'ta04', 'ta05', 'ta06', 'ta07', 'ta08', 'ta09', 'ta10']);
  TAILLARD_INSTANCES.forEach((t, i) => {
    const { times, machines } = taillardJobShop(15, 15, t.timeSeed, t.machineSeed);
    const load = new Array<number>(16).fill(0);
    times.forEach((row, j) => row.forEach((d, k) => (load[machines[j][k]] += d)));
    for (const row of machines) assert.deepEqual([...row].sort((a, b) => a - b), Array.from({ length: 15 }, (_, k) => k + 1), `${t.name}: a permutation`);
    const lb = Math.max(...times.map((r) => r.reduce((a, d) => a + d, 0)), ...load);
    assert.equal(lb, TAILLARD_1993_LOWER_BOUNDS[i], t.name);
    assert.ok(t.bestKnown > lb, `${t.name}: best known ${t.bestKnown} above the lower bound`);
  });
});

test('a Taillard snapshot is a makespan job shop carrying its best-known makespan; its text imports to the same jobs', () => {
  const t = TAILLARD_INSTANCES[2];
  const snap = parseSnapshot(taillardSnapshot(t), t.name);
  assert.equal(snap.objective, 'makespan');
  assert.equal(snap.meta!.bestKnownMakespan, 1218);
  assert.equal(snap.jobs.length, 15);
  assert.equal(snap.machines.length, 15);
  const back = parseSnapshot(importInstance(taillardText(t), 'taillard', 'ta03.txt'), 'ta03.txt');
  assert.deepEqual(back.jobs, snap.jobs);
  assert.deepEqual(back.machines, snap.machines);
  assert.equal(back.meta!.bestKnownMakespan, 1218);
  // times of 1 beside a median of ~50 are the benchmark's design, not data-entry slips
  for (const x of TAILLARD_INSTANCES) assert.deepEqual(snapshotWarnings(parseSnapshot(taillardSnapshot(x), x.name)), [], x.name);
});

test('instance lists: names, ranges, all; unknown names and backward ranges are usage errors', () => {
  assert.deepEqual(taillardSelection('ta01..ta03,ta05,ta02').map((t) => t.name), ['ta01', 'ta02', 'ta03', 'ta05']);
  assert.equal(taillardSelection('all').length, 10);
  assert.deepEqual(taillardSelection('TA10').map((t) => t.name), ['ta10']);
  const refused = (spec: string) => assert.throws(() => taillardSelection(spec), (e: unknown) => e instanceof SchedError && e.code === 'USAGE');
  refused('ta11');
  refused('ta05..ta02');
  refused('ta01..ta02..ta03');
  assert.throws(() => taillardSelection('ta99'), /unknown Taillard instance "ta99"; available: ta01, ta02/);
});

test('job-shop profiles: every job visits every machine once, integer times in 1..99, seeded', () => {
  assert.deepEqual(JOBSHOP_PROFILES.map((p) => p.name), ['jssp_6x6', 'jssp_10x10', 'jssp_15x10', 'jssp_15x15', 'jssp_20x15', 'jssp_20x20']);
  for (const p of JOBSHOP_PROFILES) {
    const s = parseSnapshot(JSON.parse(serializeSnapshot(generateSnapshot(p, 3))), p.name);
    assert.equal(s.objective, 'makespan');
    assert.equal(s.jobs.length, p.jobs);
    assert.equal(s.machines.length, p.machines);
    assert.deepEqual(s.meta, { ...s.meta, profile: p.name, seed: 3 });
    for (const j of s.jobs) {
      assert.deepEqual(j.tasks.map((t) => t.machines[0]).sort(), s.machines.map((m) => m.id).sort(), `${p.name} ${j.id}`);
      for (const t of j.tasks) assert.ok(Number.isInteger(t.duration) && t.duration >= 1 && t.duration <= 99 && t.machines.length === 1);
    }
  }
  const p = getProfile('jssp_10x10');
  assert.equal(serializeSnapshot(generateSnapshot(p, 7)), serializeSnapshot(generateSnapshot(p, 7)));
  assert.notEqual(serializeSnapshot(generateSnapshot(p, 7)), serializeSnapshot(generateSnapshot(p, 8)));
  // uniform in 1..99: the mean of 400 draws is near 50
  const all = generateSnapshot(getProfile('jssp_20x20'), 1).jobs.flatMap((j) => j.tasks.map((t) => t.duration));
  assert.ok(Math.abs(all.reduce((a, d) => a + d, 0) / all.length - 50) < 4);
});
