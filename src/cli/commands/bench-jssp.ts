import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { BASELINE_NAMES } from '../../baselines/index.js';
import { loadSnapshotFile, parseSnapshot } from '../../data/snapshots/load.js';
import { taillardSelection, taillardSnapshot } from '../../data/snapshots/taillard.js';
import { SchedError } from '../../errors.js';
import { benchGaps, formatGaps } from '../../evaluation/jssp-bench.js';
import { loadModel } from '../../evaluation/model-policy.js';
import { BACKEND_CHOICES } from '../../ppo/backend.js';
import { DEFAULT_PLACEMENT, PLACEMENTS, type Placement } from '../../env/config.js';
import type { CliIO } from '../context.js';
import { backendOption, positiveOption, seedOption } from '../options.js';

interface Flags {
  model?: string;
  instances: string;
  snapshot?: string[];
  rules?: string;
  backend: string;
  samples?: string;
  seed: string;
  placement: Placement;
  json?: boolean;
}

/** `sched bench jssp`: makespan gaps to best-known values on Taillard's job shops (docs/jobshop.md). */
export function registerBenchJssp(bench: Command, io: CliIO): void {
  bench
    .command('jssp')
    .description("job-shop benchmark: makespan gap to the best-known value per instance and its mean (Taillard's ta01-ta10 by default), for a trained model and the dispatching rules")
    .option('--model <dir>', 'trained model folder (checkpoints/<stage>/best); without it only the rules run')
    .option('--instances <list>', "Taillard instances, generated from his seeds: names and ranges such as ta01..ta10,ta03 or all", 'ta01..ta10')
    .option('--snapshot <file...>', 'job-shop snapshot files carrying meta.bestKnownMakespan, instead of --instances')
    .option('--rules <list>', `comma-separated dispatching rules, or none (default: all of ${BASELINE_NAMES.join(',')})`)
    .option('--samples <n>', 'with --model: add ppo_best<N> (N sampled rollouts + the deterministic one) and <rule>_best<N> (the best rule randomized N times + its plain run)')
    .option('--seed <n>', 'seed of the sampled and randomized runs (with --samples)', '0')
    .addOption(new Option('--placement <mode>', 'append (after each machine\'s last task) or fill_gaps (into an earlier idle gap that holds the task: active schedules); a model runs best with the placement it was trained with').choices([...PLACEMENTS]).default(DEFAULT_PLACEMENT))
    .option('--backend <name>', `TensorFlow.js backend for the model: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .option('--json', 'print {instances, rows: [{policy, makespans, gaps, mean_gap, schedule_ms}]} as JSON')
    .action(async (f: Flags) => {
      const backend = backendOption(f.backend);
      const rules = f.rules === undefined ? [...BASELINE_NAMES] : f.rules.trim().toLowerCase() === 'none' ? [] : f.rules.split(',').map((r) => r.trim().toLowerCase()).filter((r) => r !== '');
      if (rules.length === 0 && f.model === undefined) throw new SchedError('USAGE', 'nothing to benchmark: give --model DIR, or rules other than none');
      const samples = f.samples === undefined ? undefined : positiveOption('--samples', f.samples, true);
      const seed = seedOption('--seed', f.seed);
      const instances =
        f.snapshot !== undefined
          ? f.snapshot.map((p) => loadSnapshotFile(resolve(io.cwd, p)))
          : taillardSelection(f.instances).map((t) => parseSnapshot(taillardSnapshot(t), t.name));
      const model = f.model !== undefined ? await loadModel(resolve(io.cwd, f.model), backend) : undefined;
      try {
        const result = benchGaps(instances, { ...(model ? { model } : {}), rules, ...(samples !== undefined ? { samples } : {}), seed, placement: f.placement });
        io.out(f.json ? JSON.stringify(result, null, 2) : formatGaps(result));
      } finally {
        model?.learner.dispose();
      }
    });
}
