import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOverrides, loadCurriculumConfig, parseCurriculumYaml, resolveStage, selectStages } from '../../src/config/index.js';
import { ALL_PROFILES, getProfile } from '../../src/data/snapshots/profiles.js';
import { SchedError } from '../../src/errors.js';
import { DEFAULT_PLACEMENT } from '../../src/env/config.js';

const ALL_STAGES = [
  'toy_easy', 'toy_normal', 'toy_hard', 'toy_multi',
  'small_balanced', 'small_rush', 'small_bottleneck', 'small_complex',
  'medium_normal', 'medium_stress', 'large_intro', 'large_advanced',
  'production_warmup', 'production_rush', 'production_heavy', 'production_expert',
];

/** The problems of a refused config (asserting it is one CONFIG error). */
function problemsOf(yaml: string): string[] {
  try {
    parseCurriculumYaml(yaml, 'test.yaml');
  } catch (err) {
    assert.ok(err instanceof SchedError, String(err));
    assert.equal(err.code, 'CONFIG');
    assert.match(err.message, /^test\.yaml is not a valid curriculum \(\d+ problems?\)$/);
    return [...err.details];
  }
  assert.fail('expected the config to be refused');
}

const minimal = (stageExtra = '', defaults = '', timesteps = 1024) => `
defaults:
  n_envs: 2
  ppo: { n_steps: 64, batch_size: 32 }
${defaults}
stages:
  - name: one
    data: { profile: toy_easy }
    timesteps: ${timesteps}
${stageExtra}
`;

test('configs/curriculum.yaml holds the 16 stages of SPEC.md: pretraining on the best rule, success = beating it, KPI reward', () => {
  const c = loadCurriculumConfig('configs/curriculum.yaml');
  assert.deepEqual(c.stages.map((s) => s.name), ALL_STAGES);
  assert.deepEqual(c.stages.map((s) => s.timesteps), [...Array(4).fill(122_880), ...Array(4).fill(245_760), ...Array(8).fill(294_912)]);
  for (const s of c.stages) {
    assert.deepEqual(s.data, { kind: 'profile', profile: s.name, seed: null });
    assert.equal((s.ppo.nSteps * s.nEnvs) % s.ppo.batchSize, 0);
    assert.ok(s.success !== null && s.eval.episodes > 0 && s.eval.freq > 0);
    assert.equal(s.success.beatBestRule, true);
    assert.equal(s.pretrain?.rule, 'best');
    assert.equal(s.env.reward.preset, 'kpi');
  }
  const first = c.stages[0];
  const last = c.stages[15];
  assert.deepEqual(first.ppo.learningRate, { kind: 'constant', value: 1e-4 });
  assert.deepEqual(last.ppo.learningRate, { kind: 'constant', value: 1e-5 });
  assert.equal(first.ppo.batchSize, 64);
  assert.equal(last.ppo.batchSize, 4096);
  assert.equal(first.ppo.nSteps * first.nEnvs, 2048);
  assert.equal(last.ppo.nSteps * last.nEnvs, 32768);
  assert.deepEqual(first.policy.netArch, { pi: [256, 128, 64], vf: [256, 128, 64] });
  assert.deepEqual(first.env.reward, { preset: 'kpi', onTime: 100, earlyPerDay: 0, latePerDay: -30, action: 0, makespan: -10 });
  const lrs = c.stages.map((s) => s.ppo.learningRate.value);
  for (let i = 13; i < 16; i++) assert.ok(lrs[i] <= lrs[i - 1], 'the production learning rates fall');
});

test('configs/smoke.yaml holds the four toy stages with tiny budgets', () => {
  const c = loadCurriculumConfig('configs/smoke.yaml');
  assert.deepEqual(c.stages.map((s) => s.name), ALL_STAGES.slice(0, 4));
  for (const s of c.stages) {
    assert.ok(s.timesteps <= 4096 && s.timesteps >= s.ppo.nSteps * s.nEnvs);
    assert.equal(s.success, null);
  }
});

test('configs/jssp-15x15.yaml: generated job shops only, growing to 15 x 15, makespan settings, within 45 minutes', () => {
  const c = loadCurriculumConfig('configs/jssp-15x15.yaml', { knownProfiles: ALL_PROFILES.map((p) => p.name), checkFiles: true });
  const profiles = c.stages.map((s) => (s.data.kind === 'profile' ? s.data.profile : s.data.kind));
  assert.deepEqual(profiles, ['jssp_6x6', 'jssp_10x10', 'jssp_15x15']);
  let minutes = 0;
  for (const s of c.stages) {
    const p = getProfile(profiles[c.stages.indexOf(s)]);
    assert.ok(s.env.candidateSlots >= p.jobs, `${s.name}: every job visible`);
    assert.equal(s.env.reward.action, 0);
    assert.ok(s.env.reward.makespan < 0);
    assert.equal(s.success, null);
    assert.ok(s.maxStageTimeMinutes !== null);
    minutes += s.maxStageTimeMinutes!;
  }
  assert.ok(minutes <= 45, `${minutes} minutes in all`);
  assert.equal(new Set(c.stages.map((s) => s.env.candidateSlots)).size, 1, 'one K: weights transfer');
});

