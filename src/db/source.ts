import { resolve } from 'node:path';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Snapshot } from '../data/snapshots/schema.js';
import { formatPath } from '../data/snapshots/load.js';
import { SchedError } from '../errors.js';
import { loadMappingFile, resolveMapping, MappingSchema } from './mapping.js';
import { ingestDatabase, type IngestReport } from './ingest.js';

/**
 * A database as the data of a curriculum stage (or any place that takes a snapshot):
 * `{ mysql: URL, mapping?: <mapping object or path to a mapping file>, start?: ISO }`.
 * A URL of the form `env:NAME` is read from the environment variable NAME, so a config file
 * need not hold a password.
 */
export const DatabaseSourceSchema = z
  .object({
    mysql: z.string().min(1),
    mapping: z.union([z.string().min(1), MappingSchema]).optional(),
    start: z.string().optional(),
    name: z.string().optional(),
    skipInvalid: z.boolean().default(false),
    connectTimeoutSeconds: z.number().positive().optional(),
    queryTimeoutSeconds: z.number().positive().optional(),
  })
  .strict();

export type DatabaseSource = z.input<typeof DatabaseSourceSchema>;

export interface DatabaseSourceOptions {
  /** Folder that a relative mapping path is resolved against (the config file's folder). */
  baseDir?: string;
  logger?: Logger;
  /** Receives the ingest report (bad rows skipped, rows read). */
  onReport?: (r: IngestReport) => void;
}

/** Resolves `env:NAME` URLs. */
export function sourceUrl(mysql: string): string {
  if (!mysql.startsWith('env:')) return mysql;
  const name = mysql.slice(4);
  const v = process.env[name];
  if (!v) throw new SchedError('CONFIG', `environment variable ${name} (named by mysql: "env:${name}") is not set`);
  return v;
}

/** Reads a database source into a validated snapshot. */
export async function loadSnapshotFromDatabase(source: DatabaseSource, opts: DatabaseSourceOptions = {}): Promise<Snapshot> {
  const parsed = DatabaseSourceSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new SchedError('CONFIG', `the database source is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
  }
  const s = parsed.data;
  const mapping =
    s.mapping === undefined
      ? resolveMapping({})
      : typeof s.mapping === 'string'
        ? loadMappingFile(resolve(opts.baseDir ?? process.cwd(), s.mapping))
        : resolveMapping(s.mapping, 'mapping of the database source');
  const { snapshot, report } = await ingestDatabase(sourceUrl(s.mysql), {
    mapping,
    start: s.start,
    name: s.name,
    skipInvalid: s.skipInvalid,
    timeouts: { connectSeconds: s.connectTimeoutSeconds, querySeconds: s.queryTimeoutSeconds },
    logger: opts.logger,
  });
  opts.onReport?.(report);
  return snapshot;
}
