import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadSnapshotFile, parseSnapshot } from '../../src/data/snapshots/load.js';
import { createTestDb, tempDir, type TestDb } from './helpers.js';
import { HAND_MADE, writeJson, assertSameSnapshot } from './snapshots.js';

/** Every kind of bad row, each in its own job (or table) so that the good data survives --skip-invalid. */
const BAD_ROWS: { sql: string; values: unknown[] }[] = [
  // production-like columns: nullable, and text where numbers belong
  { sql: 'ALTER TABLE ai_tasks MODIFY processing_time VARCHAR(32) NULL', values: [] },
  { sql: 'ALTER TABLE tbl_machine MODIFY type VARCHAR(32) NULL', values: [] },
  { sql: 'INSERT INTO ai_jobs (id, due_date, release_date, important) VALUES ?', values: [[
    ['JB1', '2026-11-05 00:00:00', null, 0], ['JB2', '2026-11-05 00:00:00', null, 0], ['JB3', '2026-11-05 00:00:00', null, 1],
    ['JB4', '2026-11-05 00:00:00', null, 0], ['J_empty', '2026-11-05 00:00:00', null, 0], ['JB5', null, null, 0],
  ]] },
  { sql: 'INSERT INTO ai_tasks (id, job_id, sequence, processing_time, setup_time, requires_all) VALUES ?', values: [[
    ['JB1.1', 'JB1', 1, '1.5', 0, 0], ['JB1.2', 'JB1', 2, null, 0, 0], // NULL time
    ['JB2.1', 'JB2', 1, '-2', 0, 0], // negative time
    ['JB3.1', 'JB3', 1, 'abc', 0, 0], // non-numeric time
    ['JB4.1', 'JB4', 1, '1', 0, 0], ['JB4.2', 'JB4', 1, '2', 0, 0], // duplicate sequence
    ['T_orphan', 'J404', 1, '1', 0, 0], // unknown job
    ['JB5.1', 'JB5', 1, '1', 0, 0], // its job has a NULL due date while the others have one
  ]] },
  { sql: 'INSERT INTO ai_task_machines (id, task_id, machine_id) VALUES ?', values: [[
    [101, 'JB1.1', 'M1'], [102, 'JB1.2', 'M1'], [103, 'JB2.1', 'M1'], [104, 'JB3.1', 'M1'], [105, 'JB4.1', 'M1'], [106, 'JB4.2', 'M1'],
    [107, 'T_orphan', 'M1'], [108, 'JB5.1', 'M1'],
    [109, 'J1.1', 'M999'], // unknown machine (J1.1 keeps its other machines)
    [110, 'J2.1', 'MX'], // a machine whose row is bad: left out, J2.1 keeps M10, M2, M1
  ]] },
  { sql: 'INSERT INTO tbl_machine (id, name, type, calendar) VALUES (?, ?, ?, ?)', values: ['MX', 'Broken', null, null] },
  { sql: 'INSERT INTO ai_breaktimes (id, calendar, weekday, start_time, end_time) VALUES ?', values: [[[50, null, 9, '10:00:00', '11:00:00'], [51, null, 2, '15:00:00', '14:00:00']]] },
];

const EXPECTED = [
  'ai_tasks row id=JB1.2: column processing_time is NULL',
  'ai_tasks row id=JB2.1: column processing_time is negative: -2',
  'ai_tasks row id=JB3.1: column processing_time is not a number: "abc"',
  'ai_tasks row id=JB4.2: column sequence repeats sequence 1 of job "JB4" (also row id=JB4.1)',
  'ai_tasks row id=T_orphan: column job_id names unknown job "J404" (no such row in ai_jobs)',
  'ai_jobs row id=J_empty: has no tasks (no row in ai_tasks names it in column job_id)',
  'ai_jobs row id=JB5: column due_date is NULL',
  'ai_task_machines row id=109: column machine_id names unknown machine "M999" (no such row in tbl_machine)',
  'tbl_machine row id=MX: column type is NULL',
  'ai_breaktimes row id=50: column weekday is not a weekday (iso numbering): 9',
  'ai_breaktimes row id=51: column end_time must be after start_time (15 h), got 14 h',
];

