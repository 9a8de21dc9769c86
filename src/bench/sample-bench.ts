import type { Snapshot } from '../data/snapshots/schema.js';
import { runBaseline } from '../baselines/index.js';
import { runSlotPolicy, type EpisodeResult } from '../env/episode.js';
import { sampleModel, sampleRule } from '../evaluation/sampling.js';
import type { LoadedModel } from '../evaluation/model-policy.js';
import { median } from './env-bench.js';

export interface SampleBenchRow {
  /** `ppo` (the model) or the rule's name. */
  policy: string;
  /** Randomized runs besides the plain one; 0 = the plain one-pass schedule alone. */
  samples: number;
  /** Median wall-clock milliseconds to build one schedule (all runs of a best-of-N). */
  wall_ms: number;
  /** Median CPU milliseconds of this process for it (robust on a shared machine). */
  cpu_ms: number;
  on_time_rate: number;
  mean_days_late: number;
  repeats: number;
}

export interface SampleBenchOptions {
  /** Sample counts to time; 0 = the plain schedule (default 0, 1, 16, 64). */
  samples?: readonly number[];
  /** The rule given the same budget (default atc); null: the model only. */
  rule?: string | null;
  /** The randomized rule's epsilon (default RANDOMIZED_EPSILON). */
  epsilon?: number;
  repeats?: number;
  seed?: number;
}

/**
 * Time to build one schedule of `snapshot` with decode-time sampling (the model, if given: N
 * sampled rollouts + the deterministic one, one forward pass per decision) and with the
 * randomized rule's best of N, for each N. Medians of `repeats`; the N values and the two policies
 * alternate within each repeat, so a change of machine load touches them alike.
 */
export function benchSampling(snapshot: Snapshot, model: LoadedModel | null, opts: SampleBenchOptions = {}): SampleBenchRow[] {
  const counts = opts.samples ?? [0, 1, 16, 64];
  const rule = opts.rule === undefined ? 'atc' : opts.rule;
  const repeats = Math.max(1, opts.repeats ?? 3);
  const seed = opts.seed ?? 0;
  const jobs: { policy: string; samples: number; run: () => EpisodeResult }[] = [];
  for (const n of counts) {
    if (model !== null) jobs.push({ policy: 'ppo', samples: n, run: () => (n === 0 ? runSlotPolicy(snapshot, model.policy, 'ppo', { slots: model.slots }) : sampleModel(snapshot, model.learner, { samples: n, seed })) });
    if (rule !== null) jobs.push({ policy: rule, samples: n, run: () => (n === 0 ? runBaseline(snapshot, rule) : sampleRule(snapshot, rule, { samples: n, seed, epsilon: opts.epsilon })) });
  }
  const wall = jobs.map(() => [] as number[]);
  const cpu = jobs.map(() => [] as number[]);
  const results: EpisodeResult[] = [];
  for (let r = 0; r < repeats; r++) {
    jobs.forEach((job, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      results[i] = job.run();
      wall[i].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[i].push((c.user + c.system) / 1000);
    });
  }
  return jobs.map((job, i) => ({
    policy: job.policy,
    samples: job.samples,
    wall_ms: median(wall[i]),
    cpu_ms: median(cpu[i]),
    on_time_rate: results[i].schedule.metrics.on_time_rate,
    mean_days_late: results[i].schedule.metrics.mean_days_late,
    repeats,
  }));
}
