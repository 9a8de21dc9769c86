import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPositionChooser, runSlotPolicy } from '../../src/env/episode.js';
import { compileInstance } from '../../src/env/instance.js';
import { Simulator } from '../../src/env/simulator.js';
import { SchedulingVecEnv } from '../../src/env/scheduling-vec-env.js';
import { BASELINE_NAMES, runBaseline } from '../../src/baselines/index.js';
import { parseSnapshot } from '../../src/data/snapshots/load.js';
import { edgeCases } from '../../src/data/snapshots/edge-cases.js';
import type { Snapshot } from '../../src/data/snapshots/schema.js';
import { Rng } from '../../src/util/rng.js';
import { randomSnapshot } from '../helpers/random-snapshot.js';
import { checkSchedule } from '../helpers/feasibility.js';
import { byJobs, snap, stage } from '../helpers/snapshots.js';

type Row = { task: string; machines: string[]; start: number; end: number };
const find = (r: { schedule: { assignments: Row[] } }, id: string) => r.schedule.assignments.find((a) => a.task === id)!;
const span = (a: Row) => [a.start, a.end];
const two = [{ id: 'M1', type: 'a' }, { id: 'M2', type: 'b' }];
const modes = ['stretch', 'no_split'] as const;

// A1 on M2 (0-5), then A2 on M1 (5-7) leaves M1 idle over [0, 5): B (3 h) fits there, C (6 h) does not.
const gapShop = snap({ machines: two, jobs: [
  { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 5, machines: ['M2'] }, { id: 'A2', seq: 2, duration: 2, machines: ['M1'] }] },
  { id: 'B', due: 50, tasks: [{ id: 'B1', seq: 1, duration: 3, machines: ['M1'] }] },
  { id: 'C', due: 50, tasks: [{ id: 'C1', seq: 1, duration: 6, machines: ['M1'] }] },
] });

test('gap filling: a task that fits an idle gap goes there, one that does not fit is appended', () => {
  const order = ['A', 'A', 'C', 'B'];
  const gaps = runPositionChooser(gapShop, byJobs(order), 'test', { placement: 'fill_gaps' });
  assert.deepEqual(span(find(gaps, 'A2')), [5, 7]);
  assert.deepEqual(span(find(gaps, 'C1')), [7, 13]); // 6 h does not fit [0, 5)
  assert.deepEqual(span(find(gaps, 'B1')), [0, 3]); // 3 h does
  assert.deepEqual(checkSchedule(gapShop, gaps.schedule, { active: true }), []);
  const append = runPositionChooser(gapShop, byJobs(order), 'test', { placement: 'append' });
  assert.deepEqual(span(find(append, 'B1')), [13, 16]);
  assert.deepEqual(checkSchedule(gapShop, append.schedule), []);
  // the independent checker sees the gap B1 could have used
  assert.ok(checkSchedule(gapShop, append.schedule, { active: true }).some((p) => p.includes('B1')));
});

test('gap filling splits the gap: two tasks share it; appending uses none of it', () => {
  const s = snap({ machines: two, jobs: [
    { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 10, machines: ['M2'] }, { id: 'A2', seq: 2, duration: 1, machines: ['M1'] }] },
    { id: 'B', due: 50, release: 2, tasks: [{ id: 'B1', seq: 1, duration: 3, machines: ['M1'] }] },
    { id: 'C', due: 50, tasks: [{ id: 'C1', seq: 1, duration: 2, machines: ['M1'] }] },
    { id: 'D', due: 50, tasks: [{ id: 'D1', seq: 1, duration: 3, machines: ['M1'] }] },
  ] });
  const order = ['A', 'A', 'B', 'C', 'D'];
  const r = runPositionChooser(s, byJobs(order), 'test', { placement: 'fill_gaps' });
  assert.deepEqual(span(find(r, 'B1')), [2, 5]); // at its release inside [0, 10)
  assert.deepEqual(span(find(r, 'C1')), [0, 2]); // the left part [0, 2)
  assert.deepEqual(span(find(r, 'D1')), [5, 8]); // the right part [5, 10)
  assert.deepEqual(checkSchedule(s, r.schedule, { active: true }), []);
  assert.deepEqual(span(find(runPositionChooser(s, byJobs(order), 'test', { placement: 'append' }), 'C1')), [14, 16]);
});

