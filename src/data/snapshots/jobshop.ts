import { Rng } from '../../util/rng.js';
import type { SnapshotFile } from './schema.js';

/**
 * Random job shops in Taillard's manner (EJOR 64(2), 1993): n jobs, m machines, every job
 * visits every machine exactly once in its own random order, processing times uniform
 * integers in 1..99, objective makespan. Drawn with the project's `Rng`, so the same profile
 * and seed give the same bytes (`taillard.ts` reproduces Taillard's own instances instead).
 * Machines are `M0..M{m-1}` (each its own type), job i is `J{i}` with operations `J{i}.{k}`,
 * exactly as `sched snapshots import --format taillard` names them.
 */
export interface JobShopProfile {
  kind: 'jobshop';
  name: string;
  description: string;
  jobs: number;
  machines: number;
  /** Processing times: uniform integers in [min, max]. */
  duration: { min: number; max: number };
  /** Generated training instances of a curriculum stage (each episode draws one of them). */
  trainPool: number;
}

export const JOBSHOP_GENERATOR = 'sched-jobshop';

function jobShop(jobs: number, machines: number): JobShopProfile {
  return {
    kind: 'jobshop',
    name: `jssp_${jobs}x${machines}`,
    description: `job shop, ${jobs} jobs x ${machines} machines, Taillard's manner (times 1..99, random machine orders), makespan`,
    jobs,
    machines,
    duration: { min: 1, max: 99 },
    trainPool: 512,
  };
}

/** The job-shop profiles, smallest first (the sizes of L2D's and Taillard's benchmarks). */
export const JOBSHOP_PROFILES: readonly JobShopProfile[] = [
  jobShop(6, 6),
  jobShop(10, 10),
  jobShop(15, 10),
  jobShop(15, 15),
  jobShop(20, 15),
  jobShop(20, 20),
];

/** One job-shop snapshot from n x m tables: `times[i][k]` on machine `order[i][k]` (0-based). */
export function jobShopSnapshot(name: string, times: readonly (readonly number[])[], order: readonly (readonly number[])[], meta: Record<string, unknown>): SnapshotFile {
  const m = order.length > 0 ? order[0].length : 0;
  return {
    version: 1,
    name,
    objective: 'makespan',
    machines: Array.from({ length: m }, (_, k) => ({ id: `M${k}`, type: `M${k}` })),
    calendars: {},
    jobs: times.map((row, i) => ({
      id: `J${i + 1}`,
      release: 0,
      important: false,
      tasks: row.map((d, k) => ({ id: `J${i + 1}.${k + 1}`, seq: k + 1, duration: d, machines: [`M${order[i][k]}`] })),
    })),
    meta: { jobs: times.length, machines: m, ...meta },
  };
}

/** Draws one instance: all processing times job by job, then each job's machine order (Fisher-Yates). */
export function generateJobShop(p: JobShopProfile, seed: number, name = p.name): SnapshotFile {
  const rng = new Rng(seed);
  const times = Array.from({ length: p.jobs }, () => Array.from({ length: p.machines }, () => rng.intBetween(p.duration.min, p.duration.max)));
  const order = Array.from({ length: p.jobs }, () => {
    const perm = Array.from({ length: p.machines }, (_, k) => k);
    for (let k = p.machines - 1; k > 0; k--) {
      const r = rng.int(k + 1);
      [perm[k], perm[r]] = [perm[r], perm[k]];
    }
    return perm;
  });
  return jobShopSnapshot(name, times, order, { generator: JOBSHOP_GENERATOR, profile: p.name, seed });
}
