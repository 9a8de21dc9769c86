import { Rng } from '../../util/rng.js';
import { generateSnapshot } from './generator.js';
import type { GeneratorProfile } from './profiles.js';
import type { SnapshotFile } from './schema.js';

/**
 * Edge-case snapshots (`edge_case_*`): small instances, each built to exercise one corner of
 * the simulator, the mask and the metrics. Each is a generated instance changed in one way;
 * `meta.edgeCase` says which property it has (tests check it).
 */

const BASE: GeneratorProfile = {
  name: 'edge_base',
  description: 'small base instance for the edge cases',
  jobs: 12, machines: 6, machineTypes: 3,
  tasksPerJob: [2, 5], duration: { median: 3, sigma: 0.5, min: 0.5, max: 12 }, eligible: [1, 2],
  urgentShare: 0.3, importantShare: 0.25, bottleneck: { types: 0, weight: 1 },
  multiMachine: { share: 0, size: [2, 2] }, setup: { share: 0.2, min: 0.25, max: 1 },
  releaseSpread: 8,
  due: { urgentFactor: [1.2, 1.6], urgentQueue: [0.05, 0.25], normalFactor: [1.5, 3], normalQueue: [0.3, 1] },
  calendar: null, horizon: 72,
};

type FileJob = SnapshotFile['jobs'][number];

interface EdgeCase {
  name: string;
  property: string;
  build(seed: number): SnapshotFile;
}

function base(over: Partial<GeneratorProfile>, seed: number, name: string, property: string): SnapshotFile {
  const f = generateSnapshot({ ...BASE, ...over, name }, seed, name);
  f.meta = { ...f.meta, profile: 'edge_base', edgeCase: property };
  return f;
}

/** After due dates were replaced, the generator's urgency flags no longer describe them. */
function dropUrgency(f: SnapshotFile): SnapshotFile {
  if (f.meta) delete f.meta.urgent;
  return f;
}

/** Renumbers a job's tasks `J{i}.{k}` / seq k after tasks were inserted or removed. */
function renumber(job: FileJob): void {
  job.tasks.forEach((t, k) => {
    t.id = `${job.id}.${k + 1}`;
    t.seq = k + 1;
  });
}

const jobWork = (job: FileJob) => job.tasks.reduce((s, t) => s + t.duration + (t.setup ?? 0), 0);

export const EDGE_CASES: readonly EdgeCase[] = [
  {
    name: 'edge_case_empty_job',
    property: 'job J4 has no tasks, among ordinary jobs',
    build: (seed) => {
      const f = base({}, seed, 'edge_case_empty_job', 'job J4 has no tasks, among ordinary jobs');
      f.jobs[3].tasks = [];
      return f;
    },
  },
  {
    name: 'edge_case_single_machine',
    property: 'one machine does every task',
    build: (seed) => base({ jobs: 8, machines: 1, machineTypes: 1, eligible: [1, 1], tasksPerJob: [1, 4] }, seed, 'edge_case_single_machine', 'one machine does every task'),
  },
  {
    name: 'edge_case_all_late',
    property: 'every due date is in the past (negative hours)',
    build: (seed) => {
      const f = base({}, seed, 'edge_case_all_late', 'every due date is in the past (negative hours)');
      const rng = new Rng(seed ^ 0x1a7e);
      for (const j of f.jobs) j.due = -Math.round(rng.uniform(1, 96) * 2) / 2;
      return dropUrgency(f);
    },
  },
  {
    name: 'edge_case_identical_due',
    property: 'every job has the same due date (48 h)',
    build: (seed) => {
      const f = base({}, seed, 'edge_case_identical_due', 'every job has the same due date (48 h)');
      for (const j of f.jobs) j.due = 48;
      return dropUrgency(f);
    },
  },
  {
    name: 'edge_case_hot_machine',
    property: 'every job needs machine HOT (its only eligible machine) once; HOT carries more work than the horizon',
    build: (seed) => {
      const f = base({ releaseSpread: 0 }, seed, 'edge_case_hot_machine', 'every job needs machine HOT (its only eligible machine) once; HOT carries more work than the horizon');
      const rng = new Rng(seed ^ 0x407);
      f.machines.push({ id: 'HOT', name: 'the only heat press', type: 'heat_press' });
      const horizon = BASE.horizon;
      const each = Math.ceil((horizon / f.jobs.length) * 1.25 * 4) / 4; // together > horizon: always busy
      for (const j of f.jobs) {
        const at = rng.int(j.tasks.length + 1);
        j.tasks.splice(at, 0, { id: '', seq: 0, duration: each, machines: ['HOT'] });
        renumber(j);
      }
      return f;
    },
  },
  {
    name: 'edge_case_long_tasks_holidays',
    property: 'tasks of 40-160 h on a weekday calendar with holidays they must span',
    build: (seed) => {
      const f = base(
        {
          jobs: 8, tasksPerJob: [1, 3], duration: { median: 80, sigma: 0.5, min: 40, max: 160 }, setup: { share: 0, min: 0, max: 0 },
          calendar: { shifts: 2, pauses: 1, weekendOff: true, holidays: 4, continuousShare: 0 }, horizon: 1344,
          due: { urgentFactor: [1.1, 1.3], urgentQueue: [0, 0.1], normalFactor: [1.3, 2], normalQueue: [0.1, 0.4] },
        },
        seed, 'edge_case_long_tasks_holidays', 'tasks of 40-160 h on a weekday calendar with holidays they must span',
      );
      // holidays early in the horizon, so long tasks started at once run into them
      const holidays = f.calendars!.default.holidays!;
      [1, 2, 9, 15].forEach((d, i) => (holidays[i] = { start: d * 24, end: d * 24 + 24, name: `holiday ${i + 1}` }));
      return f;
    },
  },
  {
    name: 'edge_case_multi_only',
    property: 'every task needs two or three machines at once',
    build: (seed) => base({ machines: 8, multiMachine: { share: 1, size: [2, 3] } }, seed, 'edge_case_multi_only', 'every task needs two or three machines at once'),
  },
  {
    name: 'edge_case_makespan',
    property: 'no due dates: the objective is makespan',
    build: (seed) => {
      const f = base({}, seed, 'edge_case_makespan', 'no due dates: the objective is makespan');
      f.objective = 'makespan';
      for (const j of f.jobs) delete j.due;
      return dropUrgency(f);
    },
  },
  {
    name: 'edge_case_zero_slack',
    property: 'every due date equals release + own work: on time only if never delayed',
    build: (seed) => {
      const f = base({}, seed, 'edge_case_zero_slack', 'every due date equals release + own work: on time only if never delayed');
      for (const j of f.jobs) j.due = (j.release as number) + jobWork(j);
      return dropUrgency(f);
    },
  },
];

/** Every edge-case snapshot, in a fixed order. */
export function edgeCases(seed: number): SnapshotFile[] {
  return EDGE_CASES.map((e, i) => e.build(seed + i));
}
