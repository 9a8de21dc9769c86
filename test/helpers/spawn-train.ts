import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `sched train` as a real process (signals and locks cannot be tested in-process). */
export function spawnTrain(dir: string, args: string[]): ChildProcessWithoutNullStreams & { stderrText(): string } {
  const p = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(process.cwd(), 'src/cli/main.ts'), 'train', ...args], {
    cwd: dir,
    env: { ...process.env, CI: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  return Object.assign(p, { stderrText: () => err });
}

/** Resolves with the exit code (null when killed by a signal without a handler). */
export function exitCode(p: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (p.exitCode !== null) return Promise.resolve(p.exitCode);
  return new Promise((r) => p.on('exit', (c) => r(c)));
}

export async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting for the training process');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A one-stage curriculum that trains for a long time (stopped by the tests), checkpointing every 256 steps. */
export function longConfig(dir: string): void {
  writeFileSync(
    join(dir, 'long.yaml'),
    `defaults:
  n_envs: 4
  ppo: { n_steps: 64, batch_size: 64, n_epochs: 1 }
  policy: { net_arch: [16] }
  eval: { freq: 100000, episodes: 1 }
  checkpoint: { freq: 256 }
stages:
  - { name: toy_easy, data: { profile: toy_easy }, timesteps: 1000000 }
`,
  );
}
