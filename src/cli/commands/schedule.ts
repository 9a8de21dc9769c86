import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { BASELINE_NAMES, runBaseline } from '../../baselines/index.js';
import { loadSnapshotFile } from '../../data/snapshots/load.js';
import { runSlotPolicy, type EpisodeResult } from '../../env/episode.js';
import { DEFAULT_PLACEMENT, PLACEMENTS, type Placement } from '../../env/config.js';
import { SchedError } from '../../errors.js';
import { writeJsonAtomic } from '../../io/atomic.js';
import { loadModel } from '../../evaluation/model-policy.js';
import { checkVerdict } from '../../evaluation/check.js';
import { guardedExport, guardSchedules, guardSentences } from '../../evaluation/guard.js';
import { KPI_COLUMNS, textTable } from '../../evaluation/kpi-table.js';
import { describeObjective } from '../../env/objective.js';
import { sampleModel, sampleRule, type BestOfResult } from '../../evaluation/sampling.js';
import type { ScheduleMetrics } from '../../env/schedule-export.js';
import { BACKEND_CHOICES } from '../../ppo/backend.js';
import { renderGantt } from '../../viz/gantt.js';
import type { CliIO } from '../context.js';
import { backendOption, positiveOption, seedOption } from '../options.js';

export function registerSchedule(program: Command, io: CliIO): void {
  program
    .command('schedule')
    .description('build one full schedule of a snapshot with a dispatching rule (or a trained model) and write it as JSON')
    .requiredOption('--snapshot <file>', 'snapshot JSON file')
    .option('--rule <name>', `dispatching rule: ${BASELINE_NAMES.join(', ')}`)
    .option('--model <dir>', 'trained model folder (checkpoints/<stage>/best)')
    .requiredOption('--out <file>', 'schedule JSON to write (atomically)')
    .option('--gantt <file>', 'also render the schedule as a Gantt chart PNG (breaks shaded from the snapshot)')
    .option('--backend <name>', `TensorFlow.js backend for --model: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .option('--samples <n>', 'best of N randomized runs + the plain one, by the snapshot\'s objective: N rollouts sampled from --model\'s policy, or --rule randomized')
    .option('--seed <n>', 'seed of the random rule and of the --samples runs', '0')
    .option('--guard', "with --model: check the model's schedule (the best of --samples if given) and every rule's, and write the best feasible one by the snapshot's objective")
    .addOption(new Option('--calendar <mode>', 'how tasks meet breaks: stretch (pause and resume) or no_split (wait for a window)').choices(['stretch', 'no_split']).default('stretch'))
    .addOption(new Option('--placement <mode>', 'append (after each machine\'s last task) or fill_gaps (into an earlier idle gap that holds the task)').choices([...PLACEMENTS]).default(DEFAULT_PLACEMENT))
    .addHelpText('after', '\nThe JSON format is described in docs/environment.md ("Schedule export"); --model takes a checkpoint bundle folder such as run/checkpoints/toy_easy/best; --guard is described in docs/check.md.')
    .action(async (opts: { snapshot: string; rule?: string; model?: string; out: string; gantt?: string; backend: string; seed: string; samples?: string; calendar: 'stretch' | 'no_split'; placement: Placement; guard?: boolean }) => {
      if ((opts.rule === undefined) === (opts.model === undefined)) {
        throw new SchedError('USAGE', 'give exactly one of --rule NAME or --model DIR');
      }
      if (opts.guard && opts.model === undefined) throw new SchedError('USAGE', "--guard needs --model DIR: it compares the model's schedule with every rule's");
      const backend = backendOption(opts.backend);
      if (opts.gantt !== undefined && !opts.gantt.toLowerCase().endsWith('.png')) throw new SchedError('USAGE', `--gantt writes a PNG file: give a name ending in .png, got "${opts.gantt}"`);
      const seed = seedOption('--seed', opts.seed);
      const samples = opts.samples !== undefined ? positiveOption('--samples', opts.samples, true) : undefined;
      const snapshot = loadSnapshotFile(resolve(io.cwd, opts.snapshot));
      const episode = { seed, calendarMode: opts.calendar, placement: opts.placement };
      let best: BestOfResult | null = null;
      let result: EpisodeResult;
      if (opts.model !== undefined) {
        // the environment shows the model's own K candidate slots (its number of actions)
        const model = await loadModel(resolve(io.cwd, opts.model), backend);
        try {
          if (samples !== undefined) result = best = sampleModel(snapshot, model.learner, { ...episode, samples });
          else result = runSlotPolicy(snapshot, model.policy, 'ppo', { ...episode, slots: model.slots });
        } finally {
          model.learner.dispose();
        }
      } else if (samples !== undefined) {
        result = best = sampleRule(snapshot, opts.rule!, { ...episode, samples });
      } else {
        result = runBaseline(snapshot, opts.rule!, episode);
      }
      let schedule = result.schedule;
      if (opts.guard) {
        const rules = BASELINE_NAMES.map((r) => runBaseline(snapshot, r, episode).schedule);
        const g = guardSchedules(snapshot, schedule, rules, opts.calendar);
        const rows = g.candidates.map((c) => ({ policy: c === g.chosen ? `${c.policy} (chosen)` : c.policy, ...c.check.kpis }));
        io.out(textTable(rows, KPI_COLUMNS, { heads: ['check'], cells: g.candidates.map((c) => [checkVerdict(c.check)]) }).join('\n'));
        io.out(guardSentences(g).join('\n'));
        schedule = guardedExport(g);
      }
      writeJsonAtomic(resolve(io.cwd, opts.out), schedule);
      const m = schedule.metrics;
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      const kpis = (x: ScheduleMetrics) => `makespan ${x.makespan.toFixed(1)} h, on time ${pct(x.on_time_rate)}, mean ${x.mean_days_late.toFixed(2)} days late`;
      io.out(`wrote ${opts.out}: ${schedule.policy} on ${snapshot.name}, ${m.tasks_scheduled}/${m.tasks_total} tasks, ${kpis(m)}, utilization ${pct(m.utilization)}`);
      if (best !== null) {
        const plainRun = opts.model !== undefined ? 'the deterministic run' : `plain ${opts.rule}`;
        const kept = best.pick === 0 ? plainRun : `${opts.model !== undefined ? 'sampled' : 'randomized'} run ${best.pick} of ${best.runs - 1}`;
        io.out(`best of ${best.runs} runs by ${describeObjective(snapshot.objective)}: ${kept}; ${plainRun} gave ${kpis(best.plain)}`);
      }
      if (opts.gantt !== undefined) {
        const info = await renderGantt(schedule, snapshot, resolve(io.cwd, opts.gantt));
        const colour = info.colorBy === 'job' ? 'a colour per job' : 'bars coloured by lateness group';
        const due = info.lateJobs ? `, ${info.dueMarks} of ${info.lateJobs} late jobs' due dates marked` : '';
        io.out(`wrote ${opts.gantt}: Gantt chart ${info.width}x${info.height}, ${info.machinesShown} machine rows, ${colour}${due}${info.notes.length ? ` (${info.notes.join('; ')})` : ''}`);
      }
    });
}
