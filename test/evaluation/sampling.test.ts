import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { getBaseline, randomized, runBaseline } from '../../src/baselines/index.js';
import { conflictBound } from '../../src/baselines/rules.js';
import { loadSnapshotFile } from '../../src/data/snapshots/load.js';
import type { Snapshot } from '../../src/data/snapshots/schema.js';
import { runPositionChooser, runSlotPolicy } from '../../src/env/episode.js';
import { loadModel, type LoadedModel } from '../../src/evaluation/model-policy.js';
import { compareByObjective } from '../../src/env/objective.js';
import { sampleModel, sampleRule } from '../../src/evaluation/sampling.js';
import { scheduleFaults } from '../../src/evaluation/check.js';
import { randomSnapshot } from '../helpers/random-snapshot.js';
import { stage } from '../helpers/snapshots.js';
import { trainTinyRun } from '../helpers/tiny-run.js';
import { Rng } from '../../src/util/rng.js';

let model: LoadedModel;
const instances: Snapshot[] = [
  ...['edge_case_zero_slack', 'edge_case_hot_machine', 'edge_case_makespan', 'edge_case_multi_only', 'edge_case_long_tasks_holidays'].map((n) => loadSnapshotFile(join(process.cwd(), 'snapshots', `${n}.json`))),
  ...[1, 2].map((i) => randomSnapshot(300 + i, { jobs: 14, machines: 4, calendars: true, releases: true })),
  randomSnapshot(310, { jobs: 12, machines: 3, objective: 'makespan' }),
  stage('toy_hard', 4),
  stage('small_rush', 4),
];

before(async () => {
  const { run } = await trainTinyRun();
  model = await loadModel(join(run, 'checkpoints/toy_normal/best'), 'cpu');
});
after(() => model.learner.dispose());

test('sampling a trained policy: never worse than its deterministic run, feasible, deterministic given the seed', () => {
  let improved = 0;
  for (const s of instances) {
    const det = runSlotPolicy(s, model.policy, 'ppo', { slots: model.slots });
    const r = sampleModel(s, model.learner, { samples: 6, seed: 7 });
    assert.equal(r.runs, 7);
    assert.equal(r.schedule.policy, 'ppo_best6');
    // run 0 of the batch is the deterministic rollout, decision for decision
    assert.deepEqual(r.plain, det.schedule.metrics, `${s.name}: the batched deterministic run is the one-pass run`);
    assert.ok(compareByObjective(r.schedule.metrics, det.schedule.metrics, s.objective) <= 0, `${s.name}: best of 7 is not worse than the deterministic run`);
    if (r.pick > 0) improved++;
    assert.deepEqual(scheduleFaults(s, r.schedule), [], s.name);
    assert.equal(r.schedule.metrics.invalid_actions, 0);
    assert.equal(r.steps, s.jobs.reduce((n, j) => n + j.tasks.length, 0));
    // the same seed gives the same schedule; run i draws the same stream whatever N is, so best of 12 >= best of 6
    assert.deepEqual(sampleModel(s, model.learner, { samples: 6, seed: 7 }).schedule, r.schedule);
    const more = sampleModel(s, model.learner, { samples: 12, seed: 7 });
    assert.ok(compareByObjective(more.schedule.metrics, r.schedule.metrics, s.objective) <= 0, `${s.name}: best of 13 >= best of 7`);
  }
  assert.ok(improved >= 3, `a sampled rollout beat the deterministic one on ${improved} of ${instances.length} instances`);
  // another seed samples other schedules
  const s = instances[0];
  const a = sampleModel(s, model.learner, { samples: 6, seed: 7 });
  const b = sampleModel(s, model.learner, { samples: 6, seed: 8 });
  assert.notDeepEqual(a.schedule.assignments, b.schedule.assignments);
});

test('a randomized rule, best of N plus the plain run, is never worse than the plain rule', () => {
  let improved = 0;
  for (const s of instances) {
    for (const rule of ['atc', 'edd', 'greedy']) {
      const plain = runBaseline(s, rule);
      const r = sampleRule(s, rule, { samples: 8, seed: 1 });
      assert.equal(r.schedule.policy, `${rule}_best8`);
      assert.deepEqual(r.plain, plain.schedule.metrics, `${rule} on ${s.name}: run 0 is the plain rule`);
      assert.ok(compareByObjective(r.schedule.metrics, plain.schedule.metrics, s.objective) <= 0, `${rule} on ${s.name}`);
      if (r.pick > 0) improved++;
      assert.deepEqual(scheduleFaults(s, r.schedule), [], `${rule} on ${s.name}`);
      assert.deepEqual(sampleRule(s, rule, { samples: 8, seed: 1 }).schedule, r.schedule, 'deterministic given the seed');
    }
  }
  assert.ok(improved > 0, 'the randomized runs find better schedules somewhere');
  // epsilon 0 is the plain rule in every run
  const s = instances[5];
  const zero = sampleRule(s, 'atc', { samples: 4, seed: 2, epsilon: 0 });
  assert.equal(zero.pick, 0);
  assert.deepEqual(zero.schedule.assignments, runBaseline(s, 'atc').schedule.assignments);
});

test('randomized(): the rule\'s pick except at about epsilon of the decisions, a conflict-set candidate there', () => {
  const atc = getBaseline('atc');
  const noisy = randomized(atc, 0.05);
  assert.match(noisy.description, /a random conflict-set candidate at 5% of decisions/);
  const rng = new Rng(9);
  let decisions = 0;
  let differ = 0;
  const r = runPositionChooser(stage('small_rush', 2), (sim, e) => {
    const p = atc.choose(sim, e, rng);
    const q = noisy.choose(sim, e, rng);
    assert.ok(sim.candStart[e * sim.J + sim.order[e * sim.J + q]] < conflictBound(sim, e), 'the pick is in the conflict set');
    decisions++;
    if (q !== p) differ++;
    return q;
  }, 'atc_noisy');
  assert.equal(r.schedule.metrics.completion_rate, 1);
  assert.ok(decisions > 200 && differ > 0 && differ / decisions < 0.08, `${differ} of ${decisions} decisions differ from ATC's`);
  assert.throws(() => randomized(atc, 1.5), /epsilon must be in \[0, 1\], got 1.5/);
  assert.throws(() => randomized(atc, NaN), /epsilon must be in \[0, 1\]/);
});