describe('sched ingest with bad rows', () => {
  let db: TestDb;
  const tmp = tempDir();
  before(async () => {
    db = await createTestDb();
    const push = await runCli(['db', 'push', '--snapshot', writeJson(tmp.dir, 'hand.json', HAND_MADE), '--mysql', db.url]);
    assert.equal(push.code, 0, push.err);
    for (const { sql, values } of BAD_ROWS) await db.sql(sql, values);
  });
  after(async () => {
    await db.drop();
    tmp.remove();
  });

  it('stops, naming table, row id and column of every bad row, and writes nothing', async () => {
    const out = join(tmp.dir, 'stopped.json');
    const r = await runCli(['ingest', '--mysql', db.url, '--out', out]);
    assert.equal(r.code, 4);
    assert.match(r.err, new RegExp(`^error: database "${db.name}" holds ${EXPECTED.length} bad rows; fix them or rerun with --skip-invalid`));
    for (const line of EXPECTED) assert.ok(r.err.includes(`✖ ${line}\n`), `missing: ${line}\n${r.err}`);
    assert.equal(r.err.trim().split('\n').length, 1 + EXPECTED.length, 'one line per bad row, nothing else');
    assert.doesNotMatch(r.err, /\bat .*\.ts:\d+/, 'no stack trace');
    assert.equal(existsSync(out), false);
  });

  it('with --skip-invalid leaves them (and what depends on them) out, writes the rest and reports', async () => {
    const out = join(tmp.dir, 'skipped.json');
    const md = join(tmp.dir, 'report.md');
    const r = await runCli(['ingest', '--mysql', db.url, '--out', out, '--skip-invalid', '--report', md]);
    assert.equal(r.code, 0, r.err);
    // what is left is exactly the good hand-made data
    assertSameSnapshot(loadSnapshotFile(out), parseSnapshot(HAND_MADE), 0);
    // the report is printed and written
    for (const text of [r.out, readFileSync(md, 'utf8')]) {
      assert.match(text, /bad rows skipped: 11; rows left out because they depend on them: \d+/);
      assert.match(text, /\| ai_tasks \| JB1\.2 \| processing_time \| is NULL \|/);
      assert.match(text, /\| ai_jobs \| JB1 \| its task "JB1\.2" is left out \|/);
      assert.match(text, /\| ai_tasks \| JB1\.1 \| its job "JB1" is left out \(task "JB1\.2"\) \|/);
      assert.match(text, /\| ai_task_machines \| 110 \| its machine "MX" is left out \|/);
    }
  });

  it('writes the report beside the snapshot when --report is not given', async () => {
    const r = await runCli(['ingest', '--mysql', db.url, '--out', join(tmp.dir, 'beside.json'), '--skip-invalid']);
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(join(tmp.dir, 'beside.report.md'), 'utf8'), /bad rows skipped: 11/);
    assert.ok(r.out.includes(`(report written to ${join(tmp.dir, 'beside.report.md')})`));
  });

  it('writes the report as JSON when its name ends in .json', async () => {
    const json = join(tmp.dir, 'report.json');
    const r = await runCli(['ingest', '--mysql', db.url, '--out', join(tmp.dir, 'skipped2.json'), '--skip-invalid', '--report', json]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { badRows: { sentence: string; table: string; id: string; column?: string }[]; leftOut: { id: string }[] };
    assert.deepEqual(report.badRows.map((b) => b.sentence).sort(), [...EXPECTED].sort());
    assert.ok(report.badRows.some((b) => b.table === 'ai_tasks' && b.id === 'JB3.1' && b.column === 'processing_time'));
    assert.deepEqual(report.leftOut.map((l) => l.id).filter((id) => id.startsWith('JB')).sort(), ['JB1', 'JB1.1', 'JB2', 'JB3', 'JB4', 'JB4.1', 'JB5.1']);
  });
});
