import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { createTestDb, tempDir, DB_HOST, DB_PORT, type TestDb } from './helpers.js';
import { HAND_MADE, writeJson } from './snapshots.js';

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+/, 'no stack trace');

describe('database errors', () => {
  let db: TestDb;
  const tmp = tempDir();
  const user = `sched_u_${randomBytes(3).toString('hex')}`;
  const password = `S3cr3t-${randomBytes(6).toString('hex')}`;
  const wrong = `Wr0ng-${randomBytes(6).toString('hex')}`;
  before(async () => {
    db = await createTestDb();
    await db.sql(`CREATE USER '${user}'@'${DB_HOST}' IDENTIFIED BY '${password}'`);
    await db.sql(`GRANT ALL PRIVILEGES ON \`${db.name}\`.* TO '${user}'@'${DB_HOST}'`);
  });
  after(async () => {
    await db.sql(`DROP USER IF EXISTS '${user}'@'${DB_HOST}'`).catch(() => undefined);
    await db.drop();
    tmp.remove();
  });

  it('a refused connection names host and port', async () => {
    const port = await closedPort();
    const r = await runCli(['ingest', '--mysql', `mysql://root:${password}@127.0.0.1:${port}/x`, '--out', join(tmp.dir, 'o.json')]);
    assert.equal(r.code, 7);
    assert.equal(r.err, `error: cannot connect to MariaDB/MySQL at 127.0.0.1:${port}: connection refused (is the server running on that host and port?)\n`);
    assert.ok(!r.err.includes(password) && !r.out.includes(password));
  });

  it('a wrong password names user and host, and shows neither password', async () => {
    const log = join(tmp.dir, 'wrong.log');
    const url = `mysql://${user}:${wrong}@${DB_HOST}:${DB_PORT}/${db.name}`;
    for (const argv of [
      ['ingest', '--mysql', url, '--out', join(tmp.dir, 'o.json'), '--log', log],
      ['db', 'push', '--snapshot', writeJson(tmp.dir, 'hand.json', HAND_MADE), '--mysql', url, '--log', log],
    ]) {
      const r = await runCli(argv);
      assert.equal(r.code, 7);
      assert.equal(r.err, `error: access denied for user "${user}" at ${DB_HOST}:${DB_PORT}: wrong password or unknown user\n`);
      noStack(r.err);
      for (const secret of [wrong, password]) assert.ok(!r.err.includes(secret) && !r.out.includes(secret));
    }
  });

  it('an unknown database is named', async () => {
    const r = await runCli(['ingest', '--mysql', `mysql://root@${DB_HOST}:${DB_PORT}/${db.name}_nope`, '--out', join(tmp.dir, 'o.json')]);
    assert.equal(r.code, 7);
    assert.equal(r.err, `error: unknown database "${db.name}_nope" at ${DB_HOST}:${DB_PORT}\n`);
  });

  it('a missing table is named, with what to do', async () => {
    const r = await runCli(['ingest', '--mysql', db.url, '--out', join(tmp.dir, 'o.json')]);
    assert.equal(r.code, 7);
    assert.equal(
      r.err,
      `error: table "tbl_machine" does not exist in database "${db.name}" at ${DB_HOST}:${DB_PORT}: create the tables with "sched db push" or map your table names with --mapping\n`,
    );
  });

  it('a slow query is stopped after --query-timeout, naming the table', async () => {
    const t = await createTestDb();
    try {
      await t.sql('CREATE VIEW tbl_machine AS SELECT 1 AS id, NULL AS name, SLEEP(1) AS type, NULL AS calendar');
      const r = await runCli(['ingest', '--mysql', t.url, '--out', join(tmp.dir, 'o.json'), '--query-timeout', '0.2']);
      assert.equal(r.code, 7);
      assert.equal(r.err, 'error: a query on table "tbl_machine" took longer than 0.2 s and was stopped\n');
    } finally {
      await t.drop();
    }
  });

  it('credentials never appear in output or logs, even on success', async () => {
    const url = `mysql://${user}:${password}@${DB_HOST}:${DB_PORT}/${db.name}`;
    const log = join(tmp.dir, 'ok.log');
    const push = await runCli(['db', 'push', '--snapshot', writeJson(tmp.dir, 'hand.json', HAND_MADE), '--mysql', url, '--log', log]);
    assert.equal(push.code, 0, push.err);
    const ingest = await runCli(['ingest', '--mysql', url, '--out', join(tmp.dir, 'o.json'), '--log', log]);
    assert.equal(ingest.code, 0, ingest.err);
    const again = await runCli(['db', 'push', '--snapshot', join(tmp.dir, 'hand.json'), '--mysql', url, '--log', log]);
    assert.equal(again.code, 7); // refused: rows exist
    const logText = readFileSync(log, 'utf8');
    assert.match(logText, new RegExp(`mysql://${user}:\\*\\*\\*@${DB_HOST.replace(/\./g, '\\.')}`), 'the log names the redacted URL');
    assert.match(ingest.out, new RegExp(`from mysql://${user}:\\*\\*\\*@`));
    const written = readFileSync(join(tmp.dir, 'o.json'), 'utf8');
    for (const text of [push.out, push.err, ingest.out, ingest.err, again.out, again.err, logText, written]) {
      assert.ok(!text.includes(password), `password leaked into: ${text.slice(0, 200)}`);
    }
  });

  it('a URL that is not a database URL is refused without echoing its password', async () => {
    const r = await runCli(['ingest', '--mysql', `postgres://u:${password}@h/db`, '--out', join(tmp.dir, 'o.json')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /the scheme must be mysql:\/\/ or mariadb:\/\//);
    assert.ok(!r.err.includes(password));
  });
});