test('defaults merge into every stage, deeply, and the stage wins', () => {
  const c = parseCurriculumYaml(`
seed: 7
defaults:
  n_envs: 4
  ppo: { n_steps: 128, batch_size: 64, learning_rate: lin_3e-4, target_kl: 0.02 }
  policy: { net_arch: [32, 32], activation: tanh }
  env: { reward: { late_per_day: -10 } }
  success: { on_time_rate: 0.8 }
stages:
  - name: a
    data: { snapshot: snapshots/x.json }
    timesteps: 1024
  - name: b
    data: { profile: toy_easy, seed: 3 }
    timesteps: 2048
    ppo: { batch_size: 256, clip_range: lin_0.1, clip_range_vf: 0.2 }
    policy: { net_arch: { pi: [64], vf: [64, 64] } }
    env: { reward: { on_time: 50 } }
    success: null
  - name: c
    data: { database: { mysql: "mysql://u@localhost/db", mapping: { jobs: { table: orders } } } }
    timesteps: 512
`);
  assert.equal(c.seed, 7);
  const [a, b, cc] = c.stages;
  assert.equal(a.nEnvs, 4);
  assert.deepEqual(a.ppo.learningRate, { kind: 'linear', value: 3e-4 });
  assert.equal(a.ppo.batchSize, 64);
  assert.equal(a.ppo.nEpochs, 10); // built-in default
  assert.deepEqual(a.policy, { netArch: { pi: [32, 32], vf: [32, 32] }, activation: 'tanh', layerNorm: false });
  assert.deepEqual(a.env.reward, { preset: 'seed', onTime: 100, earlyPerDay: 50, latePerDay: -10, action: 15, makespan: -10 });
  assert.deepEqual(a.success, { completionRate: 1, onTimeRate: 0.8, minEvals: 1, beatBestRule: false });
  assert.deepEqual(a.data, { kind: 'snapshot', path: 'snapshots/x.json' });
  assert.equal(b.ppo.batchSize, 256);
  assert.equal(b.ppo.nSteps, 128); // from defaults, beside the stage's own ppo keys
  assert.equal(b.ppo.targetKl, 0.02);
  assert.deepEqual(b.ppo.clipRange, { kind: 'linear', value: 0.1 });
  assert.deepEqual(b.ppo.clipRangeVf, { kind: 'constant', value: 0.2 });
  assert.deepEqual(b.policy.netArch, { pi: [64], vf: [64, 64] });
  assert.equal(b.policy.activation, 'tanh');
  assert.deepEqual(b.env.reward, { preset: 'seed', onTime: 50, earlyPerDay: 50, latePerDay: -10, action: 15, makespan: -10 });
  assert.equal(b.success, null);
  assert.deepEqual(b.data, { kind: 'profile', profile: 'toy_easy', seed: 3 });
  assert.deepEqual(cc.data, { kind: 'database', mysql: 'mysql://u@localhost/db', options: { mapping: { jobs: { table: 'orders' } }, skipInvalid: false } });
  assert.deepEqual(cc.index, 2);
});

test('bad YAML syntax is reported with its line and column', () => {
  assert.throws(
    () => parseCurriculumYaml('stages:\n  - name: a\n   data: 1\n', 'bad.yaml'),
    (err: unknown) => err instanceof SchedError && err.code === 'CONFIG' && /^bad\.yaml is not valid YAML: .+ at line 3 column \d+$/.test(err.message),
  );
  assert.throws(() => parseCurriculumYaml('a: 1\na: 2\n', 'dup.yaml'), /dup\.yaml is not valid YAML: duplicated mapping key at line 2 column 1/);
  assert.deepEqual(problemsOf(''), ['(root): the file is empty; expected a mapping with "stages"']);
  assert.deepEqual(problemsOf('# only a comment\n\n'), ['(root): the file is empty; expected a mapping with "stages"']);
  assert.deepEqual(problemsOf('- a\n- b\n'), ['(root): expected a mapping with "defaults" and "stages", got a list']);
});

