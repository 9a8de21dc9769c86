import type { Command } from 'commander';
import { isAbsolute, relative } from 'node:path';
import { BASELINE_NAMES } from '../../baselines/index.js';
import { BACKEND_CHOICES } from '../../ppo/backend.js';
import { runTests } from '../../evaluation/test-run.js';
import { formatTestTables, testRows, writeTestOutputs } from '../../evaluation/test-report.js';
import { backendOption, positiveOption, seedOption } from '../options.js';
import type { CliIO } from '../context.js';

interface TestFlags {
  stage?: string;
  all?: boolean;
  run: string;
  config?: string;
  snapshot?: string[];
  episodes?: string;
  json?: boolean;
  rules?: string;
  backend: string;
  samples?: string;
  seed: string;
}

/** `sched test`: trained models against the dispatching baselines (docs/testing.md). */
export function registerTest(program: Command, io: CliIO): void {
  program
    .command('test')
    .description("compare a run's trained model(s) with every dispatching baseline on held-out instances (or snapshot files)")
    .option('--stage <name>', 'test this stage\'s best model (default: the latest stage trained)')
    .option('--all', 'test every stage that has a best model, each on its own held-out instances')
    .option('--run <dir>', 'run folder (what sched train --out wrote)', '.')
    .option('--config <file>', "curriculum YAML (default: the run's own, from checkpoints/training_state.json)")
    .option('--snapshot <file...>', "test on these snapshot files instead of the stages' held-out instances")
    .option('--episodes <n>', "held-out instances per stage (default: the stage's eval.episodes)")
    .option('--rules <list>', `comma-separated baselines (default: all of ${BASELINE_NAMES.join(',')})`)
    .option('--backend <name>', `TensorFlow.js backend for the model: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .option('--samples <n>', 'add best-of-N rows: ppo_best<N> (N sampled rollouts + the deterministic one) and <rule>_best<N> (the best rule randomized N times + its plain run)')
    .option('--seed <n>', 'seed of the sampled and randomized runs (with --samples)', '0')
    .option('--json', 'print the result rows as JSON instead of tables')
    .addHelpText('after', '\nAlways writes <run>/reports/test_results.json, <run>/reports/test_report.md and schedules/test_<stage>_*.json (docs/testing.md).')
    .action(async (f: TestFlags) => {
      const backend = backendOption(f.backend);
      const rules = f.rules === undefined ? undefined : f.rules.split(',').map((r) => r.trim().toLowerCase()).filter((r) => r !== '');
      const run = await runTests({
        run: f.run,
        cwd: io.cwd,
        ...(f.stage !== undefined ? { stage: f.stage } : {}),
        all: f.all === true,
        ...(f.config !== undefined ? { configPath: f.config } : {}),
        ...(f.snapshot !== undefined ? { snapshots: f.snapshot } : {}),
        ...(f.episodes !== undefined ? { episodes: positiveOption('--episodes', f.episodes, true) } : {}),
        ...(rules !== undefined ? { rules } : {}),
        backend,
        ...(f.samples !== undefined ? { samples: positiveOption('--samples', f.samples, true) } : {}),
        seed: seedOption('--seed', f.seed),
      });
      const rows = testRows(run);
      const written = writeTestOutputs(run, rows);
      if (f.json) {
        io.out(JSON.stringify(rows, null, 2));
        return;
      }
      io.out(formatTestTables(run, rows));
      const show = (p: string) => {
        const r = relative(io.cwd, p);
        return r.startsWith('..') || isAbsolute(r) ? p : r;
      };
      io.out(`wrote ${written.map(show).join(', ')}`);
    });
}
