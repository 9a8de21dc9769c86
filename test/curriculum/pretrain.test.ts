import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { train } from '../../src/curriculum/trainer.js';
import { createProgress } from '../../src/cli/progress.js';
import { readTrainingState } from '../../src/checkpoints/training-state.js';
import { parseCurriculumYaml } from '../../src/config/curriculum.js';
import { curriculumChecks, loadStageData } from '../../src/curriculum/stage-data.js';
import { collectDemonstrations } from '../../src/curriculum/pretrain.js';
import { newStageLearner } from '../../src/curriculum/learner-config.js';
import { makeStageEnv } from '../../src/curriculum/env-factory.js';
import { beatsBestRule } from '../../src/curriculum/best-rule.js';
import { selectBackend } from '../../src/ppo/backend.js';
import { F, G, SLOT_FEATURES } from '../../src/env/observation.js';
import { runCli } from '../helpers/cli.js';
import { BASELINE_NAMES } from '../../src/baselines/index.js';

const silent = pino({ level: 'silent' });

function config(extra: string): string {
  return `seed: 2
defaults:
  n_envs: 4
  ppo: { n_steps: 64, batch_size: 64, n_epochs: 2, learning_rate: 1.0e-4 }
  policy: { net_arch: [32, 32] }
  eval: { freq: 256, episodes: 4 }
  checkpoint: { freq: 256 }
${extra}`;
}

test('demonstrations label the teacher\'s pick in the slots; self-labeling keeps the best of the runs', async () => {
  await selectBackend('cpu');
  const cfg = parseCurriculumYaml(config(`stages:
  - name: small_rush
    data: { profile: small_rush }
    timesteps: 512
    pretrain: { rule: atc, episodes: 4, samples: 12, epsilon: 0.1 }
`), 'test', curriculumChecks(process.cwd()));
  const stage = cfg.stages[0];
  const data = await loadStageData(stage, { configSeed: 2, cwd: process.cwd() });
  const learner = newStageLearner(stage, makeStageEnv(stage, data, 2), 2, 'cpu');
  try {
    const plain = collectDemonstrations(learner, stage, data.train, { ...stage.pretrain!, samples: 0 }, 'atc', 7);
    const rank = SLOT_FEATURES.indexOf('rank_atc');
    const D = learner.obsDim;
    assert.ok(plain.demos.n > 50);
    for (let i = 0; i < plain.demos.n; i++) {
      const a = plain.demos.actions[i];
      assert.equal(plain.demos.masks[i * learner.numActions + a], 1, 'the label is a valid action');
      assert.equal(plain.demos.obs[i * D + G + a * F + rank], 0, `row ${i}: the plain teacher's action is the slot ranked 0 under ATC`);
      assert.ok(Number.isFinite(plain.demos.valueTargets[i]));
    }
    assert.equal(plain.improved, 0);
    const sampled = collectDemonstrations(learner, stage, data.train, stage.pretrain!, 'atc', 7);
    assert.ok(sampled.improved > 0, 'on some of the 4 episodes a randomized run beat the plain rule');
    const again = collectDemonstrations(learner, stage, data.train, stage.pretrain!, 'atc', 7);
    assert.deepEqual(Array.from(again.demos.actions.subarray(0, again.demos.n)), Array.from(sampled.demos.actions.subarray(0, sampled.demos.n)), 'deterministic given the seed');
  } finally {
    learner.dispose();
  }
});

test('pretraining imitates the teacher before PPO; a stage that then beats the best rule advances at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-pretrain-'));
  writeFileSync(join(dir, 'c.yaml'), config(`  success: { beat_best_rule: true }
stages:
  - name: toy_easy
    data: { profile: toy_easy }
    timesteps: 2048
    pretrain: { rule: best, episodes: 48, epochs: 30, batch_size: 64, learning_rate: 3.0e-3 }
  - name: toy_hard
    data: { profile: toy_hard }
    timesteps: 512
    pretrain: { rule: atc, episodes: 24, epochs: 15, batch_size: 128, learning_rate: 3.0e-3 }
`));
  const lines: string[] = [];
  const progress = createProgress({ mode: 'silent' });
  progress.print = (l: string) => void lines.push(l);
  await train({ configPath: join(dir, 'c.yaml'), out: join(dir, 'run'), cwd: dir, backend: 'wasm', log: silent, progress });
  const state = readTrainingState(join(dir, 'run/checkpoints/training_state.json'));
  const [easy, hard] = state.stages;
  assert.ok(BASELINE_NAMES.includes(easy.pretrain?.teacher as string) && easy.pretrain?.teacher !== 'random', `teacher ${easy.pretrain?.teacher}`);
  assert.equal(hard.pretrain?.teacher, 'atc');
  assert.ok((hard.pretrain!.agreement as number) > 0.7, `agreement with ATC ${hard.pretrain!.agreement}`);
  assert.ok((hard.pretrain!.decisions as number) > 500);
  assert.ok(lines.some((l) => /stage toy_hard: imitated atc on \d+ decisions .* agreement \d+\.\d% on held-out decisions/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /stage toy_easy: to beat on the 4 evaluation instances: on time 100\.0% \(\w+\), 0\.00 days late/.test(l)), lines.join('\n'));
  // toy_easy: every rule is perfect there, the imitation matches it: the stage ends without PPO
  assert.equal(easy.bestEval?.on_time_rate, 1);
  assert.equal(easy.advancedEarly, true);
  assert.equal(easy.stageSteps, 0);
  assert.ok(lines.some((l) => /toy_easy: the pretrained policy already meets the success criteria, advancing/.test(l)));
  assert.equal(typeof hard.bestRule?.on_time_rule, 'string');
});

