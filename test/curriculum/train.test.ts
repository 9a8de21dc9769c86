import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { train, type TrainOptions } from '../../src/curriculum/trainer.js';
import { createProgress, type Progress } from '../../src/cli/progress.js';
import { readTrainingState } from '../../src/checkpoints/training-state.js';
import { listEventFiles, readEvents } from '../../src/io/tensorboard/reader.js';
import { readScalarsJsonl } from '../../src/io/scalar-writers/jsonl-writer.js';
import { loadBundle } from '../../src/checkpoints/bundle.js';
import { SchedError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { longConfig, spawnTrain, waitFor } from '../helpers/spawn-train.js';

const silent = pino({ level: 'silent' });

/** Two or three toy stages with budgets of a few rollouts (256 samples each). */
function tinyConfig(dir: string, extra = ''): string {
  const path = join(dir, 'tiny.yaml');
  writeFileSync(
    path,
    `seed: 3
defaults:
  n_envs: 4
  ppo: { n_steps: 64, batch_size: 64, n_epochs: 2, learning_rate: "lin_3e-4" }
  policy: { net_arch: [32, 32] }
  eval: { freq: 512, episodes: 2 }
  checkpoint: { freq: 256 }
stages:
  - { name: toy_easy, data: { profile: toy_easy }, timesteps: 768 }
  - { name: toy_normal, data: { profile: toy_normal }, timesteps: 768 }
${extra}`,
  );
  return path;
}

function opts(dir: string, o: Partial<TrainOptions> = {}): TrainOptions {
  return { configPath: join(dir, 'tiny.yaml'), out: join(dir, 'run'), cwd: dir, backend: 'cpu', log: silent, progress: createProgress({ mode: 'silent' }), ...o };
}

/** A progress display that aborts the run once `step` steps of `stage` are done. */
function abortAt(stage: string, step: number, ac: AbortController): Progress {
  const p = createProgress({ mode: 'silent' });
  const update = p.update.bind(p);
  p.update = (s) => {
    update(s);
    if (s.stage === stage && s.step >= step) ac.abort();
  };
  return p;
}

test('the smoke curriculum trains end to end and writes every output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-train-'));
  const out = join(dir, 'run');
  const r = await runCli(['train', '--config', join(process.cwd(), 'configs/smoke.yaml'), '--out', out, '--backend', 'wasm', '--progress', 'plain']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /trained 4 stage\(s\) to global step 10240 on wasm/);
  const state = readTrainingState(join(out, 'checkpoints/training_state.json'));
  assert.equal(state.globalStep, 10240);
  assert.equal(state.currentStage, null);
  let prevEnd = 0;
  for (const st of state.stages) {
    assert.equal(st.status, 'done');
    assert.equal(st.startStep, prevEnd); // the step axis is continuous across stages
    prevEnd = st.endStep!;
    assert.ok(st.bestEval && st.bestEval.invalid_actions === 0, `${st.name}: masked evaluation has no invalid action`);
    for (const sub of ['best', 'final']) {
      const d = join(out, 'checkpoints', st.name, sub);
      for (const f of ['policy/model.json', 'policy/weights.bin', 'critic/model.json', 'optimizer.bin', 'vec_normalize.json', 'learner_state.json']) {
        assert.ok(existsSync(join(d, f)), `${d}/${f}`);
      }
    }
    assert.ok(existsSync(join(out, 'checkpoints', st.name, 'vec_normalize.json')));
    assert.ok(readdirSync(join(out, 'checkpoints', st.name)).some((n) => /^step_\d+$/.test(n)), `${st.name} has periodic checkpoints`);
    // TensorBoard: real event files, CRCs verified by the reader, SB3 tags, global steps
    const ev = listEventFiles(join(out, 'tensorboard', st.name)).map((f) => readEvents(f));
    const tags = new Set(ev.flatMap((f) => f.scalars.map((s) => s.tag)));
    for (const t of ['rollout/ep_rew_mean', 'rollout/ep_len_mean', 'train/approx_kl', 'train/clip_fraction', 'train/entropy_loss', 'train/explained_variance',
      'train/learning_rate', 'train/policy_gradient_loss', 'train/value_loss', 'train/loss', 'time/fps', 'eval/mean_reward', 'eval/completion_rate',
      'eval/on_time_rate', 'eval/makespan', 'eval/mean_days_late']) {
      assert.ok(tags.has(t), `${st.name}: tag ${t}`);
    }
    const steps = ev.flatMap((f) => f.scalars.map((s) => s.step));
    // a pretrained stage evaluates its pretrained model at its first step, before any PPO step
    const first = st.pretrain ? st.startStep! : st.startStep! + 1;
    assert.ok(Math.min(...steps) >= first && Math.max(...steps) <= st.endStep!, `${st.name}: steps within the stage's global range`);
  }
  const hard = state.stages.find((s) => s.name === 'toy_hard')!;
  assert.equal(hard.pretrain?.teacher, 'atc');
  assert.ok((hard.pretrain?.decisions as number) > 100);
  for (const st of state.stages.filter((s) => s.name !== 'toy_hard')) assert.equal(st.pretrain, null);
  {
  }
  assert.ok(readScalarsJsonl(join(out, 'logs/scalars.jsonl')).length > 100);
  assert.ok(readFileSync(join(out, 'logs/train.log'), 'utf8').includes('"msg":"backend selected"'));
  // the saved policy is a real TensorFlow.js layers model
  const tf = await import('@tensorflow/tfjs-core');
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = await tfl.loadLayersModel(tf.io.fromMemory(JSON.parse(readFileSync(join(out, 'checkpoints/toy_multi/best/policy/model.json'), 'utf8')).modelTopology));
  assert.equal(model.outputs[0].shape[1], 32);
  model.dispose();
});

