import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { train, type TrainOptions } from '../../src/curriculum/trainer.js';
import { createProgress } from '../../src/cli/progress.js';
import { readTrainingState } from '../../src/checkpoints/training-state.js';
import { readSplit } from '../../src/checkpoints/split.js';
import { runCli } from '../helpers/cli.js';

/** A folder of five generated toy_easy snapshot files, named by date, and a one-stage curriculum over them. */
async function historyFolder(split = 'eval: 1, test: 2'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sched-history-'));
  mkdirSync(join(dir, 'history'));
  for (let d = 1; d <= 5; d++) {
    const g = await runCli(['snapshots', 'generate', '--profile', 'toy_easy', '--seed', String(d), '--out', `history/2026-11-${String(d).padStart(2, '0')}.json`], dir);
    assert.equal(g.code, 0, g.err);
  }
  writeFileSync(
    join(dir, 'hist.yaml'),
    `seed: 2
defaults:
  n_envs: 4
  ppo: { n_steps: 64, batch_size: 64, n_epochs: 1 }
  policy: { net_arch: [16] }
  env: { candidate_slots: 8 }
  eval: { freq: 512, episodes: 1 }
  checkpoint: { freq: 256 }
stages:
  - { name: plant, data: { snapshots: "history/*.json", ${split} }, timesteps: 768 }
`,
  );
  return dir;
}

function opts(dir: string, o: Partial<TrainOptions> = {}): TrainOptions {
  return { configPath: join(dir, 'hist.yaml'), out: join(dir, 'run'), cwd: dir, backend: 'cpu', log: pino({ level: 'silent' }), progress: createProgress({ mode: 'silent' }), ...o };
}

test('a stage trains and resumes on a folder of snapshot files; the split is in the run and sched test uses its test files', async () => {
  const dir = await historyFolder();
  const f = (d: number) => join(dir, `history/2026-11-0${d}.json`);
  let printed = '';
  const ac = new AbortController();
  const progress = createProgress({ mode: 'plain', stream: { write: (t) => void (printed += t), isTTY: false } });
  const update = progress.update.bind(progress);
  progress.update = (s) => {
    update(s);
    if (s.step >= 256) ac.abort();
  };
  const first = await train(opts(dir, { progress, signal: ac.signal }));
  assert.equal(first.interrupted, true);
  assert.match(printed, /stage plant: test: the 2 newest files; eval: the next newest file; train: the other 2 \(newest = last in natural order of the file path\); recorded in checkpoints\/plant\/split\.json/);
  assert.match(printed, /stage plant: 768 steps, 4 envs, 2 training \/ 1 held-out instances/);
  const splitPath = join(dir, 'run/checkpoints/plant/split.json');
  const split = readSplit(splitPath)!;
  assert.deepEqual(split.train, [f(1), f(2)]);
  assert.deepEqual(split.eval, [f(3)]);
  assert.deepEqual(split.test, [f(4), f(5)]);
  const recorded = readFileSync(splitPath, 'utf8');

  // a newer day arrives before the resume: the resumed stage keeps its recorded split
  writeFileSync(join(dir, 'history/2026-11-06.json'), readFileSync(f(5)));
  const second = await train(opts(dir, { resume: true, configPath: undefined }));
  assert.equal(second.interrupted, false);
  assert.equal(second.state.globalStep, 768);
  assert.equal(readFileSync(splitPath, 'utf8'), recorded, 'the split is not re-decided on resume');
  assert.equal(readTrainingState(join(dir, 'run/checkpoints/training_state.json')).stages[0].status, 'done');

  const t = await runCli(['test', '--run', 'run', '--rules', 'edd', '--json'], dir);
  assert.equal(t.code, 0, t.err);
  const rows = JSON.parse(t.out) as { snapshot: string; policy: string; episodes: number }[];
  assert.deepEqual(rows.map((r) => [r.snapshot, r.policy, r.episodes]), [
    ['plant test files history/2026-11-04.json, history/2026-11-05.json', 'ppo', 2],
    ['plant test files history/2026-11-04.json, history/2026-11-05.json', 'guarded', 2],
    ['plant test files history/2026-11-04.json, history/2026-11-05.json', 'edd', 2],
  ]);
});

test('every bad snapshot file is listed with its problems before training starts (exit 4), and nothing is written', async () => {
  const dir = await historyFolder();
  writeFileSync(join(dir, 'history/2026-11-02.json'), '{"machines": [');
  const day4 = JSON.parse(readFileSync(join(dir, 'history/2026-11-04.json'), 'utf8'));
  day4.jobs[0].tasks[0].machines = ['M999'];
  delete day4.jobs[1].due;
  writeFileSync(join(dir, 'history/2026-11-04.json'), JSON.stringify(day4));
  const r = await runCli(['train', '--config', 'hist.yaml', '--out', 'run', '--backend', 'cpu'], dir);
  assert.equal(r.code, 4, r.err);
  assert.match(r.err, /error: 2 of the 5 snapshot files of stage plant are not valid/);
  assert.match(r.err, /✖ history\/2026-11-02\.json is not valid JSON: .* at line 1 column \d+/);
  assert.match(r.err, /✖ history\/2026-11-04\.json: jobs\[0\]\.tasks\[0\]\.machines\[0\]: unknown machine "M999"/);
  assert.match(r.err, /✖ history\/2026-11-04\.json: jobs\[1\]\.due: /);
  assert.equal(existsSync(join(dir, 'run')), false);
});

test('data.snapshots keys are validated with their path: no match, too few files, lists, keys for other sources', async () => {
  const dir = await historyFolder('eval: 2, test: 3');
  let r = await runCli(['train', '--config', 'hist.yaml', '--out', 'run'], dir);
  assert.equal(r.code, 3);
  assert.match(r.err, /stages\[0\]\.data\.snapshots: 5 files matched; the held-out split needs 6 or more so that at least one is left to train on/);
  writeFileSync(
    join(dir, 'bad.yaml'),
    `defaults: { n_envs: 1, ppo: { n_steps: 64 } }
stages:
  - { name: a, data: { snapshots: "archive/*.json" }, timesteps: 4096 }
  - { name: b, data: { snapshots: ["history/2026-11-01.json", "history/nope.json"], eval: ["history/2026-11-05.json"] }, timesteps: 4096 }
  - { name: c, data: { profile: toy_easy, test: 2 }, timesteps: 4096 }
  - { name: d, data: { snapshots: "history/*.json", eval: ["history/2026-11-05.json"], test: ["history/2026-11-0[45].json"] }, timesteps: 4096 }
  - { name: e, data: { snapshots: "history/*.json", test: 0 }, timesteps: 4096 }
`,
  );
  r = await runCli(['train', '--config', 'bad.yaml', '--out', 'run'], dir);
  assert.equal(r.code, 3);
  assert.match(r.err, /stages\[0\]\.data\.snapshots: "archive\/\*\.json" matches no file/);
  assert.match(r.err, /stages\[1\]\.data\.snapshots\[1\]: no such file "history\/nope\.json"/);
  assert.match(r.err, /stages\[4\]\.data\.test: must be positive, got 0/);
  assert.match(r.err, /stages\[2\]\.data\.test: the held-out "test" files apply only to "snapshots"/);
  assert.match(r.err, /stages\[3\]\.data\.test: 1 file\(s\) are in both the eval and the test list, e\.g\. "history\/2026-11-05\.json"/);
  assert.equal(r.err.split('\n').filter((l) => l.includes('✖')).length, 5, r.err);
  assert.equal(existsSync(join(dir, 'run')), false);
});
