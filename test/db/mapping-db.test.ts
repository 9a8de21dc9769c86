import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadSnapshotFile, parseSnapshot } from '../../src/data/snapshots/load.js';
import { loadSnapshotFromDatabase } from '../../src/db/source.js';
import { createTestDb, tempDir, type TestDb } from './helpers.js';
import { HAND_MADE, writeJson, assertSameSnapshot } from './snapshots.js';

/** A production database with other names, integer ids, no setup/calendar columns, and MySQL DAYOFWEEK weekdays. */
const MAPPING_YAML = `
machines: { table: maschinen, columns: { id: mid, name: bezeichnung, type: typ, calendar: null } }
jobs: { table: auftraege, columns: { id: auftrag_nr, due: liefertermin, release: freigabe, important: prio } }
tasks:
  table: arbeitsgaenge
  columns: { id: ag_id, job: auftrag_nr, sequence: ag_folge, processingTime: dauer_h, setup: null, requiresAll: alle }
taskMachines: { table: ag_maschinen, columns: { id: nr, task: ag_id, machine: mid } }
breaks: { table: pausen, weekdays: dayofweek, columns: { id: nr, calendar: null, weekday: wochentag, start: von, end: bis } }
holidays: { table: feiertage, columns: { id: nr, calendar: null, start: von, end: bis, name: anlass } }
`;

