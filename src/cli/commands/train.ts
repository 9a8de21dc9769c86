import type { Command } from 'commander';
import { SchedError } from '../../errors.js';
import { createLogger, type Logger } from '../../log.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../ppo/backend.js';
import { train } from '../../curriculum/trainer.js';
import { DEFAULT_CONFIG } from '../../curriculum/plan.js';
import { createProgress } from '../progress.js';
import { positiveOption, seedOption } from '../options.js';
import type { CliIO } from '../context.js';

interface TrainFlags {
  config?: string;
  startStage?: string;
  singleStage?: string;
  resume?: boolean;
  backend: string;
  threads?: string;
  envs?: string;
  seed?: string;
  out: string;
  progress: string;
}

/** `sched train`: the curriculum trainer (docs/training.md). */
export function registerTrain(program: Command, io: CliIO): void {
  program
    .command('train')
    .description('train a PPO scheduler through the curriculum (checkpoints, TensorBoard, resume)')
    .option('--config <file>', `curriculum YAML (default ${DEFAULT_CONFIG}; with --resume, the run's own)`)
    .option('--start-stage <name>', "start at this stage, from the previous stage's final model and statistics")
    .option('--single-stage <name>', 'train only this stage (from the previous stage\'s final model, if it is not the first)')
    .option('--resume', 'continue an interrupted run from its last checkpoint, with the same global step')
    .option('--backend <name>', `backend: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .option('--threads <n>', 'threads of the native engine (OpenBLAS; default: one per free core)')
    .option('--envs <n>', 'override every stage\'s number of environments')
    .option('--seed <n>', 'override the curriculum seed')
    .option('--out <dir>', 'run folder for checkpoints/, tensorboard/, logs/, visualizations/', '.')
    .option('--progress <mode>', 'progress display: auto (bar on a terminal, lines otherwise), bar, plain, silent', 'auto')
    .action(async (f: TrainFlags) => {
      if (!BACKEND_CHOICES.includes(f.backend as BackendChoice)) {
        throw new SchedError('USAGE', `unknown backend "${f.backend}": choose one of ${BACKEND_CHOICES.join(', ')}`);
      }
      if (!['auto', 'bar', 'plain', 'silent'].includes(f.progress)) {
        throw new SchedError('USAGE', `unknown progress mode "${f.progress}": choose auto, bar, plain or silent`);
      }
      const made: { log?: Logger } = {}; // the run's logger, made once the run is planned
      const progress = createProgress({ stream: { write: (t: string) => io.err(t.replace(/\n$/, '')), isTTY: io.isTTY }, mode: f.progress as 'auto' });
      const abort = new AbortController();
      let signals = 0;
      const onSignal = (sig: NodeJS.Signals) => {
        signals++;
        if (signals > 1) process.exit(130); // a second Ctrl-C: stop at once (the last checkpoint stays)
        progress.print(`${sig}: saving a checkpoint after the current iteration (press Ctrl-C again to stop at once)`);
        abort.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const result = await train({
          ...(f.config !== undefined ? { configPath: f.config } : {}),
          out: f.out,
          cwd: io.cwd,
          ...(f.startStage !== undefined ? { startStage: f.startStage } : {}),
          ...(f.singleStage !== undefined ? { singleStage: f.singleStage } : {}),
          resume: f.resume === true,
          backend: f.backend as BackendChoice,
          ...(f.threads !== undefined ? { threads: positiveOption('--threads', f.threads, true) } : {}),
          ...(f.envs !== undefined ? { envs: positiveOption('--envs', f.envs, true) } : {}),
          ...(f.seed !== undefined ? { seed: seedOption('--seed', f.seed) } : {}),
          log: (l) => (made.log = createLogger({ file: l.logFile, terminal: false })),
          progress,
          signal: abort.signal,
        });
        if (result.interrupted) {
          const ck = result.state.lastCheckpoint;
          throw new SchedError('INTERRUPTED', `training interrupted at global step ${result.state.globalStep}; checkpoint ${ck?.path ?? '(none)'} saved: continue with sched train --resume --out ${f.out}`);
        }
        io.out(`trained ${result.state.stages.filter((s) => s.status === 'done').length} stage(s) to global step ${result.state.globalStep} on ${result.backend}; outputs in ${result.layout.root}`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        made.log?.flush?.();
      }
    });
}
