import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { BASELINE_NAMES, getBaseline, runBaseline } from '../../baselines/index.js';
import { loadSnapshotFile } from '../../data/snapshots/load.js';
import type { CalendarMode } from '../../env/calendar.js';
import { SchedError } from '../../errors.js';
import { checkSchedule, checkVerdict, type CheckResult } from '../../evaluation/check.js';
import { KPI_COLUMNS, textTable } from '../../evaluation/kpi-table.js';
import { readScheduleFile } from '../../evaluation/schedule-file.js';
import type { CliIO } from '../context.js';

interface CheckFlags {
  snapshot: string;
  schedule: string;
  rules?: string | true;
  json?: boolean;
  calendar: CalendarMode;
}

/** `sched check`: judges a schedule file against its snapshot, independently of the simulator (docs/check.md). */
export function registerCheck(program: Command, io: CliIO): void {
  program
    .command('check')
    .description('judge a schedule file against its snapshot (feasibility and KPIs), independently of the simulator')
    .requiredOption('--snapshot <file>', 'snapshot JSON file the schedule was made for')
    .requiredOption('--schedule <file>', 'schedule JSON file (the format sched schedule writes)')
    .option('--rules [list]', `also show the KPIs of every dispatching rule on the snapshot (or of the comma-separated ones: ${BASELINE_NAMES.join(',')})`)
    .option('--json', 'print the result as JSON')
    .addOption(new Option('--calendar <mode>', 'how tasks meet breaks: stretch (pause and resume) or no_split (one working window)').choices(['stretch', 'no_split']).default('stretch'))
    .addHelpText('after', '\nExit code 0 when the schedule is feasible, 4 when it has faults (one line each) or the file does not fit the snapshot. Faults and KPIs: docs/check.md.')
    .action((f: CheckFlags) => {
      const ruleNames = f.rules === undefined ? [] : f.rules === true ? [...BASELINE_NAMES] : f.rules.split(',').map((r) => r.trim().toLowerCase()).filter((r) => r !== '');
      for (const r of ruleNames) getBaseline(r); // unknown names fail before any work
      const snapshot = loadSnapshotFile(resolve(io.cwd, f.snapshot));
      const file = readScheduleFile(resolve(io.cwd, f.schedule), snapshot, f.snapshot);
      const result = checkSchedule(snapshot, file, { calendar: f.calendar });
      const rules = ruleNames.map((r) => {
        const schedule = runBaseline(snapshot, r, { calendarMode: f.calendar }).schedule;
        return { policy: schedule.policy, check: checkSchedule(snapshot, schedule, { calendar: f.calendar }) };
      });
      if (f.json) {
        const rows = (r: CheckResult) => ({ feasible: r.feasible, faults: r.faults, kpis: r.kpis });
        io.out(
          JSON.stringify(
            {
              snapshot: snapshot.name,
              schedule: f.schedule,
              policy: file.policy,
              calendar: f.calendar,
              ...rows(result),
              notes: result.notes,
              ...(rules.length > 0 ? { rules: rules.map((r) => ({ policy: r.policy, ...rows(r.check) })) } : {}),
            },
            null,
            2,
          ),
        );
      } else {
        const n = snapshot.jobs.reduce((x, j) => x + j.tasks.length, 0);
        io.out(`${f.schedule}${file.policy !== null ? ` (policy ${file.policy})` : ''} on snapshot ${snapshot.name}, ${file.assignments.length} assignments for ${n} tasks, calendar ${f.calendar}: ${result.feasible ? 'feasible' : checkVerdict(result)}`);
        const all = [{ policy: 'file', check: result }, ...rules];
        io.out(textTable(all.map((r) => ({ policy: r.policy, ...r.check.kpis })), KPI_COLUMNS, { heads: ['check'], cells: all.map((r) => [checkVerdict(r.check)]) }).join('\n'));
        if (rules.length > 0) io.out('* = best value in the column; the rules are run on the same snapshot and checked the same way.');
        for (const note of result.notes) io.out(`note: ${note}`);
        if (!result.feasible) io.out([`${checkVerdict(result)}:`, ...result.faults.map((x) => `  ${x.message}`)].join('\n'));
      }
      if (!result.feasible) {
        throw new SchedError('DATA', `${f.schedule} is not a feasible schedule of ${snapshot.name}: ${checkVerdict(result)} (${f.json ? 'in the JSON' : 'listed above'})`);
      }
    });
}
