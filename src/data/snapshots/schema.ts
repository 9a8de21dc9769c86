import { z } from 'zod';

/**
 * The snapshot file format (version 1): a factory's state at one moment. Documented in
 * docs/snapshots.md. Times are hours from the snapshot's start (`start`, an ISO date-time;
 * hour 0 is its first instant). Where a time is given as an ISO string it is converted to
 * hours at load, which requires `start`.
 */

const hours = z.union([z.number(), z.string()]);

export const BreakSchema = z.object({
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: z.number().int().min(1).max(7),
  /** Hour of the day, 0..24, start < end. */
  start: z.number().min(0).max(24),
  end: z.number().min(0).max(24),
});

export const HolidaySchema = z.object({
  /** Hours from the snapshot start, or ISO date/date-time strings. */
  start: hours,
  end: hours,
  name: z.string().optional(),
});

export const CalendarSchema = z.object({
  breaks: z.array(BreakSchema).default([]),
  holidays: z.array(HolidaySchema).default([]),
});

export const MachineSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  type: z.string().min(1),
  /** Name of an entry in `calendars`; machines without one use `calendars.default` if present. */
  calendar: z.string().optional(),
});

export const TaskSchema = z.object({
  id: z.string().min(1),
  /** Position in the job; strictly increasing within a job. */
  seq: z.number().int(),
  /** Processing time in hours, > 0. */
  duration: z.number(),
  /** Eligible machines: the task runs on any one of them. */
  machines: z.array(z.string()).optional(),
  /**
   * Machine-dependent processing times (flexible job shops): `durations[i]` hours on
   * `machines[i]`, overriding `duration` there. Only with `machines`, same length.
   */
  durations: z.array(z.number()).optional(),
  /** Multi-machine task: it needs all of these machines at once. */
  requiresAll: z.array(z.string()).optional(),
  /** Setup time in hours before processing, on the same machine(s). */
  setup: z.number().optional(),
});

export const JobSchema = z.object({
  id: z.string().min(1),
  due: hours.optional(),
  release: hours.optional(),
  important: z.boolean().default(false),
  tasks: z.array(TaskSchema),
});

export const SnapshotFileSchema = z.object({
  version: z.literal(1).default(1),
  name: z.string().default('snapshot'),
  /** ISO date-time of hour 0. Its weekday anchors break times; default Monday 00:00 UTC. */
  start: z.string().optional(),
  /** `due_dates` (default) or `makespan` (pure job-shop instances with no due dates). */
  objective: z.enum(['due_dates', 'makespan']).default('due_dates'),
  machines: z.array(MachineSchema),
  calendars: z.record(z.string(), CalendarSchema).default({}),
  jobs: z.array(JobSchema),
  meta: z.record(z.string(), z.unknown()).optional(),
});

export type SnapshotFile = z.input<typeof SnapshotFileSchema>;

/** A validated snapshot with every time in hours (the in-memory form every part uses). */
export interface Snapshot {
  version: 1;
  name: string;
  start?: string;
  /** ISO weekday (1..7) of hour 0. */
  startWeekday: number;
  /** Hour of day at hour 0 (0..24). */
  startHourOfDay: number;
  objective: 'due_dates' | 'makespan';
  machines: Machine[];
  calendars: Record<string, Calendar>;
  jobs: Job[];
  meta?: Record<string, unknown>;
}

export interface Machine {
  id: string;
  name?: string;
  type: string;
  calendar?: string;
}

export interface Calendar {
  breaks: { weekday: number; start: number; end: number }[];
  holidays: { start: number; end: number; name?: string }[];
}

export interface Task {
  id: string;
  seq: number;
  duration: number;
  /** Any one of these machines (empty when `requiresAll` is set). */
  machines: string[];
  /** Per-machine processing times parallel to `machines` (flexible job shops); absent: `duration` everywhere. */
  durations?: number[];
  /** All of these machines at once (empty for ordinary tasks). */
  requiresAll: string[];
  setup: number;
}

export interface Job {
  id: string;
  /** Due time in hours, or null when the snapshot has no due dates. */
  due: number | null;
  release: number;
  important: boolean;
  tasks: Task[];
}