describe('a database with other table and column names (--mapping)', () => {
  let db: TestDb;
  const tmp = tempDir();
  const mappingFile = join(tmp.dir, 'mapping.yaml');
  before(async () => {
    db = await createTestDb();
    writeFileSync(mappingFile, MAPPING_YAML);
  });
  after(async () => {
    await db.drop();
    tmp.remove();
  });
  beforeEach(async () => {
    await db.clear();
  });

  it('ingests renamed tables and columns created by hand', async () => {
    for (const sql of [
      'CREATE TABLE maschinen (mid INT PRIMARY KEY, bezeichnung VARCHAR(50), typ VARCHAR(20))',
      'CREATE TABLE auftraege (auftrag_nr INT PRIMARY KEY, liefertermin DATETIME, freigabe DATETIME, prio TINYINT)',
      'CREATE TABLE arbeitsgaenge (ag_id INT PRIMARY KEY, auftrag_nr INT, ag_folge INT, dauer_h DOUBLE, alle TINYINT)',
      'CREATE TABLE ag_maschinen (nr INT PRIMARY KEY, ag_id INT, mid INT)',
      'CREATE TABLE pausen (nr INT PRIMARY KEY, wochentag INT, von TIME, bis TIME)',
      'CREATE TABLE feiertage (nr INT PRIMARY KEY, von DATE, bis DATE, anlass VARCHAR(50))',
      "INSERT INTO maschinen VALUES (1, 'Drehbank', 'lathe'), (2, 'Fraese', 'mill'), (10, NULL, 'mill')",
      "INSERT INTO auftraege VALUES (7, '2026-11-04 06:00:00', '2026-11-02 06:00:00', 1), (17, '2026-11-03 00:00:00', NULL, 0)",
      'INSERT INTO arbeitsgaenge VALUES (100, 7, 1, 2.5, 0), (101, 7, 2, 1.25, 1), (200, 17, 1, 4, 0)',
      'INSERT INTO ag_maschinen VALUES (1, 100, 1), (2, 100, 2), (3, 101, 1), (4, 101, 10), (5, 200, 10)',
      "INSERT INTO pausen VALUES (1, 2, '12:00:00', '12:30:00'), (2, 1, '00:00:00', '24:00:00')",
      "INSERT INTO feiertage VALUES (1, '2026-12-25', '2026-12-27', 'Weihnachten')",
    ]) await db.sql(sql);
    const out = join(tmp.dir, 'mapped.json');
    const r = await runCli(['ingest', '--mysql', db.url, '--out', out, '--mapping', mappingFile]);
    assert.equal(r.code, 0, r.err);
    const s = loadSnapshotFile(out);
    assert.equal(s.start, '2026-11-02T06:00:00Z');
    assert.deepEqual(s.machines, [{ id: '1', name: 'Drehbank', type: 'lathe' }, { id: '2', name: 'Fraese', type: 'mill' }, { id: '10', type: 'mill' }]);
    assert.deepEqual(
      s.jobs.map((j) => ({ id: j.id, due: j.due, release: j.release, important: j.important, tasks: j.tasks.map((t) => [t.id, t.seq, t.duration, t.machines, t.requiresAll, t.setup]) })),
      [
        { id: '7', due: 48, release: 0, important: true, tasks: [['100', 1, 2.5, ['1', '2'], [], 0], ['101', 2, 1.25, [], ['1', '10'], 0]] },
        { id: '17', due: 18, release: 0, important: false, tasks: [['200', 1, 4, ['10'], [], 0]] },
      ],
    );
    // DAYOFWEEK 2 = Monday, 1 = Sunday
    assert.deepEqual(s.calendars.default.breaks, [{ weekday: 1, start: 12, end: 12.5 }, { weekday: 7, start: 0, end: 24 }]);
    assert.deepEqual(s.calendars.default.holidays, [{ start: 1266, end: 1314, name: 'Weihnachten' }]);
  });

  it('names a bad row by the mapped table and column', async () => {
    await db.sql('CREATE TABLE maschinen (mid INT PRIMARY KEY, bezeichnung VARCHAR(50), typ VARCHAR(20))');
    await db.sql('CREATE TABLE auftraege (auftrag_nr INT PRIMARY KEY, liefertermin DATETIME, freigabe DATETIME, prio TINYINT)');
    await db.sql('CREATE TABLE arbeitsgaenge (ag_id INT PRIMARY KEY, auftrag_nr INT, ag_folge INT, dauer_h DOUBLE, alle TINYINT)');
    for (const t of ['ag_maschinen (nr INT PRIMARY KEY, ag_id INT, mid INT)', 'pausen (nr INT PRIMARY KEY, wochentag INT, von TIME, bis TIME)', 'feiertage (nr INT PRIMARY KEY, von DATE, bis DATE, anlass VARCHAR(50))']) {
      await db.sql(`CREATE TABLE ${t}`);
    }
    await db.sql("INSERT INTO maschinen VALUES (1, 'Drehbank', 'lathe')");
    await db.sql("INSERT INTO auftraege VALUES (7, '2026-11-04 06:00:00', NULL, 0)");
    await db.sql('INSERT INTO arbeitsgaenge VALUES (17, 7, 1, NULL, 0)');
    await db.sql('INSERT INTO ag_maschinen VALUES (1, 17, 1)');
    const r = await runCli(['ingest', '--mysql', db.url, '--out', join(tmp.dir, 'x.json'), '--mapping', mappingFile]);
    assert.equal(r.code, 4);
    assert.match(r.err, /✖ arbeitsgaenge row id=17: column dauer_h is NULL\n/);
  });

  it('db push creates the renamed tables; ingest and loadSnapshotFromDatabase read them back', async () => {
    // this mapping has no calendar or setup columns: those values are not written, with a warning
    const snap = {
      ...HAND_MADE,
      machines: HAND_MADE.machines.map(({ calendar: _c, ...m }) => m),
      calendars: { default: HAND_MADE.calendars.default },
      jobs: HAND_MADE.jobs.map((j) => ({ ...j, tasks: j.tasks.map((t) => ({ ...t, setup: undefined })) })),
    };
    const push = await runCli(['db', 'push', '--snapshot', writeJson(tmp.dir, 'full.json', HAND_MADE), '--mysql', db.url, '--mapping', mappingFile]);
    assert.equal(push.code, 0, push.err);
    assert.match(push.out, /maschinen 4, auftraege 3, arbeitsgaenge 5, ag_maschinen 11, pausen 2, feiertage 0/);
    assert.equal(
      push.err,
      [
        'warning: 2 machine calendars not written: the mapping gives maschinen no calendar column',
        'warning: 2 setup times not written: the mapping gives arbeitsgaenge no setup column',
        'warning: 2 breaks of named calendars not written: the mapping gives pausen no calendar column',
        'warning: 2 holidays of named calendars not written: the mapping gives feiertage no calendar column',
        '',
      ].join('\n'),
    );
    const [row] = (await db.sql('SELECT wochentag FROM pausen ORDER BY nr LIMIT 1')) as { wochentag: number }[];
    assert.equal(row.wochentag, 2, 'Monday is 2 in DAYOFWEEK numbering');

    const out = join(tmp.dir, 'back.json');
    const r = await runCli(['ingest', '--mysql', db.url, '--out', out, '--mapping', mappingFile]);
    assert.equal(r.code, 0, r.err);
    assertSameSnapshot(loadSnapshotFile(out), parseSnapshot(snap), 0);

    process.env.SCHED_TEST_DB_URL = db.url;
    try {
      const viaSource = await loadSnapshotFromDatabase({ mysql: 'env:SCHED_TEST_DB_URL', mapping: 'mapping.yaml', start: snap.start }, { baseDir: tmp.dir });
      assertSameSnapshot(viaSource, parseSnapshot(snap), 0);
      const inline = await loadSnapshotFromDatabase({ mysql: db.url, mapping: { machines: { table: 'nope' } } }).catch((e: Error) => e);
      assert.match(String((inline as Error).message), /table "nope" does not exist in database/);
    } finally {
      delete process.env.SCHED_TEST_DB_URL;
    }
  });
});
