import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';

test('sched bench learner --task cartpole --json prints {seed, solved_at, final_eval_mean, wall_s, cpu_s} per seed', async () => {
  const r = await runCli(['bench', 'learner', '--task', 'cartpole', '--seeds', '0,1', '--steps', '512', '--backend', 'wasm', '--json']);
  assert.equal(r.code, 0, r.err);
  const list = JSON.parse(r.out) as Record<string, unknown>[];
  assert.equal(list.length, 2);
  assert.deepEqual(Object.keys(list[0]).sort(), ['cpu_s', 'final_eval_mean', 'seed', 'solved_at', 'wall_s']);
  assert.ok((list[0].cpu_s as number) > 0);
  assert.equal(list[1].seed, 1);
  assert.ok(typeof list[0].final_eval_mean === 'number' && (list[0].final_eval_mean as number) >= 8);
});

test('sched bench learner rejects bad seeds, tasks and backends with a usage error', async () => {
  for (const argv of [['--task', 'cartpole', '--seeds', '0,x'], ['--task', 'atari'], ['--backend', 'tpu'], ['--threads', '0']]) {
    const r = await runCli(['bench', 'learner', ...argv]);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, /^error: --(seeds|task|backend|threads)/);
  }
});

test('sched bench learner --task memory --json samples RSS, heap and tfjs tensors over the updates', async () => {
  const r = await runCli(['bench', 'learner', '--task', 'memory', '--steps', '2', '--backend', 'wasm', '--json']);
  assert.equal(r.code, 0, r.err);
  const list = JSON.parse(r.out) as { update: number; rss_mb: number; heap_mb: number; tensors: number }[];
  assert.deepEqual(list.map((s) => s.update), [1]);
  assert.ok(list[0].rss_mb > list[0].heap_mb && list[0].heap_mb > 0);
});