test('gap filling respects the calendar: a gap must hold the task with its pauses (stretch) or whole (no_split)', () => {
  // M1 has a lunch break 12-13 on Monday; A1 (M2, 0-16) then A2 (M1) leave M1 idle over [0, 16)
  const s = snap({
    machines: two,
    calendars: { lunch: { breaks: [{ weekday: 1, start: 12, end: 13 }], holidays: [] } },
    jobs: [
      { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 16, machines: ['M2'] }, { id: 'A2', seq: 2, duration: 1, machines: ['M1'] }] },
      { id: 'B', due: 50, release: 10, tasks: [{ id: 'B1', seq: 1, duration: 5, machines: ['M1'] }] },
      { id: 'C', due: 50, release: 11, tasks: [{ id: 'C1', seq: 1, duration: 5, machines: ['M1'] }] },
    ],
  });
  s.machines[0].calendar = 'lunch';
  const order = ['A', 'A', 'B', 'C'];
  const stretch = runPositionChooser(s, byJobs(order), 'test', { placement: 'fill_gaps', calendarMode: 'stretch' });
  assert.deepEqual(span(find(stretch, 'B1')), [10, 16]); // 10-12, lunch, 13-16: ends exactly at the gap's end
  assert.deepEqual(span(find(stretch, 'C1')), [17, 22]); // at 11 it would pause and end at 17 > 16
  const noSplit = runPositionChooser(s, byJobs(order), 'test', { placement: 'fill_gaps', calendarMode: 'no_split' });
  assert.deepEqual(span(find(noSplit, 'B1')), [17, 22]); // 13-18 would overrun the gap: appended
  // the checker tells the modes apart: B1 pauses over lunch although 5 h fit a window
  assert.ok(checkSchedule(s, stretch.schedule, { calendarMode: 'no_split' }).some((p) => /^task B1 on .* is split by/.test(p)));
  for (const [r, mode] of [[stretch, 'stretch'], [noSplit, 'no_split']] as const) {
    assert.deepEqual(checkSchedule(s, r.schedule, { active: true, calendarMode: mode }), [], mode);
  }
});

test('gap filling: a multi-machine task needs a common gap on all of its machines', () => {
  const three = [...two, { id: 'M3', type: 'c' }];
  const task = (id: string, duration: number, machines: string[]) => ({ id, seq: Number(id.at(-1)), duration, machines });
  const both = (id: string, duration: number) => ({ id: id[0], due: 50, tasks: [{ id, seq: 1, duration, requiresAll: ['M1', 'M2'] }] });
  const s = snap({ machines: three, jobs: [
    { id: 'A', due: 50, tasks: [task('A1', 4, ['M3']), task('A2', 1, ['M1'])] },
    { id: 'B', due: 50, tasks: [task('B1', 2, ['M2']), task('B2', 4, ['M3']), task('B3', 1, ['M2'])] },
    both('C1', 4),
    both('D1', 3),
    both('E1', 2),
  ] });
  // M1 is idle over [0, 4) and busy 4-5; M2 busy 0-2, idle over [2, 8), busy 8-9:
  // the common idle time is [2, 4) (2 h) and [5, 8) (3 h)
  const order = ['A', 'B', 'A', 'B', 'B', 'C', 'D', 'E'];
  const r = runPositionChooser(s, byJobs(order), 'test', { placement: 'fill_gaps' });
  assert.deepEqual([span(find(r, 'A2')), span(find(r, 'B3'))], [[4, 5], [8, 9]]);
  assert.deepEqual(span(find(r, 'C1')), [9, 13]); // 4 h: no common gap, after both machines' last task
  assert.deepEqual(span(find(r, 'D1')), [5, 8]);
  assert.deepEqual(span(find(r, 'E1')), [2, 4]);
  assert.deepEqual(checkSchedule(s, r.schedule, { active: true }), []);
});

test('placement is validated', () => {
  assert.throws(() => new SchedulingVecEnv({ snapshots: gapShop, placement: 'gaps' as never }), /placement must be "append" or "fill_gaps", got "gaps"/);
});

/** Every instance the feasibility tests below use: random ones and the edge_case_* snapshots. */
function instances(): Snapshot[] {
  return [
    ...Array.from({ length: 10 }, (_, i) => randomSnapshot(300 + i, { jobs: 6 + i, machines: 2 + (i % 4), calendars: i % 2 === 0, releases: i % 3 !== 0, multiShare: 0.25, emptyJobShare: i % 5 === 0 ? 0.2 : 0, objective: i === 7 ? 'makespan' : 'due_dates' })),
    ...edgeCases(1).map((f) => parseSnapshot(f)),
  ];
}

test('with gap filling every rule builds complete, feasible, active schedules in both calendar modes, the same as appending', () => {
  const list = instances();
  assert.ok(list.some((s) => s.name.startsWith('edge_case_long_tasks_holidays')) && list.length >= 19);
  for (const s of list) {
    for (const mode of modes) {
      for (const name of BASELINE_NAMES) {
        const r = runBaseline(s, name, { seed: 5, calendarMode: mode, placement: 'fill_gaps' });
        assert.deepEqual(checkSchedule(s, r.schedule, { calendarMode: mode, active: true }), [], `${name} on ${s.name} (${mode})`);
        assert.equal(r.schedule.metrics.completion_rate, 1);
        // a rule only dispatches within the conflict set, so even appending builds an active
        // schedule (Giffler & Thompson): gap filling changes nothing for the rules
        const a = runBaseline(s, name, { seed: 5, calendarMode: mode, placement: 'append' });
        assert.deepEqual(a.schedule.assignments, r.schedule.assignments, `${name} on ${s.name} (${mode}): append differs`);
      }
    }
  }
});

