import type { Command } from 'commander';

/** What a command needs from the outside world; tests pass buffers instead of the process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout/stderr is an interactive terminal (progress bars, colours). */
  isTTY: boolean;
  cwd: string;
}

export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  isTTY: process.stderr.isTTY === true && !process.env.CI,
  cwd: process.cwd(),
};

/** Each command module exports one of these; main.ts registers them in order. */
export type RegisterCommand = (program: Command, io: CliIO) => void;