test('an unknown key is refused with its path and the key it probably meant', () => {
  assert.deepEqual(problemsOf(minimal('    ppo: { learnig_rate: 1.0e-4 }')), ['stages[0].ppo.learnig_rate: unknown key (did you mean "learning_rate"?)']);
  assert.deepEqual(problemsOf(minimal('', '  polcy: { activation: tanh }')), ['defaults.polcy: unknown key (did you mean "policy"?)']);
  assert.deepEqual(problemsOf(`default: {}\n${minimal()}`), ['default: unknown key (did you mean "defaults"?)']);
});

test('every kind of bad value is reported with its path', () => {
  const problems = problemsOf(minimal(`    n_envs: 0
    ppo: { batch_size: "32", gamma: 1.5, clip_range: lin_x, learning_rate: -3 }
    policy: { activation: sigmoid, net_arch: [64, 0] }
    eval: { episodes: 2.5 }
    success: { completion_rate: 0.9 }`));
  assert.deepEqual(problems, [
    'stages[0].n_envs: must be positive, got 0',
    'stages[0].ppo.learning_rate: expected a positive number or "lin_<number>" (e.g. 3e-4 or "lin_3e-4"), got -3',
    'stages[0].ppo.batch_size: expected a number, got string "32"',
    'stages[0].ppo.gamma: must be <= 1, got 1.5',
    'stages[0].ppo.clip_range: expected a positive number or "lin_<number>" (e.g. 3e-4 or "lin_3e-4"), got "lin_x"',
    'stages[0].policy.net_arch[1]: must be positive, got 0',
    'stages[0].policy.activation: expected one of "relu", "tanh", got string "sigmoid"',
    'stages[0].eval.episodes: expected an integer, got 2.5',
    'stages[0].success.on_time_rate: required unless "beat_best_rule" is true (give it in the stage or in "defaults")',
  ]);
});

test('a minibatch that does not divide the rollout is refused with both numbers', () => {
  assert.deepEqual(problemsOf(minimal('    n_envs: 8\n    ppo: { n_steps: 125, batch_size: 64 }')), [
    'stages[0].ppo: n_steps * n_envs = 1000 is not a multiple of batch_size = 64',
  ]);
  assert.deepEqual(problemsOf(minimal('', '', 100)), [
    'stages[0].timesteps: 100 is less than one rollout (n_steps * n_envs = 128); no update would run',
  ]);
});

test('stage-level problems: duplicate names, missing keys, bad data sources, bad names', () => {
  const problems = problemsOf(`
stages:
  - name: a
    data: { profile: p, snapshot: s.json }
    timesteps: 20000
  - name: a
    data: { snapshot: s.json, seed: 1 }
    timesteps: 20000
  - name: "../evil"
    timesteps: 20000
  - 42
`);
  assert.deepEqual(problems, [
    'stages[0].data: give exactly one of "snapshot", "snapshots", "profile" or "database" (got snapshot and profile)',
    'stages[1].name: duplicate stage name "a" (also stages[0])',
    'stages[1].data.seed: a seed applies only to a generator "profile"',
    'stages[2].name: a stage name uses letters, digits, "_", "-" and "." only (it names folders)',
    'stages[2].data: required (give it in the stage or in "defaults")',
    'stages[3]: expected a mapping with at least "name", "data" and "timesteps"',
  ]);
  assert.deepEqual(problemsOf('stages: []'), ['stages: needs at least one stage']);
  assert.deepEqual(problemsOf('defaults: {}'), ['stages: required: a list of stages']);
});

test('all problems of the file come in one error, a bad default once, not once per stage', () => {
  const problems = problemsOf(`
seeds: 1
defaults:
  name: nope
  ppo: { batch_size: -64, learnig_rate: 1 }
stages:
  - { name: a, data: { profile: x }, timesteps: 0 }
  - { name: b, data: { profile: x }, timesteps: 20000, ppo: { n_epochs: 0 } }
  - { name: c, data: { profile: x }, timesteps: 20000, ppo: { batch_size: 100 } }
`);
  assert.deepEqual(problems, [
    'seeds: unknown key (did you mean "seed"?)',
    'defaults.name: a stage name cannot be a default; give each stage its own name',
    'defaults.ppo.batch_size: must be positive, got -64',
    'defaults.ppo.learnig_rate: unknown key (did you mean "learning_rate"?)',
    'stages[0].timesteps: must be positive, got 0',
    'stages[1].ppo.n_epochs: must be positive, got 0',
    'stages[2].ppo: n_steps * n_envs = 16384 is not a multiple of batch_size = 100',
  ]);
});

