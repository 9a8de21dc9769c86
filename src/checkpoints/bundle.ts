import { existsSync, renameSync, rmSync } from 'node:fs';
import { SchedError } from '../errors.js';
import { writeJsonAtomic } from '../io/atomic.js';
import type { PpoLearner } from '../ppo/learner.js';
import { saveLearner, loadLearner, type LoadOptions } from '../ppo/checkpoint.js';
import { describeObsLayout, OBS_LAYOUT } from '../env/observation.js';

/**
 * A checkpoint folder (`best/`, `final/`, `step_<N>/`) holds one learner bundle: the policy
 * (tfjs layers model), critic, Adam moments, vec_normalize.json and learner_state.json, so a
 * model can never be separated from its normalization statistics.
 *
 * Saving replaces the whole folder at once: the bundle is written to `<dir>.tmp`, the old
 * folder is moved to `<dir>.old`, the new one renamed into place, the old one removed. A kill
 * at any point leaves a complete bundle at `<dir>` or at `<dir>.old`, which `loadBundle` uses.
 */
export async function saveBundle(learner: PpoLearner, dir: string): Promise<void> {
  const tmp = `${dir}.tmp`;
  const old = `${dir}.old`;
  rmSync(tmp, { recursive: true, force: true });
  await saveLearner(learner, tmp);
  try {
    if (existsSync(dir)) {
      rmSync(old, { recursive: true, force: true });
      renameSync(dir, old);
    }
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  } catch (err) {
    throw new SchedError('IO', `could not put checkpoint ${dir} in place: ${(err as Error).message}`, [], { cause: err });
  }
}

/**
 * Loads a bundle, falling back to `<dir>.old` when a kill interrupted a replacement. A bundle
 * whose observation layout is not the one the environment builds now is refused (CHECKPOINT).
 */
export function loadBundle(dir: string, opts: LoadOptions = {}): PpoLearner {
  const o = { obsLayout: { name: OBS_LAYOUT, describe: describeObsLayout }, ...opts };
  if (!existsSync(dir) && existsSync(`${dir}.old`)) return loadLearner(`${dir}.old`, o);
  if (!existsSync(dir)) throw new SchedError('CHECKPOINT', `no checkpoint at ${dir}`);
  return loadLearner(dir, o);
}

export function bundleExists(dir: string): boolean {
  return existsSync(dir) || existsSync(`${dir}.old`);
}

/** The stage's current normalization statistics beside its checkpoints (SPEC.md layout). */
export function writeStageVecNormalize(learner: PpoLearner, path: string): void {
  writeJsonAtomic(path, learner.vecNormalize.toJSON());
}