test('beat_best_rule: at least as good on both KPIs and better on one, unless the rules are perfect; makespan strictly shorter', () => {
  const best = { on_time_rate: 0.9, on_time_rule: 'atc', mean_days_late: 0.1, mean_days_late_rule: 'edd', makespan: 100, makespan_rule: 'mwkr' };
  const ev = (on: number, late: number, makespan = 100) => ({ on_time_rate: on, mean_days_late: late, makespan });
  assert.equal(beatsBestRule(ev(0.9, 0.1), best, 'due_dates'), false, 'a tie is not a win');
  assert.equal(beatsBestRule(ev(0.91, 0.1), best, 'due_dates'), true);
  assert.equal(beatsBestRule(ev(0.9, 0.09), best, 'due_dates'), true);
  assert.equal(beatsBestRule(ev(0.95, 0.11), best, 'due_dates'), false, 'worse on days late');
  assert.equal(beatsBestRule(ev(0.89, 0.0), best, 'due_dates'), false, 'worse on time');
  const perfect = { ...best, on_time_rate: 1, mean_days_late: 0 };
  assert.equal(beatsBestRule(ev(1, 0), perfect, 'due_dates'), true, 'matching perfect rules is all there is');
  assert.equal(beatsBestRule(ev(0, 9, 99), best, 'makespan'), true);
  assert.equal(beatsBestRule(ev(1, 0, 100), best, 'makespan'), false);
});

test('config: pretrain and success keys are validated with their path; reward presets resolve to weights', () => {
  const bad = () =>
    parseCurriculumYaml(
      config(`stages:
  - name: a
    data: { profile: toy_easy }
    timesteps: 512
    success: { completion_rate: 1 }
    pretrain: { rule: atcc, episodes: 0, epsilon: 2, bogus: 1 }
    env: { reward: { preset: fancy } }
`),
      'c.yaml',
      curriculumChecks(process.cwd()),
    );
  let problems: string[] = [];
  try {
    bad();
  } catch (e) {
    problems = [...(e as { details: string[] }).details];
  }
  const text = problems.join('\n');
  assert.match(text, /stages\[0\]\.pretrain\.rule: unknown rule "atcc" \(did you mean "atc"\?\)/);
  assert.match(text, /stages\[0\]\.pretrain\.episodes: must be positive, got 0/);
  assert.match(text, /stages\[0\]\.pretrain\.epsilon: must be <= 1, got 2/);
  assert.match(text, /stages\[0\]\.pretrain\.bogus: unknown key/);
  assert.match(text, /stages\[0\]\.success\.on_time_rate: required unless "beat_best_rule" is true/);
  assert.match(text, /stages\[0\]\.env\.reward\.preset: expected one of "seed", "kpi"/);
  const ok = parseCurriculumYaml(config(`stages:
  - { name: a, data: { profile: toy_easy }, timesteps: 512, env: { reward: { preset: kpi, late_per_day: -5 } } }
  - { name: b, data: { profile: toy_easy }, timesteps: 512 }
`));
  assert.deepEqual(ok.stages[0].env.reward, { preset: 'kpi', onTime: 100, earlyPerDay: 0, latePerDay: -5, action: 0, makespan: -10 });
  assert.deepEqual(ok.stages[1].env.reward, { preset: 'seed', onTime: 100, earlyPerDay: 50, latePerDay: -30, action: 15, makespan: -10 });
});

test('a model saved with another observation layout is refused with a sentence (exit 6), not misread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-layout-'));
  writeFileSync(join(dir, 'c.yaml'), config(`stages:
  - { name: toy_easy, data: { profile: toy_easy }, timesteps: 256 }
`));
  await train({ configPath: join(dir, 'c.yaml'), out: join(dir, 'run'), cwd: dir, backend: 'cpu', log: silent, progress: createProgress({ mode: 'silent' }) });
  const statePath = join(dir, 'run/checkpoints/toy_easy/best/learner_state.json');
  const saved = JSON.parse(readFileSync(statePath, 'utf8'));
  assert.equal(saved.obsLayout, 'sched-obs-v2');
  delete saved.obsLayout; // as a model saved before the layout had a name
  writeFileSync(statePath, JSON.stringify(saved));
  const r = await runCli(['test', '--run', join(dir, 'run'), '--stage', 'toy_easy', '--backend', 'cpu'], dir);
  assert.equal(r.code, 6, r.err);
  assert.match(r.err, /the model in .*toy_easy\/best was trained on observation layout v1 \(14 features per slot\), but this version of sched builds observation layout v2 \(22 features per slot: v1 plus the dispatching rules' priorities\); it cannot be read: train it again/);
});
