import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulingVecEnv } from '../../src/env/scheduling-vec-env.js';
import { runSlotPolicy } from '../../src/env/episode.js';
import { obsDimFor, G, F } from '../../src/env/observation.js';
import { Rng } from '../../src/util/rng.js';
import { randomSnapshot } from '../helpers/random-snapshot.js';
import { scheduleFaults } from '../../src/evaluation/check.js';
import { snap, stage } from '../helpers/snapshots.js';

function randomMasked(rng: Rng) {
  return (_obs: Float32Array, mask: Uint8Array) => {
    let n = 0;
    while (n < mask.length && mask[n] === 1) n++;
    assert.ok(n > 0, 'no valid action while work remains');
    return rng.int(n);
  };
}

test('random masked play always ends in a complete schedule the independent checker accepts', () => {
  let instances = 0;
  for (let seed = 0; seed < 40; seed++) {
    const s = randomSnapshot(seed, {
      jobs: 3 + (seed % 13),
      machines: 1 + (seed % 6),
      calendars: seed % 2 === 0,
      releases: seed % 3 !== 0,
      emptyJobShare: seed % 5 === 0 ? 0.2 : 0,
      objective: seed % 7 === 3 ? 'makespan' : 'due_dates',
    });
    for (const mode of ['stretch', 'no_split'] as const) {
      const r = runSlotPolicy(s, randomMasked(new Rng(seed)), 'random', { slots: 1 + (seed % 8), calendarMode: mode });
      assert.deepEqual(scheduleFaults(s, r.schedule, { calendar: mode }), [], `${s.name} (${mode})`);
      assert.equal(r.schedule.metrics.completion_rate, 1);
      assert.equal(r.schedule.metrics.invalid_actions, 0);
      instances++;
    }
  }
  for (const name of ['toy_easy', 'toy_multi', 'small_complex', 'small_bottleneck']) {
    const s = stage(name, 3);
    const r = runSlotPolicy(s, randomMasked(new Rng(3)), 'random');
    assert.deepEqual(scheduleFaults(s, r.schedule), [], name);
    instances++;
  }
  assert.equal(instances, 84);
});

test('the checker itself catches overlaps, precedence, breaks and wrong machines', () => {
  const s = randomSnapshot(5, { jobs: 8, machines: 3, calendars: true });
  const r = runSlotPolicy(s, randomMasked(new Rng(1)), 'random');
  assert.deepEqual(scheduleFaults(s, r.schedule), []);
  const broken = structuredClone(r.schedule);
  const last = broken.assignments[broken.assignments.length - 1];
  last.start -= 1000;
  assert.ok(scheduleFaults(s, broken).length > 0);
  const missing = structuredClone(r.schedule);
  missing.assignments.pop();
  assert.ok(scheduleFaults(s, missing).some((p) => p.includes('not scheduled')));
});

test('the VecEnv: masks are always non-empty, episodes auto-reset with finalObs and metrics', () => {
  const s = randomSnapshot(2, { jobs: 10, machines: 4, calendars: true, releases: true });
  const env = new SchedulingVecEnv({ snapshots: s, numEnvs: 3, seed: 7, slots: 8 });
  assert.equal(env.obsDim, obsDimFor(8));
  assert.equal(env.numActions, 8);
  const rng = new Rng(1);
  const actions = new Int32Array(3);
  let finished = 0;
  for (let step = 0; step < 400; step++) {
    for (let e = 0; e < 3; e++) {
      let n = 0;
      while (n < 8 && env.masks[e * 8 + n] === 1) n++;
      assert.ok(n > 0);
      for (let k = n; k < 8; k++) assert.equal(env.masks[e * 8 + k], 0);
      actions[e] = rng.int(n);
    }
    env.step(actions);
    for (let e = 0; e < 3; e++) {
      assert.equal(env.truncated[e], 0);
      if (env.terminated[e]) {
        finished++;
        assert.ok(Math.abs(env.finalObs[e * env.obsDim] - 1) < 1e-6, 'final obs shows progress 1');
        assert.ok(env.obs[e * env.obsDim] < 1, 'obs already holds the next episode');
      }
    }
  }
  const eps = env.drainEpisodes();
  assert.equal(eps.length, finished);
  assert.ok(finished > 5);
  for (const ep of eps) {
    assert.equal(ep.metrics!.completion_rate, 1);
    assert.equal(ep.metrics!.invalid_actions, 0);
    assert.equal(ep.length, ep.metrics!.tasks_total);
  }
  assert.deepEqual(env.drainEpisodes(), []);
});

