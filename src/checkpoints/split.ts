import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { SchedError } from '../errors.js';
import { writeJsonAtomic } from '../io/atomic.js';
import type { HistorySplit } from '../data/snapshots/history.js';

/**
 * `checkpoints/<stage>/split.json`: which snapshot files a stage with `data.snapshots` trained
 * on, evaluated on and keeps for `sched test` (absolute paths), and the rule that chose them.
 * Written when the stage starts; a resumed stage and `sched test` read it back, so files that
 * arrive in the folder later never move a held-out file into training.
 */
const SplitFileSchema = z.object({
  version: z.literal(1),
  stage: z.string(),
  rule: z.string(),
  writtenAt: z.string(),
  train: z.array(z.string()).min(1),
  eval: z.array(z.string()).min(1),
  test: z.array(z.string()).min(1),
});

export function writeSplit(path: string, stage: string, split: HistorySplit): void {
  writeJsonAtomic(path, { version: 1, stage, rule: split.rule, writtenAt: new Date().toISOString(), train: split.train, eval: split.eval, test: split.test });
}

/** The recorded split, or null if the stage has none; a corrupted file is a CHECKPOINT error. */
export function readSplit(path: string): HistorySplit | null {
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SchedError('CHECKPOINT', `the split file ${path} is corrupted: ${(err as Error).message}`);
  }
  const r = SplitFileSchema.safeParse(raw);
  if (!r.success) throw new SchedError('CHECKPOINT', `the split file ${path} is corrupted: ${r.error.issues[0].path.join('.') || '(root)'}: ${r.error.issues[0].message}`);
  return { rule: r.data.rule, train: r.data.train, eval: r.data.eval, test: r.data.test };
}
