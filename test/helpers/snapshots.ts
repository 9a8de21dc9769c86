import { parseSnapshot } from '../../src/data/snapshots/load.js';
import { generateSnapshot } from '../../src/data/snapshots/generator.js';
import { getProfile } from '../../src/data/snapshots/profiles.js';
import type { Snapshot } from '../../src/data/snapshots/schema.js';
import type { Simulator } from '../../src/env/simulator.js';

/** A hand-made snapshot from a partial file object (machines default to M1..Mn of type "t"). */
export function snap(file: Record<string, unknown>): Snapshot {
  return parseSnapshot({ name: 'hand', machines: [{ id: 'M1', type: 't' }], ...file });
}

/** One generated instance of a stage profile (the data generator). */
export function stage(name: string, seed = 1): Snapshot {
  return parseSnapshot(generateSnapshot(getProfile(name), seed), name);
}

/** Position of job `id`'s candidate in env e's order, or -1 when it has none. */
export function positionOf(sim: Simulator, e: number, id: string): number {
  const inst = sim.instances[sim.instOf[e]];
  const j = inst.jobIds.indexOf(id);
  for (let p = 0; p < sim.orderLen[e]; p++) if (sim.order[e * sim.J + p] === j) return p;
  return -1;
}

/** A chooser that places jobs in the given order of ids (each id once per task). */
export function byJobs(ids: string[]): (sim: Simulator, e: number) => number {
  let i = 0;
  return (sim, e) => positionOf(sim, e, ids[i++]);
}
