import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSnapshot } from '../../src/data/snapshots/generator.js';
import { parseSnapshot } from '../../src/data/snapshots/load.js';
import { NAMED_PROFILES, STAGE_PROFILES, getProfile } from '../../src/data/snapshots/profiles.js';
import { serializeSnapshot } from '../../src/data/snapshots/serialize.js';
import { snapshotStats } from '../../src/data/snapshots/stats.js';
import { SchedError } from '../../src/errors.js';

const STAGES: [string, number, number][] = [
  ['toy_easy', 5, 3], ['toy_normal', 10, 5], ['toy_hard', 15, 5], ['toy_multi', 10, 8],
  ['small_balanced', 30, 15], ['small_rush', 50, 20], ['small_bottleneck', 40, 10], ['small_complex', 50, 25],
  ['medium_normal', 150, 40], ['medium_stress', 200, 50], ['large_intro', 300, 75], ['large_advanced', 400, 100],
  ['production_warmup', 295, 145], ['production_rush', 295, 145], ['production_heavy', 500, 145], ['production_expert', 500, 145],
];

test('the 16 stage profiles are the curriculum stages, in order, with their sizes', () => {
  assert.deepEqual(STAGE_PROFILES.map((p) => [p.name, p.jobs, p.machines]), STAGES);
  assert.deepEqual(NAMED_PROFILES.map((p) => p.name), ['snapshot_normal', 'snapshot_rush', 'snapshot_heavy', 'snapshot_bottleneck', 'snapshot_multi_heavy']);
});

test('same profile and seed give the same bytes; another seed gives another instance', () => {
  for (const name of ['toy_easy', 'small_complex', 'production_expert']) {
    const p = getProfile(name);
    const a = serializeSnapshot(generateSnapshot(p, 7));
    const b = serializeSnapshot(generateSnapshot(p, 7));
    const c = serializeSnapshot(generateSnapshot(p, 8));
    assert.equal(a, b, `${name}: same seed`);
    assert.notEqual(a, c, `${name}: different seed`);
  }
});

test('every factory profile generates a valid snapshot with its job, machine and type counts', () => {
  for (const p of [...STAGE_PROFILES, ...NAMED_PROFILES]) {
    const file = generateSnapshot(p, 3);
    const s = parseSnapshot(JSON.parse(serializeSnapshot(file)), p.name);
    assert.equal(s.jobs.length, p.jobs, `${p.name} jobs`);
    assert.equal(s.machines.length, p.machines, `${p.name} machines`);
    assert.equal(new Set(s.machines.map((m) => m.type)).size, Math.min(p.machineTypes, p.machines), `${p.name} types`);
    assert.deepEqual(s.meta, { ...s.meta, generator: 'sched-generator', profile: p.name, seed: 3, horizon: p.horizon });
    const st = snapshotStats(s);
    assert.equal(st.urgentShare, Math.round(p.urgentShare * p.jobs) / p.jobs, `${p.name} urgent share`);
    assert.equal(st.importantShare, Math.round(p.importantShare * p.jobs) / p.jobs, `${p.name} important share`);
    for (const j of s.jobs) {
      assert.ok(j.tasks.length >= p.tasksPerJob[0] && j.tasks.length <= p.tasksPerJob[1], `${p.name} ${j.id} task count`);
      j.tasks.forEach((t, k) => {
        assert.equal(t.id, `${j.id}.${k + 1}`);
        const ms = t.machines.length ? t.machines : t.requiresAll;
        const types = new Set(ms.map((id) => s.machines.find((m) => m.id === id)!.type));
        assert.equal(types.size, 1, `${p.name} ${t.id}: machines of one type`);
        if (t.machines.length) assert.ok(t.machines.length <= p.eligible[1]);
        assert.ok(t.duration >= 0.25 && t.duration <= p.duration.max);
      });
    }
  }
});

test('profiles show their character: urgency, multi-machine tasks, bottlenecks, calendars', () => {
  const stats = (name: string) => snapshotStats(parseSnapshot(generateSnapshot(getProfile(name), 11)));
  assert.ok(stats('snapshot_rush').urgentShare >= 0.79);
  assert.ok(stats('production_rush').urgentShare >= 0.79);
  assert.ok(stats('snapshot_heavy').jobs >= 500);
  assert.equal(stats('toy_easy').multiMachineTasks, 0);
  for (const name of ['toy_multi', 'small_complex', 'production_warmup', 'production_expert']) assert.ok(stats(name).multiMachineTasks > 0, name);
  assert.ok(stats('snapshot_multi_heavy').multiMachineShare > 0.2);
  assert.equal(stats('production_expert').machineTypes, 40);
  // bottleneck profiles: the most loaded type carries far more than the average
  for (const name of ['snapshot_bottleneck', 'medium_stress', 'small_bottleneck']) {
    const st = stats(name);
    assert.ok(st.types[0].load > 1.4 * st.load, `${name}: top type ${st.types[0].load} vs ${st.load}`);
  }
  const prod = generateSnapshot(getProfile('production_expert'), 11);
  assert.equal(prod.calendars!.default.holidays!.length, 3);
  assert.ok(prod.calendars!.default.breaks!.length > 0);
  assert.deepEqual(generateSnapshot(getProfile('toy_easy'), 11).calendars, {});
});

test('an unknown profile is a usage error listing the valid names', () => {
  assert.throws(
    () => getProfile('toy_eazy'),
    (err: unknown) => err instanceof SchedError && err.code === 'USAGE' && /unknown generator profile "toy_eazy"/.test(err.message) && err.message.includes('production_expert') && err.message.includes('snapshot_rush'),
  );
});