test('with gap filling a random masked policy builds feasible, active schedules; appending leaves gaps it could use', () => {
  let appendNotActive = 0;
  const play = (s: Snapshot, seed: number, mode: (typeof modes)[number], placement: 'append' | 'fill_gaps') => {
    const rng = new Rng(seed);
    return runSlotPolicy(s, (_o, mask) => rng.int(mask.indexOf(0) < 0 ? mask.length : mask.indexOf(0)), 'random', { slots: 1 + (seed % 6), calendarMode: mode, placement }).schedule;
  };
  for (let seed = 0; seed < 16; seed++) {
    const s = randomSnapshot(400 + seed, { jobs: 4 + seed, machines: 1 + (seed % 5), calendars: seed % 2 === 1, releases: true, multiShare: 0.3 });
    for (const mode of modes) {
      assert.deepEqual(checkSchedule(s, play(s, seed, mode, 'fill_gaps'), { calendarMode: mode, active: true }), [], `${s.name} (${mode})`);
      const a = play(s, seed, mode, 'append');
      assert.deepEqual(checkSchedule(s, a, { calendarMode: mode }), [], `${s.name} (${mode}, append)`);
      if (checkSchedule(s, a, { calendarMode: mode, active: true }).length > 0) appendNotActive++;
    }
  }
  assert.ok(appendNotActive >= 8, `appending left a usable gap in only ${appendNotActive} of 32 schedules`);
  for (const name of ['toy_multi', 'small_complex']) {
    const s = stage(name, 2);
    const r = runSlotPolicy(s, (_o, mask) => mask.lastIndexOf(1), 'last', { placement: 'fill_gaps' });
    assert.deepEqual(checkSchedule(s, r.schedule, { active: true }), [], name);
  }
});

test('with gap filling the kept candidates equal a recomputation from scratch after every decision', () => {
  for (let seed = 0; seed < 12; seed++) {
    const s = randomSnapshot(500 + seed, { jobs: 10, machines: 2 + (seed % 3), calendars: seed % 2 === 0, releases: true, multiShare: 0.3 });
    for (const mode of modes) {
      const sim = new Simulator({ instances: [compileInstance(s)], numEnvs: 2, calendarMode: mode, placement: 'fill_gaps', variation: { durationJitter: 0.2 }, seed });
      const rng = new Rng(seed);
      for (let e = 0; e < 2; e++) {
        sim.resetEnv(e);
        const inst = sim.instanceOf(e);
        const eJ = e * sim.J;
        while (!sim.isDone(e)) {
          sim.apply(e, rng.int(sim.readyCount(e)));
          for (let p = 0; p < sim.readyCount(e); p++) {
            const j = sim.order[eJ + p];
            const kept = [sim.candStart[eJ + j], sim.candEnd[eJ + j], sim.candMachine[eJ + j], sim.candIdleFrom[eJ + j], ...sim.candFeat!.subarray((eJ + j) * 14, (eJ + j + 1) * 14)];
            sim.computeCandidate(e, j, inst);
            const fresh = [sim.candStart[eJ + j], sim.candEnd[eJ + j], sim.candMachine[eJ + j], sim.candIdleFrom[eJ + j], ...sim.candFeat!.subarray((eJ + j) * 14, (eJ + j + 1) * 14)];
            assert.deepEqual(kept, fresh, `${s.name} (${mode}) env ${e} job ${inst.jobIds[j]}`);
          }
        }
      }
    }
  }
});

test('an idle-gap candidate shows the idle time it leaves in its gap (machine_idle_gap), not past its machine\'s last task', () => {
  // after A1 (M2, 0-5) and A2 (M1, 5-7), B (release 1) goes into M1's gap [0, 5) at 1: 1 h idle before it
  const s = snap({ machines: two, jobs: [
    { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 5, machines: ['M2'] }, { id: 'A2', seq: 2, duration: 2, machines: ['M1'] }] },
    { id: 'B', due: 50, release: 1, tasks: [{ id: 'B1', seq: 1, duration: 2, machines: ['M1'] }] },
  ] });
  const sim = new Simulator({ instances: [compileInstance(s)], numEnvs: 1, placement: 'fill_gaps' });
  sim.resetEnv(0);
  const inst = sim.instanceOf(0);
  const A = inst.jobIds.indexOf('A');
  const B = inst.jobIds.indexOf('B');
  const pos = (j: number) => Array.from(sim.order.subarray(0, sim.readyCount(0))).indexOf(j);
  sim.apply(0, pos(A));
  sim.apply(0, pos(A));
  assert.deepEqual([sim.candStart[B], sim.candEnd[B], sim.candIdleFrom[B]], [1, 3, 0]);
  assert.equal(sim.candFeat![B * 14 + 10], Math.fround(1 / inst.meanTaskWork));
  assert.equal(sim.machineFree[inst.machineIds.indexOf('M1')], 7); // the last task's end is unchanged by gaps
});
