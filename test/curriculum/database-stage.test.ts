import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '../db/helpers.js';
import { runCli } from '../helpers/cli.js';
import { readTrainingState } from '../../src/checkpoints/training-state.js';

let db: TestDb | null = null;
after(async () => {
  await db?.drop();
});

test('a curriculum stage can take its data from MariaDB (URL from the environment)', async () => {
  db = await createTestDb();
  const dir = mkdtempSync(join(tmpdir(), 'sched-dbstage-'));
  const pushed = await runCli(['db', 'push', '--snapshot', join(process.cwd(), 'snapshots/edge_case_identical_due.json'), '--mysql', db.url]);
  assert.equal(pushed.code, 0, pushed.err);
  writeFileSync(
    join(dir, 'db.yaml'),
    `defaults:
  n_envs: 2
  ppo: { n_steps: 64, batch_size: 64, n_epochs: 1 }
  policy: { net_arch: [16] }
  eval: { freq: 256, episodes: 1 }
  checkpoint: { freq: 256 }
stages:
  - { name: factory, data: { database: { mysql: "env:SCHED_TEST_FACTORY_DB" } }, timesteps: 256 }
`,
  );
  process.env.SCHED_TEST_FACTORY_DB = db.url;
  try {
    const r = await runCli(['train', '--config', 'db.yaml', '--out', 'run', '--backend', 'cpu', '--progress', 'silent'], dir);
    assert.equal(r.code, 0, r.err);
    const st = readTrainingState(join(dir, 'run/checkpoints/training_state.json')).stages[0];
    assert.equal(st.status, 'done');
    assert.equal(st.bestEval?.completion_rate, 1);
  } finally {
    delete process.env.SCHED_TEST_FACTORY_DB;
  }
  // an unset variable is one clear sentence
  const missing = await runCli(['train', '--config', 'db.yaml', '--out', 'run2', '--backend', 'cpu', '--progress', 'silent'], dir);
  assert.equal(missing.code, 3);
  assert.match(missing.err, /environment variable SCHED_TEST_FACTORY_DB .* is not set/);
});