test('maxSteps truncates an episode', () => {
  const s = randomSnapshot(3, { jobs: 10, machines: 3 });
  const env = new SchedulingVecEnv({ snapshots: s, numEnvs: 1, maxSteps: 4, variation: 'off' });
  const a = new Int32Array(1);
  for (let i = 0; i < 3; i++) env.step(a);
  assert.equal(env.truncated[0], 0);
  env.step(a);
  assert.equal(env.truncated[0], 1);
  assert.equal(env.terminated[0], 0);
  const [ep] = env.drainEpisodes();
  assert.equal(ep.length, 4);
  assert.ok(ep.metrics!.completion_rate < 1);
});

test('an action on a masked-out slot is counted and replaced by slot 0 without corrupting the episode', () => {
  const s = snap({ jobs: [
    { id: 'A', due: 50, tasks: [{ id: 'A1', seq: 1, duration: 1, machines: ['M1'] }] },
    { id: 'B', due: 50, tasks: [{ id: 'B1', seq: 1, duration: 1, machines: ['M1'] }] },
  ] });
  const env = new SchedulingVecEnv({ snapshots: s, numEnvs: 1, variation: 'off', reward: { invalidAction: -5, onTime: 0, earlyPerDay: 0 } });
  env.step(Int32Array.of(20));
  assert.equal(env.rewards[0], 15 - 5);
  env.step(Int32Array.of(0));
  assert.equal(env.terminated[0], 1);
  const [ep] = env.drainEpisodes();
  assert.equal(ep.metrics!.invalid_actions, 1);
  assert.equal(ep.metrics!.completion_rate, 1);
  assert.equal(ep.metrics!.makespan, 2);
});

test('same seed, same episodes; another seed varies the instance', () => {
  const s = stage('toy_normal', 2);
  const run = (seed: number) => {
    const env = new SchedulingVecEnv({ snapshots: s, numEnvs: 2, seed });
    const rng = new Rng(9);
    const a = new Int32Array(2);
    const trace: number[] = [];
    for (let i = 0; i < 120; i++) {
      for (let e = 0; e < 2; e++) {
        let n = 0;
        while (n < env.numActions && env.masks[e * env.numActions + n] === 1) n++;
        a[e] = rng.int(n);
      }
      env.step(a);
      trace.push(env.rewards[0], env.rewards[1], env.obs[5], env.obs[env.obsDim + 20]);
    }
    return { trace, eps: env.drainEpisodes() };
  };
  const x = run(4);
  const y = run(4);
  assert.deepEqual(x.trace, y.trace);
  assert.deepEqual(x.eps, y.eps);
  assert.notDeepEqual(run(5).trace, x.trace);
  // reset(seed) restarts the same sequence
  const env = new SchedulingVecEnv({ snapshots: s, numEnvs: 1, seed: 4 });
  const first = Array.from(env.obs);
  env.step(Int32Array.of(0));
  env.reset(4);
  assert.deepEqual(Array.from(env.obs), first);
});