test('an interrupted run resumes at its checkpoint and the TensorBoard axis continues', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-train-'));
  tinyConfig(dir);
  const ac = new AbortController();
  const first = await train(opts(dir, { signal: ac.signal, progress: abortAt('toy_normal', 256, ac) }));
  assert.equal(first.interrupted, true);
  const saved = readTrainingState(join(dir, 'run/checkpoints/training_state.json'));
  assert.equal(saved.currentStage, 'toy_normal');
  assert.equal(saved.globalStep, 768 + 256);
  assert.deepEqual(saved.lastCheckpoint, { stage: 'toy_normal', step: 1024, stageSteps: 256, path: 'checkpoints/toy_normal/step_1024' });
  assert.equal(loadBundle(join(dir, 'run/checkpoints/toy_normal/step_1024')).numTimesteps, 1024);

  // a fresh run in the same folder is refused: nothing is overwritten
  await assert.rejects(train(opts(dir)), (e: SchedError) => e.code === 'USAGE' && /already holds a training run.*--resume/.test(e.message));

  const second = await train(opts(dir, { resume: true, configPath: undefined }));
  assert.equal(second.interrupted, false);
  assert.equal(second.state.globalStep, 768 * 2);
  const st = second.state.stages[1];
  assert.equal(st.startStep, 768);
  assert.equal(st.endStep, 1536);
  // the second events file of toy_normal starts with a session start at the checkpoint's step
  const files = listEventFiles(join(dir, 'run/tensorboard/toy_normal')).map((f) => readEvents(f));
  assert.equal(files.length, 2);
  assert.equal(files[1].sessionStarts[0], 1024);
  assert.ok(Math.min(...files[1].scalars.map((s) => s.step)) > 1024);

  await assert.rejects(train(opts(dir, { resume: true })), (e: SchedError) => e.code === 'USAGE' && /finished its stages/.test(e.message));
});

test('--start-stage needs the previous final model; --single-stage trains one stage', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-train-'));
  tinyConfig(dir, '  - { name: toy_hard, data: { profile: toy_hard }, timesteps: 512 }\n');
  await assert.rejects(train(opts(dir, { startStage: 'toy_normal' })), (e: SchedError) => e.code === 'CHECKPOINT' && /previous stage toy_easy has no final model at .*toy_easy\/final/.test(e.message));
  await assert.rejects(train(opts(dir, { startStage: 'toy_nomral' })), (e: SchedError) => /toy_nomral.*toy_easy, toy_normal, toy_hard/.test(e.message));

  const one = await train(opts(dir, { singleStage: 'toy_easy' }));
  assert.deepEqual(one.state.stages.map((s) => s.status), ['done', 'pending', 'pending']);
  assert.equal(one.state.globalStep, 768);

  const rest = await train(opts(dir, { startStage: 'toy_normal' }));
  assert.deepEqual(rest.state.stages.map((s) => s.status), ['done', 'done', 'done']);
  assert.equal(rest.state.stages[1].startStep, 768); // continues from toy_easy's final model
  assert.equal(rest.state.globalStep, 768 + 768 + 512);
});

test('a stage advances early when its success thresholds are met', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-train-'));
  const path = join(dir, 'tiny.yaml');
  writeFileSync(
    path,
    `defaults:
  n_envs: 4
  ppo: { n_steps: 64, batch_size: 64, n_epochs: 1 }
  policy: { net_arch: [16] }
  eval: { freq: 256, episodes: 2 }
  checkpoint: { freq: 100000 }
stages:
  - { name: toy_easy, data: { profile: toy_easy }, timesteps: 4096, success: { completion_rate: 1.0, on_time_rate: 0.0, min_evals: 2 } }
`,
  );
  const r = await train(opts(dir));
  const st = r.state.stages[0];
  assert.equal(st.advancedEarly, true);
  assert.equal(st.evals, 2); // completion is always 1 with masking: met at the first two evaluations
  assert.equal(st.endStep, 512);
});

