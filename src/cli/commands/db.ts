import type { Command } from 'commander';
import { resolve } from 'node:path';
import { createLogger } from '../../log.js';
import { loadSnapshotFile } from '../../data/snapshots/load.js';
import { withDb } from '../../db/connection.js';
import { pushSnapshot } from '../../db/push.js';
import { addDbOptions, dbMapping, dbTimeouts, dbUrl, type DbCliOptions } from './ingest.js';
import type { CliIO } from '../context.js';

/** `sched db ...`: the production-database tools (`push`). */
export function registerDb(program: Command, io: CliIO): void {
  const db = program.command('db').description('production database tools (MariaDB/MySQL)');
  addDbOptions(
    db
      .command('push')
      .description('create the tables if absent and write a snapshot into them, in one transaction')
      .requiredOption('--snapshot <file>', 'snapshot JSON file to write into the database')
      .option('--replace', 'delete the rows already in those tables (inside the same transaction)'),
  ).action(async (o: DbCliOptions & { snapshot: string; replace?: boolean }) => {
    const url = dbUrl(o);
    const timeouts = dbTimeouts(o);
    const mapping = dbMapping(o, io);
    const snapshot = loadSnapshotFile(resolve(io.cwd, o.snapshot));
    const logger = createLogger({ file: o.log ? resolve(io.cwd, o.log) : undefined, terminal: io.isTTY });
    await withDb(url, timeouts, async (conn) => {
      const r = await pushSnapshot(conn, snapshot, mapping, { replace: o.replace, logger });
      for (const w of r.notWritten) io.err(`warning: ${w}`);
      const rows = Object.entries(r.rows).map(([t, n]) => `${t} ${n}`).join(', ');
      io.out(`wrote ${o.snapshot} into ${conn.target.redacted} (hour 0 = ${r.start}): ${rows}`);
    });
  });
}