test('episode variation jitters times, shifts due dates and drops jobs; off reproduces the snapshot', () => {
  const s = stage('small_balanced', 1);
  const tasks = s.jobs.reduce((n, j) => n + j.tasks.length, 0);
  const env = new SchedulingVecEnv({ snapshots: s, numEnvs: 4, seed: 1, variation: { durationJitter: 0.2, dueShiftHours: 24, jobKeepMin: 0.5 } });
  const totals = new Set<number>();
  const makespans = new Set<number>();
  const a = new Int32Array(4);
  for (let i = 0; i < 2000; i++) env.step(a);
  for (const ep of env.drainEpisodes()) {
    totals.add(ep.metrics!.tasks_total);
    makespans.add(ep.metrics!.makespan);
    assert.ok(ep.metrics!.jobs_total <= s.jobs.length && ep.metrics!.jobs_total >= 1);
  }
  assert.ok(totals.size > 1, 'job subsets differ between episodes');
  assert.ok([...totals].every((t) => t <= tasks));
  const off = new SchedulingVecEnv({ snapshots: s, numEnvs: 2, seed: 1, variation: 'off' });
  for (let i = 0; i < 3 * tasks; i++) off.step(new Int32Array(2));
  const eps = off.drainEpisodes();
  assert.ok(eps.length >= 4);
  assert.ok(eps.every((ep) => ep.metrics!.tasks_total === tasks && ep.metrics!.makespan === eps[0].metrics!.makespan));
});

test('a pool of snapshots of different sizes shares one env', () => {
  const small = stage('toy_easy', 1);
  const big = stage('toy_hard', 1);
  const env = new SchedulingVecEnv({ snapshots: [small, big], numEnvs: 2, seed: 3, variation: 'off' });
  const a = new Int32Array(2);
  for (let i = 0; i < 600; i++) env.step(a);
  const sizes = new Set(env.drainEpisodes().map((ep) => ep.metrics!.jobs_total));
  assert.deepEqual([...sizes].sort((x, y) => x - y), [small.jobs.length, big.jobs.length]);
});

test('the observation has the same size on every stage and never holds NaN', () => {
  const dims = new Set<number>();
  for (const name of ['toy_easy', 'small_complex', 'production_expert']) {
    const env = new SchedulingVecEnv({ snapshots: stage(name, 1), numEnvs: 2, seed: 1 });
    dims.add(env.obsDim);
    assert.equal(env.numActions, 32);
    const rng = new Rng(2);
    const a = new Int32Array(2);
    const steps = name === 'production_expert' ? 300 : 1500;
    for (let i = 0; i < steps; i++) {
      for (let e = 0; e < 2; e++) {
        let n = 0;
        while (n < 32 && env.masks[e * 32 + n] === 1) n++;
        a[e] = rng.int(n);
      }
      env.step(a);
      for (let k = 0; k < env.obs.length; k++) if (!Number.isFinite(env.obs[k])) assert.fail(`${name}: obs[${k}] = ${env.obs[k]} at step ${i}`);
      for (let k = 0; k < env.obs.length; k++) assert.ok(Math.abs(env.obs[k]) <= 10);
    }
  }
  assert.deepEqual([...dims], [G + 32 * F]);
});

test('bad options are refused with one clear sentence', () => {
  const s = stage('toy_easy', 1);
  assert.throws(() => new SchedulingVecEnv({ snapshots: s, slots: 0 }), /slots \(K\) must be an integer/);
  assert.throws(() => new SchedulingVecEnv({ snapshots: s, variation: { durationJitter: 2 } }), /bad episode variation/);
  assert.throws(() => new SchedulingVecEnv({ snapshots: snap({ jobs: [] }) }), /has no tasks to schedule/);
  assert.throws(() => new SchedulingVecEnv({ snapshots: [] }), /at least one snapshot/);
  assert.throws(
    () => new SchedulingVecEnv({ snapshots: s, reward: { ontime: 5, action: Number.NaN } as never }),
    (err: Error & { details?: string[] }) =>
      err.message === 'bad reward weights' &&
      err.details!.some((d) => d.startsWith('reward.ontime: unknown option (known: onTime,')) &&
      err.details!.some((d) => d === 'reward.action: must be a finite number, got NaN'),
  );
});
