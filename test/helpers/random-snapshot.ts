import { parseSnapshot } from '../../src/data/snapshots/load.js';
import type { Snapshot } from '../../src/data/snapshots/schema.js';
import { Rng } from '../../src/util/rng.js';

export interface RandomSnapshotOptions {
  jobs: number;
  machines: number;
  types?: number;
  maxTasks?: number;
  multiShare?: number;
  calendars?: boolean;
  releases?: boolean;
  emptyJobShare?: number;
  objective?: 'due_dates' | 'makespan';
}

/**
 * Small random instances for tests (independent of the data generator): random routes,
 * eligible sets, multi-machine tasks, setups, releases, two calendars with breaks, a
 * weekend and holidays, a start that is not a Monday midnight.
 */
export function randomSnapshot(seed: number, o: RandomSnapshotOptions): Snapshot {
  const rng = new Rng(seed);
  const types = o.types ?? Math.max(1, Math.min(o.machines, 3));
  const machines = Array.from({ length: o.machines }, (_, i) => ({
    id: `M${i}`,
    type: `t${i % types}`,
    ...(o.calendars && i % 3 === 1 ? { calendar: 'late' } : {}),
  }));
  const calendars = o.calendars
    ? {
        default: {
          breaks: [1, 2, 3, 4, 5].flatMap((d) => [
            { weekday: d, start: 0, end: 6 },
            { weekday: d, start: 12, end: 12.5 },
            { weekday: d, start: 22, end: 24 },
          ]).concat([{ weekday: 6, start: 0, end: 24 }, { weekday: 7, start: 0, end: 24 }]),
          holidays: [{ start: 50, end: 74, name: 'h1' }],
        },
        late: { breaks: [2, 4].map((d) => ({ weekday: d, start: 9, end: 11 })), holidays: [{ start: 100, end: 130 }] },
      }
    : {};
  const jobs = Array.from({ length: o.jobs }, (_, j) => {
    const n = rng.chance(o.emptyJobShare ?? 0) ? 0 : rng.intBetween(1, o.maxTasks ?? 4);
    const tasks = Array.from({ length: n }, (_, k) => {
      const multi = o.machines >= 2 && rng.chance(o.multiShare ?? 0.15);
      const pool = Array.from({ length: o.machines }, (_, i) => `M${i}`);
      rng.shuffle(pool);
      const size = multi ? rng.intBetween(2, Math.min(3, o.machines)) : rng.intBetween(1, Math.min(3, o.machines));
      const ms = pool.slice(0, size);
      return {
        id: `J${j}.${k + 1}`,
        seq: k + 1,
        duration: Math.round(rng.uniform(0.5, 9) * 4) / 4,
        ...(multi ? { requiresAll: ms } : { machines: ms }),
        ...(!multi && rng.chance(0.2) ? { durations: ms.map(() => Math.round(rng.uniform(0.5, 9) * 4) / 4) } : {}),
        ...(rng.chance(0.3) ? { setup: Math.round(rng.uniform(0, 2) * 4) / 4 } : {}),
      };
    });
    return {
      id: `J${j}`,
      ...(o.objective === 'makespan' ? {} : { due: Math.round(rng.uniform(-10, 120)) }),
      release: o.releases ? Math.round(rng.uniform(0, 30)) : 0,
      important: rng.chance(0.25),
      tasks,
    };
  });
  return parseSnapshot({ name: `random_${seed}`, start: '2026-03-04T05:30:00Z', objective: o.objective ?? 'due_dates', machines, calendars, jobs });
}
