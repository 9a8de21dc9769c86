import { load as loadYaml } from 'js-yaml';
import { z } from 'zod';
import { SchedError } from '../errors.js';
import { formatPath } from '../data/snapshots/load.js';
import { readFileOrFail } from '../io/read.js';

/**
 * Table and column names of the production database (docs/database.md). The defaults are the
 * schema of `scripts/schema.sql`; a mapping file overrides any of them. Optional columns may be
 * mapped to `null` when the table has no such column (its default value is then used).
 * Every name is validated ([A-Za-z0-9_] only) and quoted with backticks in SQL.
 */

const IDENT = /^[A-Za-z0-9_]{1,64}$/;
const ident = z.string().regex(IDENT, 'must be 1..64 characters of [A-Za-z0-9_]');
const optionalIdent = ident.nullable();

/** Weekday numbering of the break table: ISO (1 = Monday), MySQL DAYOFWEEK (1 = Sunday), MySQL WEEKDAY (0 = Monday). */
export const WEEKDAY_CONVENTIONS = ['iso', 'dayofweek', 'weekday'] as const;
export type WeekdayConvention = (typeof WEEKDAY_CONVENTIONS)[number];

export const DEFAULT_MAPPING = {
  machines: { table: 'tbl_machine', columns: { id: 'id', name: 'name', type: 'type', calendar: 'calendar' } },
  jobs: { table: 'ai_jobs', columns: { id: 'id', due: 'due_date', release: 'release_date', important: 'important' } },
  tasks: {
    table: 'ai_tasks',
    columns: { id: 'id', job: 'job_id', sequence: 'sequence', processingTime: 'processing_time', setup: 'setup_time', requiresAll: 'requires_all' },
  },
  taskMachines: { table: 'ai_task_machines', columns: { id: 'id', task: 'task_id', machine: 'machine_id' } },
  breaks: {
    table: 'ai_breaktimes',
    weekdays: 'iso' as WeekdayConvention,
    columns: { id: 'id', calendar: 'calendar', weekday: 'weekday', start: 'start_time', end: 'end_time' },
  },
  holidays: { table: 'ai_holidays', columns: { id: 'id', calendar: 'calendar', start: 'start_date', end: 'end_date', name: 'name' } },
};

export type Mapping = {
  machines: { table: string; columns: { id: string; name: string | null; type: string; calendar: string | null } };
  jobs: { table: string; columns: { id: string; due: string; release: string | null; important: string | null } };
  tasks: {
    table: string;
    columns: { id: string; job: string; sequence: string; processingTime: string; setup: string | null; requiresAll: string | null };
  };
  taskMachines: { table: string; columns: { id: string; task: string; machine: string } };
  breaks: {
    table: string;
    weekdays: WeekdayConvention;
    columns: { id: string; calendar: string | null; weekday: string; start: string; end: string };
  };
  holidays: { table: string; columns: { id: string; calendar: string | null; start: string; end: string; name: string | null } };
};

/** The mapping as written by a user: every key optional, unknown keys refused. */
export const MappingSchema = z
  .object({
    machines: z
      .object({
        table: ident,
        columns: z.object({ id: ident, name: optionalIdent, type: ident, calendar: optionalIdent }).partial().strict(),
      })
      .partial()
      .strict(),
    jobs: z
      .object({
        table: ident,
        columns: z.object({ id: ident, due: ident, release: optionalIdent, important: optionalIdent }).partial().strict(),
      })
      .partial()
      .strict(),
    tasks: z
      .object({
        table: ident,
        columns: z
          .object({ id: ident, job: ident, sequence: ident, processingTime: ident, setup: optionalIdent, requiresAll: optionalIdent })
          .partial()
          .strict(),
      })
      .partial()
      .strict(),
    taskMachines: z
      .object({ table: ident, columns: z.object({ id: ident, task: ident, machine: ident }).partial().strict() })
      .partial()
      .strict(),
    breaks: z
      .object({
        table: ident,
        weekdays: z.enum(WEEKDAY_CONVENTIONS),
        columns: z.object({ id: ident, calendar: optionalIdent, weekday: ident, start: ident, end: ident }).partial().strict(),
      })
      .partial()
      .strict(),
    holidays: z
      .object({
        table: ident,
        columns: z.object({ id: ident, calendar: optionalIdent, start: ident, end: ident, name: optionalIdent }).partial().strict(),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type MappingInput = z.input<typeof MappingSchema>;
export type TableKey = keyof Mapping;
export const TABLE_KEYS: readonly TableKey[] = ['machines', 'jobs', 'tasks', 'taskMachines', 'breaks', 'holidays'];

/** Validates a user mapping and merges it over the defaults. `source` names it in errors. */
export function resolveMapping(input: unknown = {}, source = 'mapping'): Mapping {
  const parsed = MappingSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    const n = problems.length;
    throw new SchedError('CONFIG', `${source} is not a valid database mapping (${n} problem${n === 1 ? '' : 's'})`, problems);
  }
  const m = structuredClone(DEFAULT_MAPPING) as Mapping;
  for (const key of TABLE_KEYS) {
    const over = parsed.data[key] as { table?: string; weekdays?: WeekdayConvention; columns?: Record<string, string | null> } | undefined;
    if (!over) continue;
    const target = m[key] as { table: string; weekdays?: WeekdayConvention; columns: Record<string, string | null> };
    if (over.table !== undefined) target.table = over.table;
    if (over.weekdays !== undefined) target.weekdays = over.weekdays;
    if (over.columns) Object.assign(target.columns, over.columns);
  }
  const tables = new Map<string, string>();
  const problems: string[] = [];
  for (const key of TABLE_KEYS) {
    const prev = tables.get(m[key].table.toLowerCase());
    if (prev) problems.push(`${key}.table: "${m[key].table}" is also the table of ${prev}`);
    tables.set(m[key].table.toLowerCase(), key);
  }
  if (problems.length) throw new SchedError('CONFIG', `${source} is not a valid database mapping (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
  return m;
}

/** Reads a mapping file (YAML or JSON). */
export function loadMappingFile(path: string): Mapping {
  const text = readFileOrFail(path, 'mapping', 'utf8');
  let data: unknown;
  try {
    data = loadYaml(text);
  } catch (err) {
    const mark = (err as { mark?: { line: number; column: number } }).mark;
    const where = mark ? ` at line ${mark.line + 1} column ${mark.column + 1}` : '';
    throw new SchedError('CONFIG', `mapping ${path} is not valid YAML/JSON${where}`);
  }
  return resolveMapping(data ?? {}, `mapping ${path}`);
}

/** Backtick-quotes an identifier after checking it again (defence in depth). */
export function q(name: string): string {
  if (!IDENT.test(name)) throw new SchedError('CONFIG', `"${name}" is not a valid SQL identifier ([A-Za-z0-9_] only)`);
  return '`' + name + '`';
}
