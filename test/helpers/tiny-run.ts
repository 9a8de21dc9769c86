import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { train } from '../../src/curriculum/trainer.js';
import { createProgress } from '../../src/cli/progress.js';

/** The tiny two-stage curriculum: budgets of 512 steps, a [32, 32] network. */
export const TINY_CONFIG = `seed: 5
defaults:
  n_envs: 4
  ppo: { n_steps: 64, batch_size: 64, n_epochs: 2 }
  policy: { net_arch: [32, 32] }
  env: { candidate_slots: 8 }
  eval: { freq: 512, episodes: 2 }
  checkpoint: { freq: 512 }
stages:
  - { name: toy_easy, data: { profile: toy_easy }, timesteps: 512 }
  - { name: toy_normal, data: { profile: toy_normal }, timesteps: 512 }
`;

/** Trains the tiny curriculum (pure JS backend) into `<tmp>/run`; returns the folder holding tiny.yaml and run/. */
export async function trainTinyRun(): Promise<{ dir: string; run: string; config: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sched-tiny-run-'));
  const config = join(dir, 'tiny.yaml');
  writeFileSync(config, TINY_CONFIG);
  const run = join(dir, 'run');
  await train({ configPath: config, out: run, cwd: dir, backend: 'cpu', log: pino({ level: 'silent' }), progress: createProgress({ mode: 'silent' }) });
  return { dir, run, config };
}
