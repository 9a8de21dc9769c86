import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASELINES, BASELINE_NAMES, getBaseline, runBaseline } from '../../src/baselines/index.js';
import { runPositionChooser } from '../../src/env/episode.js';
import { parseSnapshot } from '../../src/data/snapshots/load.js';
import { edgeCases } from '../../src/data/snapshots/edge-cases.js';
import type { Snapshot } from '../../src/data/snapshots/schema.js';
import { Rng } from '../../src/util/rng.js';
import { randomSnapshot } from '../helpers/random-snapshot.js';
import { scheduleFaults } from '../../src/evaluation/check.js';
import { snap, stage } from '../helpers/snapshots.js';

test('the registry holds the nine rules named in the spec, and MOPNR for job shops', () => {
  assert.deepEqual(BASELINE_NAMES, ['random', 'fifo', 'edd', 'spt', 'lpt', 'mwkr', 'mopnr', 'cr', 'atc', 'greedy']);
  assert.equal(getBaseline('critical_ratio'), BASELINES.cr);
  assert.equal(getBaseline('EDD'), BASELINES.edd);
  assert.throws(() => getBaseline('nope'), /unknown rule "nope"; choose one of random, fifo/);
});

test('every baseline builds a complete, feasible schedule', () => {
  const instances: Snapshot[] = [
    ...Array.from({ length: 8 }, (_, i) => randomSnapshot(100 + i, { jobs: 12, machines: 4, calendars: i % 2 === 0, releases: true, emptyJobShare: 0.1 })),
    randomSnapshot(200, { jobs: 10, machines: 3, objective: 'makespan' }),
    stage('toy_multi', 2),
    stage('small_complex', 2),
    ...edgeCases(1).map((f) => parseSnapshot(f)),
  ];
  for (const s of instances) {
    for (const name of BASELINE_NAMES) {
      const r = runBaseline(s, name, { seed: 3 });
      assert.equal(r.schedule.policy, name);
      assert.deepEqual(scheduleFaults(s, r.schedule), [], `${name} on ${s.name}`);
      assert.equal(r.schedule.metrics.invalid_actions, 0);
    }
  }
});

/** The job ids in the order the rule dispatched them. */
function dispatchOrder(s: Snapshot, name: string): string[] {
  const rule = getBaseline(name);
  const rng = new Rng(0);
  const seen: string[] = [];
  runPositionChooser(s, (sim, e) => {
    const p = rule.choose(sim, e, rng);
    seen.push(sim.instances[0].jobIds[sim.order[e * sim.J + p]]);
    return p;
  }, name);
  return seen;
}

const oneMachine = (jobs: { id: string; due?: number; release?: number; important?: boolean; d: number[] }[]) =>
  snap({ jobs: jobs.map((j) => ({ id: j.id, due: j.due ?? 100, release: j.release ?? 0, important: j.important ?? false, tasks: j.d.map((d, k) => ({ id: `${j.id}${k + 1}`, seq: k + 1, duration: d, machines: ['M1'] })) })) });

test('EDD dispatches the earliest due date first', () => {
  const s = oneMachine([{ id: 'A', due: 30, d: [1] }, { id: 'B', due: 10, d: [1] }, { id: 'C', due: 20, d: [1] }]);
  assert.deepEqual(dispatchOrder(s, 'edd'), ['B', 'C', 'A']);
});

test('SPT dispatches the shortest task first, LPT the longest', () => {
  const s = oneMachine([{ id: 'A', d: [3] }, { id: 'B', d: [1] }, { id: 'C', d: [2] }]);
  assert.deepEqual(dispatchOrder(s, 'spt'), ['B', 'C', 'A']);
  assert.deepEqual(dispatchOrder(s, 'lpt'), ['A', 'C', 'B']);
});

test('MWKR dispatches the job with the most remaining work first', () => {
  const s = oneMachine([{ id: 'A', d: [1, 1] }, { id: 'B', d: [3] }]);
  assert.deepEqual(dispatchOrder(s, 'mwkr'), ['B', 'A', 'A']);
});

test('MOPNR dispatches the job with the most tasks left first, whatever their work', () => {
  const s = oneMachine([{ id: 'A', d: [5] }, { id: 'B', d: [1, 1, 1] }, { id: 'C', d: [2, 2] }]);
  // B (3 tasks), then C and B with 2 each (ties: more work left first), then 1 each: A has the most work
  assert.deepEqual(dispatchOrder(s, 'mopnr'), ['B', 'C', 'B', 'A', 'C', 'B']);
  assert.deepEqual(dispatchOrder(s, 'mwkr'), ['A', 'C', 'B', 'B', 'C', 'B']);
});

test('FIFO dispatches the task that became ready first', () => {
  const s = oneMachine([{ id: 'A', release: 1, d: [5] }, { id: 'B', release: 0, d: [5] }, { id: 'C', release: 0.5, d: [5] }]);
  assert.deepEqual(dispatchOrder(s, 'fifo'), ['B', 'C', 'A']);
});

test('critical ratio favours the job whose remaining work eats most of its time to due', () => {
  const s = oneMachine([{ id: 'A', due: 10, d: [8] }, { id: 'B', due: 10, d: [2] }]);
  assert.deepEqual(dispatchOrder(s, 'cr'), ['A', 'B']);
  assert.deepEqual(dispatchOrder(s, 'spt'), ['B', 'A']);
});

test('ATC weighs important jobs double', () => {
  const s = oneMachine([{ id: 'A', due: 5, d: [2] }, { id: 'B', due: 5, important: true, d: [2] }]);
  assert.deepEqual(dispatchOrder(s, 'atc'), ['B', 'A']);
});

test('greedy dispatches the earliest completion first, the most urgent among ties', () => {
  const s = snap({
    machines: [{ id: 'M1', type: 'a' }, { id: 'M2', type: 'b' }, { id: 'M3', type: 'c' }],
    jobs: [
      { id: 'A', due: 5, tasks: [{ id: 'A1', seq: 1, duration: 5, machines: ['M1'] }] },
      { id: 'B', due: 50, tasks: [{ id: 'B1', seq: 1, duration: 2, machines: ['M2'] }] },
      { id: 'C', due: 40, tasks: [{ id: 'C1', seq: 1, duration: 2, machines: ['M3'] }] },
    ],
  });
  assert.deepEqual(dispatchOrder(s, 'greedy'), ['C', 'B', 'A']);
});

test('rules ignore candidates that could only start after another one finishes (active schedules)', () => {
  // B is due first but released at 10; EDD still runs A (ready now, ends at 3) before waiting for B
  const s = oneMachine([{ id: 'A', due: 50, d: [3] }, { id: 'B', due: 12, release: 10, d: [1] }]);
  assert.deepEqual(dispatchOrder(s, 'edd'), ['A', 'B']);
});

test('the random rule is seeded', () => {
  const s = randomSnapshot(7, { jobs: 12, machines: 3 });
  const a = runBaseline(s, 'random', { seed: 1 }).schedule.assignments;
  assert.deepEqual(runBaseline(s, 'random', { seed: 1 }).schedule.assignments, a);
  assert.notDeepEqual(runBaseline(s, 'random', { seed: 2 }).schedule.assignments, a);
});
