import { createPool, type Pool, type PoolConnection } from 'mysql2/promise';
import { SchedError } from '../errors.js';

/**
 * Connections to MariaDB/MySQL: URL parsing, password redaction, a small mysql2 pool with
 * connect and query timeouts, and the translation of driver errors into one sentence each.
 * The password never leaves this module except inside the pool options.
 */

export interface DbTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** The URL with its password replaced by `***`: the only form that may be printed or logged. */
  redacted: string;
}

export interface DbTimeouts {
  /** Seconds to establish a connection (default 10). */
  connectSeconds?: number;
  /** Seconds per query (default 60). */
  querySeconds?: number;
}

/** `mysql://user:secret@host:3306/db` -> `mysql://user:***@host:3306/db`; any scheme, and in any text that holds URLs. */
export function redactUrl(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^\s/]*)@/gi, '$1:***@');
}

/** Parses `mysql://user[:password]@host[:port]/database` (also `mariadb://`). */
export function parseDbUrl(url: string): DbTarget {
  const shown = redactUrl(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SchedError('USAGE', `"${shown}" is not a database URL; expected mysql://user:password@host:port/database`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new SchedError('USAGE', `"${shown}" is not a database URL: the scheme must be mysql:// or mariadb://`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new SchedError('USAGE', `database URL "${shown}" names no database; expected mysql://user:password@host:port/database`);
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  return {
    host,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    database,
    redacted: shown,
  };
}

/** Removes the password (and any URL holding it) from a text before it is shown. */
export function scrub(text: string, target: DbTarget): string {
  let out = redactUrl(text);
  if (target.password.length >= 3) out = out.split(target.password).join('***');
  return out;
}

export interface Db {
  target: DbTarget;
  pool: Pool;
  querySeconds: number;
  /** Runs a query (values always as parameters); driver errors become SchedError('DB'). `table` names the table in errors. */
  query<T = Record<string, unknown>>(sql: string, values?: unknown[], table?: string): Promise<T[]>;
  /** Runs `fn` in one transaction on one connection; rolled back if it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface Tx {
  query<T = Record<string, unknown>>(sql: string, values?: unknown[], table?: string): Promise<T[]>;
}

/** Opens a pool and checks that a connection can be made (so connection errors surface here). */
export async function openDb(url: string, timeouts: DbTimeouts = {}): Promise<Db> {
  const target = parseDbUrl(url);
  const querySeconds = timeouts.querySeconds ?? 60;
  const pool = createPool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    connectionLimit: 4,
    connectTimeout: Math.round((timeouts.connectSeconds ?? 10) * 1000),
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
    multipleStatements: false,
  });
  // a pool emits errors of idle connections; they are reported by the next query instead
  pool.on('connection', (c) => c.on('error', () => undefined));

  const run = async <T>(conn: Pool | PoolConnection, sql: string, values: unknown[] | undefined, table?: string): Promise<T[]> => {
    try {
      const [rows] = await conn.query({ sql, values, timeout: querySeconds * 1000 });
      return rows as T[];
    } catch (err) {
      throw translateDbError(err, target, { table, querySeconds });
    }
  };

  const db: Db = {
    target,
    pool,
    querySeconds,
    query: (sql, values, table) => run(pool, sql, values, table),
    async transaction(fn) {
      let conn: PoolConnection;
      try {
        conn = await pool.getConnection();
      } catch (err) {
        throw translateDbError(err, target, { querySeconds });
      }
      try {
        await run(conn, 'START TRANSACTION', undefined);
        const result = await fn({ query: (sql, values, table) => run(conn, sql, values, table) });
        await run(conn, 'COMMIT', undefined);
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    },
    async close() {
      await pool.end().catch(() => undefined);
    },
  };
  try {
    const conn = await pool.getConnection();
    conn.release();
  } catch (err) {
    await db.close();
    throw translateDbError(err, target, { querySeconds });
  }
  return db;
}

/** Opens, runs `fn`, and always closes the pool (so the process never hangs on an open socket). */
export async function withDb<T>(url: string, timeouts: DbTimeouts, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(url, timeouts);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

interface DriverError {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  message?: string;
}

/** One sentence per kind of failure; never the password. */
export function translateDbError(err: unknown, target: DbTarget, ctx: { table?: string; querySeconds?: number } = {}): SchedError {
  if (err instanceof SchedError) return err;
  const e = (err ?? {}) as DriverError;
  const at = `${target.host}:${target.port}`;
  const db = target.database;
  const sqlMessage = scrub(e.sqlMessage ?? e.message ?? String(err), target);
  let msg: string;
  switch (e.code) {
    case 'ECONNREFUSED':
      msg = `cannot connect to MariaDB/MySQL at ${at}: connection refused (is the server running on that host and port?)`;
      break;
    case 'ETIMEDOUT':
      msg = `cannot connect to MariaDB/MySQL at ${at}: no answer within the connect timeout`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      msg = `cannot connect to MariaDB/MySQL: host "${target.host}" not found`;
      break;
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      msg =
        e.code === 'ER_DBACCESS_DENIED_ERROR'
          ? `access denied for user "${target.user}" to database "${db}" at ${at}`
          : `access denied for user "${target.user}" at ${at}: wrong password or unknown user`;
      break;
    case 'ER_BAD_DB_ERROR':
      msg = `unknown database "${db}" at ${at}`;
      break;
    case 'ER_NO_SUCH_TABLE': {
      const table = ctx.table ?? /\.(\w+)' doesn't exist/.exec(sqlMessage)?.[1] ?? 'a table';
      msg = `table "${table}" does not exist in database "${db}" at ${at}: create the tables with "sched db push" or map your table names with --mapping`;
      break;
    }
    case 'ER_BAD_FIELD_ERROR': {
      const col = /Unknown column '([^']+)'/.exec(sqlMessage)?.[1] ?? '?';
      msg = `column "${col}" does not exist in table "${ctx.table ?? '?'}" of database "${db}": map your column names with --mapping`;
      break;
    }
    case 'PROTOCOL_SEQUENCE_TIMEOUT':
      msg = `a query on ${ctx.table ? `table "${ctx.table}"` : `database "${db}"`} took longer than ${ctx.querySeconds ?? 60} s and was stopped`;
      break;
    case 'PROTOCOL_CONNECTION_LOST':
    case 'ECONNRESET':
      msg = `the connection to MariaDB/MySQL at ${at} was lost`;
      break;
    default:
      msg = `database error at ${at}, database "${db}"${ctx.table ? `, table "${ctx.table}"` : ''}: ${sqlMessage}`;
  }
  return new SchedError('DB', scrub(msg, target), [], { cause: err });
}
