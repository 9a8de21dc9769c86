import { z } from 'zod';
import { SchedError } from '../errors.js';
import { formatPath } from '../data/snapshots/load.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { ScheduleAssignmentSchema, type ScheduleAssignment } from '../env/schedule-export.js';
import { parseJsonOrFail, readFileOrFail } from '../io/read.js';

/** What `sched check` needs of a schedule file; every other field of the export is optional. */
export interface ScheduleFile {
  snapshot: string;
  policy: string | null;
  assignments: ScheduleAssignment[];
  metrics: Record<string, unknown> | null;
}

const ScheduleFileSchema = z.looseObject({
  snapshot: z.string(),
  policy: z.string().optional(),
  assignments: z.array(ScheduleAssignmentSchema),
  metrics: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Reads a schedule file (docs/environment.md, "Schedule export") for `snapshot`. A file that is
 * not JSON, lacks a field, belongs to another snapshot or names a job, task or machine the
 * snapshot does not have is one sentence naming the place (SchedError 'DATA', exit 4; every
 * such place in the details); nothing is judged then.
 */
export function readScheduleFile(path: string, snapshot: Snapshot, snapshotPath: string): ScheduleFile {
  const json = parseJsonOrFail(readFileOrFail(path, 'schedule', 'utf8'), path, 'DATA');
  const parsed = ScheduleFileSchema.safeParse(json);
  if (!parsed.success) {
    const missing = /^Invalid input: expected (\w+), received undefined$/;
    throw placed(path, 'is not a schedule file', parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message.replace(missing, 'missing (expected $1)')}`));
  }
  const f = parsed.data;
  if (f.snapshot !== snapshot.name) {
    throw new SchedError('DATA', `${path} is a schedule of snapshot "${f.snapshot}", not of "${snapshot.name}" (${snapshotPath})`);
  }
  const jobs = new Set(snapshot.jobs.map((j) => j.id));
  const tasks = new Set(snapshot.jobs.flatMap((j) => j.tasks.map((t) => t.id)));
  const machines = new Set(snapshot.machines.map((m) => m.id));
  const unknown: string[] = [];
  f.assignments.forEach((a, i) => {
    if (!jobs.has(a.job)) unknown.push(`assignments[${i}].job: unknown job "${a.job}"`);
    if (!tasks.has(a.task)) unknown.push(`assignments[${i}].task: unknown task "${a.task}"`);
    a.machines.forEach((m, k) => {
      if (!machines.has(m)) unknown.push(`assignments[${i}].machines[${k}]: unknown machine "${m}"`);
    });
  });
  if (unknown.length > 0) throw placed(path, `does not fit snapshot ${snapshot.name} (${snapshotPath})`, unknown);
  return { snapshot: f.snapshot, policy: f.policy ?? null, assignments: f.assignments, metrics: f.metrics ?? null };
}

/** One sentence naming the first place; every place in the details when there are several. */
function placed(path: string, what: string, places: string[]): SchedError {
  const more = places.length > 1 ? ` (and ${places.length - 1} more, listed below)` : '';
  return new SchedError('DATA', `${path} ${what}: ${places[0]}${more}`, places.length > 1 ? places : []);
}
