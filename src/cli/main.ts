#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SchedError, exitCodeFor, formatError } from '../errors.js';
import { processIO, type CliIO } from './context.js';
import { snapshotsCommand, registerValidate } from './commands/snapshots.js';
import { benchCommand } from './commands/bench.js';
import { registerGenerate, registerStats, registerImport } from './commands/snapshots-data.js';
import { registerTrain } from './commands/train.js';
import { registerBenchTrain } from './commands/bench-train.js';
import { registerBenchSample } from './commands/bench-sample.js';
import { registerIngest } from './commands/ingest.js';
import { registerDb } from './commands/db.js';
import { registerVisualize } from './commands/visualize.js';
import { registerSchedule } from './commands/schedule.js';
import { registerCheck } from './commands/check.js';
import { registerTest } from './commands/test.js';
import { registerBenchEnv } from './commands/bench-env.js';
import { registerBenchLearner } from './commands/bench-learner.js';
import { registerBenchJssp } from './commands/bench-jssp.js';

export function buildProgram(io: CliIO): Command {
  const program = new Command('sched')
    .description('train PPO schedulers for factory work through a 16-stage curriculum')
    .version('0.1.0')
    .option('--verbose', 'show stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const snapshots = snapshotsCommand(program);
  registerValidate(snapshots, io);
  registerGenerate(snapshots, io);
  registerStats(snapshots, io);
  registerImport(snapshots, io);

  registerTrain(program, io);
  registerTest(program, io);
  registerSchedule(program, io);
  registerCheck(program, io);
  registerVisualize(program, io);
  registerIngest(program, io);
  registerDb(program, io);

  const bench = benchCommand(program);
  registerBenchEnv(bench, io);
  registerBenchLearner(bench, io);
  registerBenchTrain(bench, io);
  registerBenchSample(bench, io);
  registerBenchJssp(bench, io);

  // Every subcommand throws instead of exiting, and prints through `io`.
  const configure = (cmd: Command) => {
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    cmd.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/** Runs the CLI in-process and returns the exit code (tests call this directly). */
export async function run(argv: string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io);
  const verbose = argv.includes('--verbose') || !!process.env.DEBUG;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; commander has already printed usage errors
      return err.exitCode === 0 ? 0 : 2;
    }
    io.err(formatError(err));
    if (verbose && err instanceof Error && err.stack) io.err(err.stack);
    if (!(err instanceof SchedError) && !verbose) io.err('(unexpected error: run with --verbose for the stack trace)');
    return exitCodeFor(err);
  }
}

function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  // `sched ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const code = await run(process.argv.slice(2));
  process.exitCode = code;
}
