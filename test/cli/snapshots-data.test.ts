import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const repo = process.cwd();
const tmp = () => mkdtempSync(join(tmpdir(), 'sched-snap-'));

test('snapshots generate writes the named snapshots, edge cases and report, byte-identical to the committed ones', async () => {
  const dir = tmp();
  const r = await runCli(['snapshots', 'generate', '--dir', dir]);
  assert.equal(r.code, 0, r.err);
  const files = readdirSync(dir).sort();
  for (const n of ['snapshot_normal', 'snapshot_rush', 'snapshot_heavy', 'snapshot_bottleneck', 'snapshot_multi_heavy']) assert.ok(files.includes(`${n}.json`), n);
  assert.ok(files.filter((f) => f.startsWith('edge_case_')).length >= 6);
  assert.ok(files.includes('validation_report.md'));
  // the committed snapshots/ folder is exactly what the committed generator produces (default seed)
  for (const f of files) assert.equal(readFileSync(join(dir, f), 'utf8'), readFileSync(join(repo, 'snapshots', f), 'utf8'), `snapshots/${f} is stale: run sched snapshots generate`);
  const report = readFileSync(join(dir, 'validation_report.md'), 'utf8');
  assert.match(report, /14 of 14 files valid\./);
  const validate = await runCli(['snapshots', 'validate', ...files.filter((f) => f.endsWith('.json')).map((f) => join(dir, f))]);
  assert.equal(validate.code, 0, validate.err);
});

test('snapshots generate --seed changes the data; --profile writes one stage instance', async () => {
  const dir = tmp();
  assert.equal((await runCli(['snapshots', 'generate', '--dir', dir, '--seed', '2'])).code, 0);
  assert.notEqual(readFileSync(join(dir, 'snapshot_normal.json'), 'utf8'), readFileSync(join(repo, 'snapshots', 'snapshot_normal.json'), 'utf8'));
  const r = await runCli(['snapshots', 'generate', '--profile', 'toy_multi', '--seed', '4', '--out', 'toy.json'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wrote toy\.json: profile toy_multi, seed 4, 10 jobs, 8 machines/);
  const json = JSON.parse(readFileSync(join(dir, 'toy.json'), 'utf8'));
  assert.equal(json.jobs.length, 10);
  assert.equal(json.meta.profile, 'toy_multi');
});

test('snapshots generate refuses an unknown profile (listing the valid ones) and a bad seed', async () => {
  const r = await runCli(['snapshots', 'generate', '--profile', 'toy_eazy', '--out', join(tmp(), 'x.json')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown generator profile "toy_eazy"; valid profiles: toy_easy, toy_normal/);
  const s = await runCli(['snapshots', 'generate', '--seed', 'abc', '--dir', tmp()]);
  assert.equal(s.code, 2);
  assert.match(s.err, /--seed must be a whole number/);
  const o = await runCli(['snapshots', 'generate', '--profile', 'toy_easy']);
  assert.equal(o.code, 2);
  assert.match(o.err, /--profile needs --out/);
});

test('snapshots stats prints a table, or JSON with --json', async () => {
  const f = join(repo, 'snapshots', 'edge_case_hot_machine.json');
  const t = await runCli(['snapshots', 'stats', f]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^snapshot\s+edge_case_hot_machine/m);
  assert.match(t.out, /machine types by load/);
  assert.match(t.out, /^\s+heat_press\s+1\s+12\s/m); // the hot machine type is the most loaded one
  const j = await runCli(['snapshots', 'stats', f, '--json']);
  const st = JSON.parse(j.out);
  assert.equal(st.jobs, 12);
  assert.equal(st.types[0].type, 'heat_press');
  const missing = await runCli(['snapshots', 'stats', join(tmp(), 'none.json')]);
  assert.equal(missing.code, 5);
  assert.match(missing.err, /cannot read snapshot .*none\.json: no such file/);
});

test('snapshots import converts ft06 and mk01; a bad file exits 4 with its line number', async () => {
  const dir = tmp();
  const r = await runCli(['snapshots', 'import', '--format', 'taillard', join(repo, 'test/fixtures/ft06.txt'), '--out', 'ft06.json'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /6 jobs, 36 tasks, 6 machines/);
  const ft06 = JSON.parse(readFileSync(join(dir, 'ft06.json'), 'utf8'));
  assert.equal(ft06.objective, 'makespan');
  assert.deepEqual(ft06.jobs[0].tasks[0], { id: 'J1.1', seq: 1, duration: 1, machines: ['M2'] });
  const b = await runCli(['snapshots', 'import', '--format', 'brandimarte', join(repo, 'test/fixtures/mk01.fjs'), '--out', 'mk01.json'], dir);
  assert.equal(b.code, 0, b.err);
  assert.match(b.out, /10 jobs, 55 tasks, 6 machines/);
  writeFileSync(join(dir, 'bad.txt'), '2 2\n0 3 1 4\n1 2 0\n');
  const bad = await runCli(['snapshots', 'import', '--format', 'taillard', 'bad.txt', '--out', 'bad.json'], dir);
  assert.equal(bad.code, 4);
  assert.match(bad.err, /bad\.txt line 3: expected 4 numbers \(2 pairs machine time\), got 3/);
  assert.ok(!readdirSync(dir).includes('bad.json'));
  const fmt = await runCli(['snapshots', 'import', '--format', 'csv', 'bad.txt', '--out', 'x.json'], dir);
  assert.equal(fmt.code, 2);
});
