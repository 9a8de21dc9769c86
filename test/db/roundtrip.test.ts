import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadSnapshotFile, parseSnapshot } from '../../src/data/snapshots/load.js';
import { createTestDb, tempDir, type TestDb } from './helpers.js';
import { HAND_MADE, generatedLike, writeJson, assertSameSnapshot } from './snapshots.js';

describe('sched db push, then sched ingest', () => {
  let db: TestDb;
  const tmp = tempDir();
  before(async () => {
    db = await createTestDb();
  });
  after(async () => {
    await db.drop();
    tmp.remove();
  });
  beforeEach(async () => {
    await db.clear();
  });

  it('gives back the hand-made snapshot (multi-machine tasks, setups, breaks, holidays)', async () => {
    const src = writeJson(tmp.dir, 'hand.json', HAND_MADE);
    const push = await runCli(['db', 'push', '--snapshot', src, '--mysql', db.url]);
    assert.equal(push.code, 0, push.err);
    assert.match(push.out, /tbl_machine 4, ai_jobs 3, ai_tasks 5, ai_task_machines 11, ai_breaktimes 4, ai_holidays 2/);

    // no --start: hour 0 is the earliest release date, which is the snapshot's start here
    const out = join(tmp.dir, 'hand.out.json');
    const ingest = await runCli(['ingest', '--mysql', db.url, '--out', out]);
    assert.equal(ingest.code, 0, ingest.err);
    assert.match(ingest.out, /3 jobs, 5 tasks, 4 machines, hour 0 = 2026-11-02T06:00:00Z/);
    const back = loadSnapshotFile(out);
    assert.equal(back.start, '2026-11-02T06:00:00Z');
    assert.equal(back.name, db.name);
    assertSameSnapshot(back, parseSnapshot(HAND_MADE), 0); // every time here is exact in the database
    assert.deepEqual(back.jobs.map((j) => j.id), ['J1', 'J2', 'J10']);
    assert.deepEqual(back.jobs[0].tasks[1].requiresAll, ['M1', 'M3']);
  });

  it('gives back a bigger generated-like snapshot, times within the documented rounding', async () => {
    const snap = generatedLike(7);
    const src = writeJson(tmp.dir, 'gen.json', snap);
    const push = await runCli(['db', 'push', '--snapshot', src, '--mysql', db.url]);
    assert.equal(push.code, 0, push.err);
    const out = join(tmp.dir, 'gen.out.json');
    const ingest = await runCli(['ingest', '--mysql', db.url, '--out', out, '--start', '2026-03-02T07:30:00Z', '--name', 'gen']);
    assert.equal(ingest.code, 0, ingest.err);
    const back = loadSnapshotFile(out);
    const expected = parseSnapshot(snap);
    assert.equal(back.jobs.length, 150);
    assert.ok(back.jobs.some((j) => j.tasks.some((t) => t.requiresAll.length > 0)), 'has multi-machine tasks');
    assertSameSnapshot(back, expected);
    // the rounding is real: some duration came back different, but by at most 5e-5 h
    const d = back.jobs.flatMap((j, ji) => j.tasks.map((t, ti) => Math.abs(t.duration - expected.jobs[ji].tasks[ti].duration)));
    assert.ok(Math.max(...d) > 0 && Math.max(...d) <= 5e-5 + 1e-9);
  });

  it('refuses to overwrite rows without --replace, and replaces them in one transaction with it', async () => {
    const src = writeJson(tmp.dir, 'hand.json', HAND_MADE);
    assert.equal((await runCli(['db', 'push', '--snapshot', src, '--mysql', db.url])).code, 0);
    const again = await runCli(['db', 'push', '--snapshot', src, '--mysql', db.url]);
    assert.equal(again.code, 7);
    assert.match(again.err, /already holds rows \(tbl_machine: 4, ai_jobs: 3, .*\); rerun with --replace/);

    const small = { ...HAND_MADE, jobs: HAND_MADE.jobs.slice(0, 1) };
    const replaced = await runCli(['db', 'push', '--snapshot', writeJson(tmp.dir, 'small.json', small), '--mysql', db.url, '--replace']);
    assert.equal(replaced.code, 0, replaced.err);
    const [{ n }] = (await db.sql('SELECT COUNT(*) AS n FROM ai_jobs')) as { n: number }[];
    assert.equal(Number(n), 1);
  });

  it('rolls everything back when a write fails half-way', async () => {
    // a production-like ai_holidays without the `name` column: the last INSERT fails
    await db.sql('CREATE TABLE ai_holidays (id INT PRIMARY KEY, calendar VARCHAR(64) NULL, start_date DATETIME, end_date DATETIME)');
    const src = writeJson(tmp.dir, 'hand.json', HAND_MADE);
    const push = await runCli(['db', 'push', '--snapshot', src, '--mysql', db.url]);
    assert.equal(push.code, 7);
    assert.match(push.err, /column "name" does not exist in table "ai_holidays" of database "sched_test_\w+": map your column names with --mapping/);
    for (const t of ['tbl_machine', 'ai_jobs', 'ai_tasks', 'ai_task_machines', 'ai_breaktimes']) {
      const [{ n }] = (await db.sql(`SELECT COUNT(*) AS n FROM ${t}`)) as { n: number }[];
      assert.equal(Number(n), 0, `${t} is empty after the rollback`);
    }
  });

  it('creates the same tables as scripts/schema.sql', async () => {
    const { schemaStatements } = await import('../../src/db/ddl.js');
    const { resolveMapping } = await import('../../src/db/mapping.js');
    const norm = (s: string) => s.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
    const file = readFileSync('scripts/schema.sql', 'utf8');
    const statements = norm(file).split(';').map((s) => s.trim()).filter(Boolean);
    assert.deepEqual(statements, schemaStatements(resolveMapping({})).map(norm));
  });

  it('writes a makespan snapshot (no due dates) and reads it back as one', async () => {
    const snap = { ...HAND_MADE, objective: 'makespan', jobs: HAND_MADE.jobs.map(({ due: _due, ...j }) => j) };
    const src = writeJson(tmp.dir, 'mk.json', snap);
    assert.equal((await runCli(['db', 'push', '--snapshot', src, '--mysql', db.url])).code, 0);
    const out = join(tmp.dir, 'mk.out.json');
    const r = await runCli(['ingest', '--mysql', db.url, '--out', out]);
    assert.equal(r.code, 0, r.err);
    const back = loadSnapshotFile(out);
    assert.equal(back.objective, 'makespan');
    assertSameSnapshot(back, parseSnapshot(snap), 0);
  });
});
