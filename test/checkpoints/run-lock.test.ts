import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { acquireRunLock, readOwner } from '../../src/checkpoints/run-lock.js';
import { readTrainingState } from '../../src/checkpoints/training-state.js';
import { train } from '../../src/curriculum/trainer.js';
import { createProgress } from '../../src/cli/progress.js';
import { SchedError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { exitCode, longConfig, spawnTrain, waitFor } from '../helpers/spawn-train.js';

/** A pid that no longer exists: a process that has run and exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

test('a lock is taken with its pid and host, refused while held, released only by its owner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-lock-'));
  const path = join(dir, 'run', 'run.lock');
  const lock = acquireRunLock(path, 'train');
  assert.deepEqual(readOwner(path), lock.owner);
  assert.equal(lock.owner.pid, process.pid);
  assert.equal(lock.owner.host, hostname());
  assert.equal(lock.tookOver, null);
  assert.throws(
    () => acquireRunLock(path, 'train --resume'),
    (e: SchedError) => e.code === 'IO' && e.message.includes(`held by pid ${process.pid} on ${hostname()} (sched train, since`),
  );
  lock.release();
  assert.equal(existsSync(path), false);
  lock.release(); // twice is harmless
  assert.deepEqual(readdirSync(join(dir, 'run')), [], 'no temporary files left');

  // a lock taken over by someone else is not removed by the old owner's release
  const a = acquireRunLock(path, 'train');
  const other = { pid: deadPid(), host: hostname(), since: 'x', command: 'train' };
  writeFileSync(path, JSON.stringify(other));
  a.release();
  assert.deepEqual(readOwner(path), other);
});

test('a lock whose process is gone is taken over; one of another host or an unreadable one is handled', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-lock-'));
  const path = join(dir, 'run.lock');
  const dead = deadPid();
  writeFileSync(path, JSON.stringify({ pid: dead, host: hostname(), since: '2026-01-01T00:00:00.000Z', command: 'train' }));
  const lock = acquireRunLock(path, 'train --resume');
  assert.equal(lock.tookOver?.pid, dead);
  assert.equal(readOwner(path)?.pid, process.pid);
  lock.release();

  // another machine's process cannot be checked from here: refused, naming the host
  writeFileSync(path, JSON.stringify({ pid: dead, host: 'planner-pc-7', since: 'x', command: 'train' }));
  assert.throws(() => acquireRunLock(path, 'train'), /held by pid \d+ on planner-pc-7/);

  writeFileSync(path, 'not json'); // debris: a lock file is always written whole
  const l2 = acquireRunLock(path, 'train');
  assert.equal(l2.tookOver?.command, 'unreadable lock file');
  l2.release();
});

test('sched train refuses a folder locked by a live process (exit 5) and a refused fresh run leaves nothing behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-lock-'));
  longConfig(dir);
  const lock = acquireRunLock(join(dir, 'run', 'run.lock'), 'train');
  try {
    const r = await runCli(['train', '--config', 'long.yaml', '--out', 'run', '--backend', 'cpu'], dir);
    assert.equal(r.code, 5);
    assert.match(r.err, new RegExp(`error: the run folder is in use: .*run\\.lock is held by pid ${process.pid} on ${hostname()}`));
    assert.deepEqual(readdirSync(join(dir, 'run')), ['run.lock'], 'the refused run wrote nothing');
  } finally {
    lock.release();
  }
  // a config error after the lock was taken: the lock is released and the new folder removed
  writeFileSync(join(dir, 'bad.yaml'), 'stages: []\n');
  await assert.rejects(
    train({ configPath: join(dir, 'bad.yaml'), out: join(dir, 'run2'), cwd: dir, backend: 'cpu', log: pino({ level: 'silent' }), progress: createProgress({ mode: 'silent' }) }),
    (e: SchedError) => e.code === 'CONFIG',
  );
  assert.equal(existsSync(join(dir, 'run2')), false);
});

test('real processes: two trains started together, exactly one runs; a resume during a run is refused; a resume after kill -9 takes the lock over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-lock-'));
  longConfig(dir);
  const args = ['--config', 'long.yaml', '--out', 'run', '--backend', 'cpu'];
  const statePath = join(dir, 'run/checkpoints/training_state.json');
  const lockPath = join(dir, 'run/run.lock');
  const checkpointed = () => existsSync(statePath) && readTrainingState(statePath).lastCheckpoint !== null;

  const both = [spawnTrain(dir, args), spawnTrain(dir, args)];
  // the refused one exits at once; the other trains until stopped
  await waitFor(() => both.some((p) => p.exitCode !== null), 60_000);
  const loser = both.findIndex((p) => p.exitCode !== null);
  const winner = both[1 - loser];
  assert.equal(both[loser].exitCode, 5, both[loser].stderrText());
  assert.match(both[loser].stderrText(), new RegExp(`error: the run folder is in use: .*run\\.lock is held by pid ${winner.pid} on ${hostname()} \\(sched train, since `));
  await waitFor(checkpointed, 90_000);
  assert.equal(winner.exitCode, null, 'the winner is still training');
  assert.equal(readOwner(lockPath)?.pid, winner.pid);
  // reading a run needs no lock: visualize works while it trains
  const v = await runCli(['visualize', '--run', 'run'], dir);
  assert.equal(v.code, 0, v.err);

  // a resume while it trains is refused
  const resume1 = spawnTrain(dir, ['--resume', '--out', 'run', '--backend', 'cpu']);
  assert.equal(await exitCode(resume1), 5, resume1.stderrText());
  assert.match(resume1.stderrText(), new RegExp(`held by pid ${winner.pid} on ${hostname()}`));

  // kill -9: the lock stays behind, naming a process that no longer exists
  winner.kill('SIGKILL');
  await exitCode(winner);
  assert.equal(readOwner(lockPath)?.pid, winner.pid);

  const resume2 = spawnTrain(dir, ['--resume', '--out', 'run', '--backend', 'cpu']);
  await waitFor(() => readOwner(lockPath)?.pid === resume2.pid && /took over the lock/.test(resume2.stderrText()), 60_000);
  assert.match(resume2.stderrText(), new RegExp(`took over the lock .*run\\.lock: its owner, pid ${winner.pid} on ${hostname()} \\(sched train, since [^)]*\\), no longer runs`));
  resume2.kill('SIGTERM');
  assert.equal(await exitCode(resume2), 130, resume2.stderrText());
  assert.equal(existsSync(lockPath), false, 'released on SIGTERM');
});
