import { run } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/context.js';

/** Runs `sched <argv>` in-process, capturing what it prints. */
export async function runCli(argv: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t.endsWith('\n') ? t : t + '\n'), err: (t) => void (err += t.endsWith('\n') ? t : t + '\n'), isTTY: false, cwd };
  const code = await run(argv, io);
  return { code, out, err };
}
