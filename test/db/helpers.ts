import { createConnection, type Connection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The MariaDB the tests use (see .ci/run): root with an empty password on 127.0.0.1:3306. */
export const DB_HOST = process.env.SCHED_TEST_DB_HOST ?? '127.0.0.1';
export const DB_PORT = Number(process.env.SCHED_TEST_DB_PORT ?? 3306);

export interface TestDb {
  name: string;
  /** mysql://root@127.0.0.1:3306/<name> */
  url: string;
  /** Runs SQL as root in this database (values as parameters). */
  sql(text: string, values?: unknown[]): Promise<unknown>;
  /** Drops every table of this database. */
  clear(): Promise<void>;
  /** Drops the database and closes the connection. */
  drop(): Promise<void>;
}

/** Creates a uniquely named database `sched_test_<pid>_<random>`; call drop() in after(). */
export async function createTestDb(): Promise<TestDb> {
  const name = `sched_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const conn: Connection = await createConnection({ host: DB_HOST, port: DB_PORT, user: 'root', password: '', multipleStatements: false });
  await conn.query(`CREATE DATABASE \`${name}\``);
  await conn.query(`USE \`${name}\``);
  return {
    name,
    url: `mysql://root@${DB_HOST}:${DB_PORT}/${name}`,
    async sql(text, values) {
      const [rows] = await conn.query(text, values);
      return rows;
    },
    async clear() {
      const [rows] = await conn.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ?', [name]);
      for (const r of rows as { t: string }[]) await conn.query(`DROP TABLE \`${r.t}\``);
    },
    async drop() {
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sched-db-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