test('config errors are reported with their path before anything runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-train-'));
  writeFileSync(join(dir, 'bad.yaml'), 'stages:\n  - { name: toy_easy, data: { profile: toy_easy }, timesteps: 1000, n_envs: 3, ppo: { n_steps: 100, batch_size: 64, learnig_rate: 1 } }\n');
  const r = await runCli(['train', '--config', 'bad.yaml', '--out', 'run'], dir);
  assert.equal(r.code, 3);
  assert.match(r.err, /stages\[0\]\.ppo\.learnig_rate/);
  assert.match(r.err, /n_steps \* n_envs = 300 is not a multiple of batch_size = 64/);
  assert.equal(existsSync(join(dir, 'run')), false, 'a refused run writes nothing, not even a log');
  const u = await runCli(['train', '--backend', 'cuda'], dir);
  assert.equal(u.code, 2);
  assert.match(u.err, /unknown backend "cuda"/);
});

test('SIGTERM saves a checkpoint and exits 130; after kill -9 --resume continues from the last checkpoint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-train-'));
  longConfig(dir);
  const args = ['--config', 'long.yaml', '--out', 'run', '--backend', 'cpu'];
  const statePath = join(dir, 'run/checkpoints/training_state.json');
  const checkpointed = () => existsSync(statePath) && readTrainingState(statePath).lastCheckpoint !== null;

  const p1 = spawnTrain(dir, args);
  await waitFor(checkpointed, 60_000);
  p1.kill('SIGTERM');
  const code1 = await new Promise<number | null>((r) => p1.on('exit', (c) => r(c)));
  assert.equal(code1, 130, p1.stderrText());
  assert.match(p1.stderrText(), /training interrupted at global step \d+; checkpoint checkpoints\/toy_easy\/step_\d+ saved: continue with sched train --resume/);
  const afterTerm = readTrainingState(statePath);
  assert.equal(afterTerm.lastCheckpoint!.step, afterTerm.globalStep); // the checkpoint is the last step trained

  const p2 = spawnTrain(dir, ['--resume', '--out', 'run', '--backend', 'cpu']);
  await waitFor(() => readTrainingState(statePath).globalStep >= afterTerm.globalStep + 512, 60_000);
  p2.kill('SIGKILL');
  await new Promise((r) => p2.on('exit', r));
  const afterKill = readTrainingState(statePath); // still a complete, valid file
  const ck = afterKill.lastCheckpoint!;
  assert.ok(ck.step > afterTerm.globalStep);
  assert.equal(loadBundle(join(dir, 'run', ck.path)).numTimesteps, ck.step);

  // resume once more, briefly, and stop it: it starts from the checkpoint's step
  const p3 = spawnTrain(dir, ['--resume', '--out', 'run', '--backend', 'cpu']);
  await waitFor(() => readTrainingState(statePath).globalStep > ck.step, 60_000);
  p3.kill('SIGTERM');
  assert.equal(await new Promise((r) => p3.on('exit', (c) => r(c))), 130);
  const events = listEventFiles(join(dir, 'run/tensorboard/toy_easy')).map((f) => readEvents(f, { allowTruncatedTail: true }));
  assert.equal(events.length, 3);
  assert.equal(events[2].sessionStarts[0], ck.step); // TensorBoard drops the steps replayed after the kill
});

test('a non-finite loss stops the stage with a clear error and the last good checkpoint stays resumable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-train-'));
  tinyConfig(dir);
  // fault injection: the 3rd update of the run sees a NaN loss (the learner's own check throws)
  const { PpoLearner } = await import('../../src/ppo/learner.js');
  const original = PpoLearner.prototype.train;
  let calls = 0;
  PpoLearner.prototype.train = function (this: InstanceType<typeof PpoLearner>, ...args: Parameters<typeof original>) {
    if (++calls === 3) throw new SchedError('TRAINING', `the PPO loss is not finite (NaN) at update ${this.nUpdates + 1}; no update was applied`);
    return original.apply(this, args);
  };
  try {
    await assert.rejects(train(opts(dir)), (e: SchedError) => e.code === 'TRAINING' && /not finite/.test(e.message));
  } finally {
    PpoLearner.prototype.train = original;
  }
  const state = readTrainingState(join(dir, 'run/checkpoints/training_state.json'));
  assert.deepEqual(state.lastCheckpoint, { stage: 'toy_easy', step: 512, stageSteps: 512, path: 'checkpoints/toy_easy/step_512' });
  const resumed = await train(opts(dir, { resume: true, configPath: undefined }));
  assert.equal(resumed.state.globalStep, 1536);
});
