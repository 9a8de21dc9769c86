import { Command, Option } from 'commander';
import { join, resolve } from 'node:path';
import { DEFAULT_SEED, generateFolder, generateProfileFile, writeSnapshot } from '../../data/snapshots/generate-files.js';
import { IMPORT_FORMATS, importInstance, type ImportFormat } from '../../data/snapshots/import.js';
import { loadSnapshotFile } from '../../data/snapshots/load.js';
import { ALL_PROFILES, getProfile } from '../../data/snapshots/profiles.js';
import { snapshotStats } from '../../data/snapshots/stats.js';
import { BEST_KNOWN_KEY, TAILLARD_NAMES, taillardSelection, taillardSnapshot, taillardText } from '../../data/snapshots/taillard.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { formatStats } from '../../data/snapshots/stats-format.js';
import { snapshotWarnings, warningCount } from '../../data/snapshots/warnings.js';
import { strictWarnings, warningLines } from './snapshots.js';
import { SchedError } from '../../errors.js';
import type { CliIO } from '../context.js';
import { positiveOption, seedOption } from '../options.js';
import { readFileOrFail } from '../../io/read.js';

/** `sched snapshots generate | stats | import` (validate and the warning helpers live in snapshots.ts). */

export function registerGenerate(snapshots: Command, io: CliIO): void {
  snapshots
    .command('generate')
    .description("write the named snapshots, every edge_case_*.json and validation_report.md (deterministic); or one profile instance with --profile; or Taillard's job shops with --taillard")
    .option('--dir <dir>', 'output folder (default: snapshots, or snapshots/taillard with --taillard)')
    .option('--seed <n>', 'random seed', String(DEFAULT_SEED))
    .option('--profile <name>', `generate one instance of a stage, named or job-shop profile (${ALL_PROFILES.length} profiles; see docs/snapshots.md)`)
    .option('--out <file>', 'output file for --profile')
    .option('--taillard <list>', `Taillard's job shops from his published seeds, e.g. ta01..ta10 (${TAILLARD_NAMES[0]}..${TAILLARD_NAMES[TAILLARD_NAMES.length - 1]}; all): <dir>/<name>.json with meta.bestKnownMakespan`)
    .option('--text', "with --taillard: also write <dir>/<name>.txt in Taillard's text layout (what snapshots import reads)")
    .addHelpText('after', `\nProfiles: ${ALL_PROFILES.map((p) => p.name).join(', ')}`)
    .action((opts: { dir?: string; seed: string; profile?: string; out?: string; taillard?: string; text?: boolean }) => {
      const seed = seedOption('--seed', opts.seed);
      if (opts.taillard !== undefined) {
        if (opts.profile !== undefined || opts.out !== undefined) throw new SchedError('USAGE', '--taillard writes into --dir; it does not combine with --profile or --out');
        const dirName = opts.dir ?? join('snapshots', 'taillard');
        const dir = resolve(io.cwd, dirName);
        const written: string[] = [];
        for (const t of taillardSelection(opts.taillard)) {
          writeSnapshot(join(dir, `${t.name}.json`), taillardSnapshot(t));
          written.push(`${t.name}.json`);
          if (opts.text) {
            writeFileAtomic(join(dir, `${t.name}.txt`), taillardText(t));
            written.push(`${t.name}.txt`);
          }
        }
        io.out(`wrote ${written.length} files to ${dirName}: ${written.join(', ')}`);
        return;
      }
      if (opts.text) throw new SchedError('USAGE', '--text is only for --taillard');
      if (opts.profile !== undefined) {
        const profile = getProfile(opts.profile);
        if (opts.out === undefined) throw new SchedError('USAGE', '--profile needs --out <file> to say where to write the instance');
        const out = resolve(io.cwd, opts.out);
        generateProfileFile(profile, seed, out);
        io.out(`wrote ${opts.out}: profile ${profile.name}, seed ${seed}, ${profile.jobs} jobs, ${profile.machines} machines`);
        return;
      }
      if (opts.out !== undefined) throw new SchedError('USAGE', '--out is only for --profile; use --dir for the whole set');
      const dirName = opts.dir ?? 'snapshots';
      const dir = resolve(io.cwd, dirName);
      const { written, invalid } = generateFolder(dir, seed);
      io.out(`wrote ${written.length} files to ${dirName} (seed ${seed}): ${written.join(', ')}`);
      if (invalid > 0) {
        throw new SchedError('SNAPSHOT', `${invalid} file${invalid === 1 ? '' : 's'} in ${dirName} did not validate; see ${dirName}/validation_report.md`);
      }
    });
}

export function registerStats(snapshots: Command, io: CliIO): void {
  snapshots
    .command('stats')
    .description('statistics of a snapshot: size, urgency, due dates, work vs capacity, load per machine type; and its warnings')
    .argument('<file>', 'snapshot JSON file')
    .option('--json', 'print the statistics (and the warnings) as JSON')
    .option('--top <n>', 'machine types listed in the table (most loaded first)', '10')
    .option('--strict', 'treat warnings as errors (exit 4)')
    .action((file: string, opts: { json?: boolean; top: string; strict?: boolean }) => {
      const top = Number(opts.top);
      if (!Number.isInteger(top) || top < 0) throw new SchedError('USAGE', `--top must be a whole number >= 0, got "${opts.top}"`);
      const snapshot = loadSnapshotFile(resolve(io.cwd, file));
      const stats = snapshotStats(snapshot);
      const warnings = snapshotWarnings(snapshot);
      if (opts.json) io.out(JSON.stringify({ ...stats, warnings }, null, 2));
      else {
        const listed = warnings.length ? ['', 'warnings (legal data that looks wrong; rules in docs/snapshots.md):', ...warningLines(warnings)] : [];
        io.out([formatStats(stats, top), ...listed, '', warningCount(warnings.length)].join('\n'));
      }
      if (opts.strict && warnings.length > 0) throw strictWarnings(warnings.length, file);
    });
}

export function registerImport(snapshots: Command, io: CliIO): void {
  snapshots
    .command('import')
    .description('convert a job-shop (Taillard) or flexible job-shop (Brandimarte) text instance into a snapshot')
    .addOption(new Option('--format <format>', 'input format').choices([...IMPORT_FORMATS]).makeOptionMandatory())
    .argument('<file>', 'instance text file')
    .requiredOption('--out <file>', 'snapshot JSON to write')
    .option('--best-known <makespan>', 'best-known makespan of the instance, stored as meta.bestKnownMakespan (sched bench jssp reports the gap to it)')
    .action((file: string, opts: { format: ImportFormat; out: string; bestKnown?: string }) => {
      const best = opts.bestKnown === undefined ? undefined : positiveOption('--best-known', opts.bestKnown, false);
      const text = readFileOrFail(resolve(io.cwd, file), 'instance', 'utf8');
      const snap = importInstance(text, opts.format, file);
      if (best !== undefined) snap.meta = { ...snap.meta, [BEST_KNOWN_KEY]: best };
      writeSnapshot(resolve(io.cwd, opts.out), snap);
      const tasks = snap.jobs.reduce((n, j) => n + j.tasks.length, 0);
      io.out(`wrote ${opts.out}: ${snap.jobs.length} jobs, ${tasks} tasks, ${snap.machines.length} machines (objective: makespan)`);
    });
}
