import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { BASELINE_NAMES, runBaseline } from '../../baselines/index.js';
import { loadSnapshotFile } from '../../data/snapshots/load.js';
import { runSlotPolicy, type EpisodeResult, type SlotPolicy } from '../../env/episode.js';
import { SchedError } from '../../errors.js';
import { writeJsonAtomic } from '../../io/atomic.js';
import type { CliIO } from '../context.js';

/** A trained model as the environment sees it: a policy over K slots. */
export interface LoadedModel {
  policy: SlotPolicy;
  /** K the model was trained with (its observation size follows from it). */
  slots: number;
}

/**
 * Where `--model DIR` plugs in. The trainer replaces this with a loader that reads the
 * checkpoint bundle (model + normalization statistics) and returns a masked greedy policy.
 */
export let loadModelPolicy = async (dir: string): Promise<LoadedModel> => {
  throw new SchedError(
    'USAGE',
    `--model ${dir} needs a trained model, and this build cannot load trained models yet; use --rule NAME (${BASELINE_NAMES.join(', ')})`,
  );
};

/** Lets the trainer module install its checkpoint loader. */
export function setModelLoader(loader: (dir: string) => Promise<LoadedModel>): void {
  loadModelPolicy = loader;
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new SchedError('USAGE', `--seed must be a whole number 0..4294967295, got "${v}"`);
  return Number(v);
}

export function registerSchedule(program: Command, io: CliIO): void {
  program
    .command('schedule')
    .description('build one full schedule of a snapshot with a dispatching rule (or a trained model) and write it as JSON')
    .requiredOption('--snapshot <file>', 'snapshot JSON file')
    .option('--rule <name>', `dispatching rule: ${BASELINE_NAMES.join(', ')}`)
    .option('--model <dir>', 'trained model folder (checkpoints/<stage>/best)')
    .requiredOption('--out <file>', 'schedule JSON to write (atomically)')
    .option('--seed <n>', 'seed of the random rule', '0')
    .addOption(new Option('--calendar <mode>', 'how tasks meet breaks: stretch (pause and resume) or no_split (wait for a window)').choices(['stretch', 'no_split']).default('stretch'))
    .addHelpText('after', '\nThe JSON format is described in docs/environment.md ("Schedule export").')
    .action(async (opts: { snapshot: string; rule?: string; model?: string; out: string; seed: string; calendar: 'stretch' | 'no_split' }) => {
      if ((opts.rule === undefined) === (opts.model === undefined)) {
        throw new SchedError('USAGE', 'give exactly one of --rule NAME or --model DIR');
      }
      const seed = parseSeed(opts.seed);
      const snapshot = loadSnapshotFile(resolve(io.cwd, opts.snapshot));
      let result: EpisodeResult;
      if (opts.model !== undefined) {
        const model = await loadModelPolicy(resolve(io.cwd, opts.model));
        result = runSlotPolicy(snapshot, model.policy, 'ppo', { seed, slots: model.slots, calendarMode: opts.calendar });
      } else {
        result = runBaseline(snapshot, opts.rule!, { seed, calendarMode: opts.calendar });
      }
      writeJsonAtomic(resolve(io.cwd, opts.out), result.schedule);
      const m = result.schedule.metrics;
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      io.out(
        `wrote ${opts.out}: ${result.schedule.policy} on ${snapshot.name}, ${m.tasks_scheduled}/${m.tasks_total} tasks, ` +
          `makespan ${m.makespan.toFixed(1)} h, on time ${pct(m.on_time_rate)}, mean ${m.mean_days_late.toFixed(2)} days late, utilization ${pct(m.utilization)}`,
      );
    });
}
