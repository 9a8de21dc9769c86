import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { cleanSnapshot } from '../helpers/clean-snapshot.js';
import { createTestDb, tempDir, type TestDb } from './helpers.js';
import { writeJson } from './snapshots.js';

/** Rows that are legal but look wrong, each breaking one rule of the clean snapshot's rows. */
const ODD_ROWS: { sql: string; values: unknown[] }[] = [
  // a typo in a calendar name: no break or holiday row defines CAL_GHOST
  { sql: "UPDATE tbl_machine SET calendar = 'CAL_GHOST' WHERE id = 'M1'", values: [] },
  // released in 2030, due in November 2026
  { sql: "UPDATE ai_jobs SET release_date = '2030-01-01 00:00:00' WHERE id = 'J3'", values: [] },
  // due ten years ago
  { sql: "UPDATE ai_jobs SET due_date = '2016-11-02 00:00:00' WHERE id = 'J6'", values: [] },
  // 300 h where the other lathe tasks take 1.5-3.75 h
  { sql: "UPDATE ai_tasks SET processing_time = 300 WHERE id = 'J1.1'", values: [] },
  // a machine type no task can use
  { sql: 'INSERT INTO tbl_machine (id, name, type, calendar) VALUES (?, ?, ?, ?)', values: ['G1', 'Grinder', 'grinder', null] },
  // the mill is shut for good: every mill task (J*.2, on M3 only) has no working time
  { sql: "UPDATE tbl_machine SET calendar = 'shut' WHERE id = 'M3'", values: [] },
  { sql: 'INSERT INTO ai_holidays (id, calendar, start_date, end_date, name) VALUES (?, ?, ?, ?, ?)', values: [90, 'shut', '2026-01-01 00:00:00', '2040-01-01 00:00:00', 'closed'] },
];

const EXPECTED = [
  'tbl_machine row id=M1: column calendar names calendar "CAL_GHOST", which no break or holiday defines: the machine works through every break and holiday',
  'tbl_machine row id=G1: column type is "grinder", a machine type no task can use (machines G1)',
  "ai_jobs row id=J3: column release_date is at hour 27738, more than 10 × the snapshot's time scale (27.5 h) from hour 0",
  "ai_jobs row id=J3: column due_date is at hour 30, before the job's release at hour 27738: it is late before it can start",
  "ai_jobs row id=J6: column due_date is at hour -87654, more than 10 × the snapshot's time scale (27.5 h) from hour 0",
  'ai_tasks row id=J1.1: column processing_time is 300 h on machine type "lathe", 100 × the median 3 h of its 6 tasks there (limit: 25 × either way)',
  ...[1, 2, 3, 4, 5, 6].map((i) => `ai_tasks row id=J${i}.2: can only run on machine M3, whose calendar has no working time in the horizon (hour 0 to 27743.8)`),
];

describe('sched ingest warnings (legal rows that look wrong)', () => {
  let db: TestDb;
  const tmp = tempDir();
  before(async () => {
    db = await createTestDb();
    const push = await runCli(['db', 'push', '--snapshot', writeJson(tmp.dir, 'clean.json', cleanSnapshot()), '--mysql', db.url]);
    assert.equal(push.code, 0, push.err);
  });
  after(async () => {
    await db.drop();
    tmp.remove();
  });

  it('a clean database gives no warnings, and says so on the last line', async () => {
    const out = join(tmp.dir, 'clean-in.json');
    const r = await runCli(['ingest', '--mysql', db.url, '--out', out, '--strict']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trimEnd().split('\n').at(-1), '0 warnings');
    assert.equal(existsSync(out.replace(/\.json$/, '.report.md')), false, 'no report without bad rows or warnings');
  });

  describe('with odd rows', () => {
    before(async () => {
      for (const { sql, values } of ODD_ROWS) await db.sql(sql, values);
    });

    it('names every one by table, row id and column, counts them, writes the snapshot and a report listing them', async () => {
      const out = join(tmp.dir, 'odd.json');
      const r = await runCli(['ingest', '--mysql', db.url, '--out', out]);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trimEnd().split('\n');
      assert.deepEqual(lines.filter((l) => l.startsWith('⚠ ')), EXPECTED.map((e) => `⚠ ${e}`));
      const report = out.replace(/\.json$/, '.report.md');
      assert.equal(lines.at(-1), `${EXPECTED.length} warnings (listed in ${report})`);
      assert.ok(existsSync(out));
      const md = readFileSync(report, 'utf8');
      assert.match(md, new RegExp(`^- warnings \\(legal rows that look wrong\\): ${EXPECTED.length}$`, 'm'));
      assert.match(md, /^\| tbl_machine \| M1 \| calendar \| undefined-calendar \| names calendar "CAL_GHOST", which no break or holiday defines/m);
      assert.match(md, /^\| ai_tasks \| J4\.2 \|  \| no-working-time \| can only run on machine M3/m);
      assert.equal(md.split('\n').filter((l) => /^\| (tbl_machine|ai_jobs|ai_tasks) \|/.test(l)).length, EXPECTED.length);
    });

    it('--report F.json carries them with rule, table, row id, column and snapshot path', async () => {
      const json = join(tmp.dir, 'odd-report.json');
      const r = await runCli(['ingest', '--mysql', db.url, '--out', join(tmp.dir, 'odd2.json'), '--report', json]);
      assert.equal(r.code, 0, r.err);
      const rep = JSON.parse(readFileSync(json, 'utf8'));
      assert.equal(rep.warnings.length, EXPECTED.length);
      assert.deepEqual(rep.warnings.map((w: { sentence: string }) => w.sentence), EXPECTED);
      const release = rep.warnings.find((w: { rule: string }) => w.rule === 'release-far');
      assert.deepEqual(
        { table: release.table, id: release.id, column: release.column, path: release.path },
        { table: 'ai_jobs', id: 'J3', column: 'release_date', path: 'jobs[2].release' },
      );
      assert.deepEqual([...new Set(rep.warnings.map((w: { rule: string }) => w.rule))].sort(), [
        'due-before-release', 'due-far', 'duration-outlier', 'no-working-time', 'release-far', 'undefined-calendar', 'unused-type',
      ]);
    });

    it('--strict makes them fatal: exit 4, each named, nothing written', async () => {
      const out = join(tmp.dir, 'strict.json');
      const r = await runCli(['ingest', '--mysql', db.url, '--out', out, '--strict']);
      assert.equal(r.code, 4);
      assert.match(r.err, new RegExp(`^error: database "${db.name}" holds ${EXPECTED.length} rows that look wrong \\(--strict makes warnings fatal\\); fix them or rerun without --strict`));
      for (const line of EXPECTED) assert.ok(r.err.includes(`✖ ${line}\n`), `missing: ${line}\n${r.err}`);
      assert.equal(r.err.trim().split('\n').length, 1 + EXPECTED.length, 'one line per warning, nothing else');
      assert.equal(existsSync(out), false);
      assert.equal(existsSync(out.replace(/\.json$/, '.report.md')), false);
    });
  });
});