test('optional checks: generator profile names and snapshot files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-cfg-'));
  const path = join(dir, 'c.yaml');
  writeFileSync(path, `
defaults: { n_envs: 1, ppo: { n_steps: 64 } }
stages:
  - { name: a, data: { profile: toy_esy }, timesteps: 64 }
  - { name: b, data: { snapshot: missing.json }, timesteps: 64 }
`);
  assert.throws(
    () => loadCurriculumConfig(path, { knownProfiles: ['toy_easy', 'toy_normal'], checkFiles: true, cwd: dir }),
    (err: unknown) =>
      err instanceof SchedError &&
      err.details.join('\n') ===
        'stages[0].data.profile: unknown generator profile "toy_esy" (did you mean "toy_easy"?); known: toy_easy, toy_normal\n' +
          'stages[1].data.snapshot: no such file "missing.json"',
  );
  writeFileSync(join(dir, 'missing.json'), '{}');
  assert.equal(loadCurriculumConfig(path, { checkFiles: true, cwd: dir }).stages.length, 2);
  assert.throws(() => loadCurriculumConfig(join(dir, 'nope.yaml')), (err: unknown) => err instanceof SchedError && err.code === 'IO' && /nope\.yaml: no such file/.test(err.message));
});

test('resolveStage finds a stage or lists the valid names; selectStages slices the run', () => {
  const c = loadCurriculumConfig('configs/smoke.yaml');
  assert.equal(resolveStage(c, 'toy_hard').index, 2);
  assert.throws(
    () => resolveStage(c, 'toy_hadr'),
    (err: unknown) =>
      err instanceof SchedError && err.code === 'USAGE' &&
      err.message === 'unknown stage "toy_hadr" (did you mean "toy_hard"?); the stages of configs/smoke.yaml are: toy_easy, toy_normal, toy_hard, toy_multi',
  );
  assert.deepEqual(selectStages(c).map((s) => s.name), ['toy_easy', 'toy_normal', 'toy_hard', 'toy_multi']);
  assert.deepEqual(selectStages(c, { startStage: 'toy_hard' }).map((s) => s.name), ['toy_hard', 'toy_multi']);
  assert.deepEqual(selectStages(c, { singleStage: 'toy_normal' }).map((s) => s.name), ['toy_normal']);
  assert.throws(() => selectStages(c, { startStage: 'toy_hard', singleStage: 'toy_normal' }), /not both/);
});

test('--envs and --seed overrides are re-checked against every stage', () => {
  const c = loadCurriculumConfig('configs/smoke.yaml');
  const o = applyOverrides(c, { nEnvs: 8, seed: 5 });
  assert.deepEqual(o.stages.map((s) => s.nEnvs), [8, 8, 8, 8]);
  assert.equal(o.seed, 5);
  assert.equal(c.stages[0].nEnvs, 4, 'the original is unchanged');
  assert.throws(
    () => applyOverrides(c, { nEnvs: 32 }),
    (err: unknown) =>
      err instanceof SchedError && err.code === 'CONFIG' && err.details.length === 4 &&
      err.message === '--envs 32 does not fit configs/smoke.yaml (4 problems)' &&
      err.details[0] === 'stages[0].timesteps (toy_easy): 2048 is less than one rollout (4096)',
  );
  const full = loadCurriculumConfig('configs/curriculum.yaml');
  assert.throws(
    () => applyOverrides(full, { nEnvs: 3 }),
    (err: unknown) =>
      err instanceof SchedError && err.details.length === 6 && // large_* and production_*
      err.details[0] === 'stages[10].ppo (large_intro): n_steps * n_envs = 1024 * 3 = 3072 is not a multiple of batch_size = 2048',
  );
  assert.throws(() => applyOverrides(c, { nEnvs: 0 }), (err: unknown) => err instanceof SchedError && err.code === 'USAGE');
});

test('env.placement: DEFAULT_PLACEMENT unless given, append or fill_gaps, anything else refused with its path', () => {
  const c = parseCurriculumYaml(minimal('', '  env: { placement: fill_gaps }').replace('stages:', 'stages:\n  - { name: two, data: { profile: toy_easy }, timesteps: 1024, env: { placement: append } }'), 'test.yaml');
  assert.deepEqual(c.stages.map((s) => [s.name, s.env.placement]), [['two', 'append'], ['one', 'fill_gaps']]);
  assert.equal(parseCurriculumYaml(minimal(), 'test.yaml').stages[0].env.placement, DEFAULT_PLACEMENT);
  assert.deepEqual(problemsOf(minimal('    env: { placement: gaps }')), ['stages[0].env.placement: expected one of "append", "fill_gaps", got string "gaps"']);
});
