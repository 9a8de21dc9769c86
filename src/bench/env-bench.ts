import { parseSnapshot } from '../data/snapshots/load.js';
import { generateSnapshot } from '../data/snapshots/generator.js';
import { getProfile } from '../data/snapshots/profiles.js';
import type { Placement } from '../env/config.js';
import { SchedulingVecEnv } from '../env/scheduling-vec-env.js';
import { Rng } from '../util/rng.js';

export interface EnvBenchRow {
  stage: string;
  placement: Placement;
  jobs: number;
  machines: number;
  /** Decisions per second of CPU time of this process (one core; robust on a shared machine). */
  decisions_per_s: number;
  /** Decisions per second of wall-clock time (lower when other processes share the core). */
  wall_decisions_per_s: number;
}

export interface EnvBenchOptions {
  stages?: readonly string[];
  numEnvs?: number;
  /** Measured seconds per stage, split over `repeats` runs (the median is reported). */
  seconds?: number;
  repeats?: number;
  seed?: number;
  /** Placements to measure (default append); several are measured in alternating repeats. */
  placements?: readonly Placement[];
}

export const ENV_BENCH_STAGES = ['toy_easy', 'medium_normal', 'production_expert'] as const;

/**
 * Decisions per second of `SchedulingVecEnv` with uniformly random masked actions, on one
 * generated instance per stage (training variation on, observation building included). With
 * several placements, their repeats alternate, so that they share the machine's load alike.
 */
export function benchEnv(opts: EnvBenchOptions = {}): EnvBenchRow[] {
  const stages = opts.stages ?? ENV_BENCH_STAGES;
  const numEnvs = opts.numEnvs ?? 8;
  const seconds = opts.seconds ?? 5;
  const repeats = Math.max(1, opts.repeats ?? 5);
  const seed = opts.seed ?? 1;
  const placements = opts.placements ?? ['append'];
  return stages.flatMap((stage) => {
    const snapshot = parseSnapshot(generateSnapshot(getProfile(stage), seed), stage);
    const runners = placements.map((placement) => stepper(new SchedulingVecEnv({ snapshots: snapshot, numEnvs, seed, placement }), seed));
    const cpuRates = placements.map((): number[] => []);
    const wallRates = placements.map((): number[] => []);
    const per = (seconds * 1000) / repeats;
    for (let r = 0; r < repeats; r++) {
      runners.forEach((run, i) => {
        let steps = 0;
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        let elapsed = 0;
        while (elapsed < per) {
          steps += run();
          elapsed = performance.now() - t0;
        }
        const cpu = process.cpuUsage(c0);
        const cpuSeconds = (cpu.user + cpu.system) / 1e6;
        cpuRates[i].push((steps * numEnvs) / cpuSeconds);
        wallRates[i].push((steps * numEnvs) / (elapsed / 1000));
      });
    }
    return placements.map((placement, i) => ({
      stage,
      placement,
      jobs: snapshot.jobs.length,
      machines: snapshot.machines.length,
      decisions_per_s: Math.round(median(cpuRates[i])),
      wall_decisions_per_s: Math.round(median(wallRates[i])),
    }));
  });
}

/** A function stepping `env` one batch of random masked actions (~50 ms after a JIT warm-up); returns the steps. */
function stepper(env: SchedulingVecEnv, seed: number): () => number {
  const numEnvs = env.numEnvs;
  const rng = new Rng(seed);
  const actions = new Int32Array(numEnvs);
  const K = env.numActions;
  const masks = env.masks;
  const run = (steps: number) => {
    for (let i = 0; i < steps; i++) {
      for (let e = 0; e < numEnvs; e++) {
        let n = 0;
        while (n < K && masks[e * K + n] === 1) n++;
        actions[e] = rng.int(n);
      }
      env.step(actions);
    }
    env.drainEpisodes();
  };
  let batch = 64;
  for (;;) {
    const t0 = performance.now();
    run(batch);
    const ms = performance.now() - t0;
    if (ms > 50 || batch > 1 << 24) break;
    batch *= 2;
  }
  return () => {
    run(batch);
    return batch;
  };
}

/** The median of a non-empty list (the upper one of an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
