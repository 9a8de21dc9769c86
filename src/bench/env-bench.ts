import { parseSnapshot } from '../data/snapshots/load.js';
import { generateSnapshot } from '../data/snapshots/generator.js';
import { getProfile } from '../data/snapshots/profiles.js';
import { SchedulingVecEnv } from '../env/scheduling-vec-env.js';
import { Rng } from '../util/rng.js';

export interface EnvBenchRow {
  stage: string;
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
}

export const ENV_BENCH_STAGES = ['toy_easy', 'medium_normal', 'production_expert'] as const;

/**
 * Decisions per second of `SchedulingVecEnv` with uniformly random masked actions, on one
 * generated instance per stage (training variation on, observation building included).
 */
export function benchEnv(opts: EnvBenchOptions = {}): EnvBenchRow[] {
  const stages = opts.stages ?? ENV_BENCH_STAGES;
  const numEnvs = opts.numEnvs ?? 8;
  const seconds = opts.seconds ?? 5;
  const repeats = Math.max(1, opts.repeats ?? 5);
  const seed = opts.seed ?? 1;
  return stages.map((stage) => {
    const snapshot = parseSnapshot(generateSnapshot(getProfile(stage), seed), stage);
    const env = new SchedulingVecEnv({ snapshots: snapshot, numEnvs, seed });
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
    // warm up (JIT) and size a batch to ~50 ms
    let batch = 64;
    for (;;) {
      const t0 = performance.now();
      run(batch);
      const ms = performance.now() - t0;
      if (ms > 50 || batch > 1 << 24) break;
      batch *= 2;
    }
    const cpuRates: number[] = [];
    const wallRates: number[] = [];
    const per = (seconds * 1000) / repeats;
    for (let r = 0; r < repeats; r++) {
      let steps = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let elapsed = 0;
      while (elapsed < per) {
        run(batch);
        steps += batch;
        elapsed = performance.now() - t0;
      }
      const cpu = process.cpuUsage(c0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      cpuRates.push((steps * numEnvs) / cpuSeconds);
      wallRates.push((steps * numEnvs) / (elapsed / 1000));
    }
    return {
      stage,
      jobs: snapshot.jobs.length,
      machines: snapshot.machines.length,
      decisions_per_s: Math.round(median(cpuRates)),
      wall_decisions_per_s: Math.round(median(wallRates)),
    };
  });
}

/** The median of a non-empty list (the upper one of an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
