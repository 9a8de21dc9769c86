import type { Command } from 'commander';

/** `sched bench ...`: the project's own benchmarks; subcommands are added by their modules. */
export function benchCommand(program: Command): Command {
  return program.command('bench').description('benchmarks: env (decisions/s), learner (samples/s), train (end-to-end steps/s), sample (ms per best-of-N schedule), jssp (makespan gaps on Taillard job shops)');
}
