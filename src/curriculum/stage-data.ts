import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { StageConfig } from '../config/types.js';
import type { Snapshot } from '../data/snapshots/schema.js';
import { generateSnapshot } from '../data/snapshots/generator.js';
import { getProfile } from '../data/snapshots/profiles.js';
import { loadSnapshotFile, parseSnapshot } from '../data/snapshots/load.js';
import { loadSnapshotFromDatabase } from '../db/source.js';
import { loadSnapshotFiles, splitHistory, type HistorySplit } from '../data/snapshots/history.js';
import { formatPath } from '../config/issues.js';
import { SchedError } from '../errors.js';
import { ALL_PROFILES } from '../data/snapshots/profiles.js';
import { BASELINE_NAMES } from '../baselines/index.js';
import { loadCurriculumConfig, type CurriculumCheckOptions } from '../config/curriculum.js';
import type { CurriculumConfig } from '../config/types.js';

/** What a curriculum's stages may name here: the generator profiles, the rules, files under `cwd`. */
export function curriculumChecks(cwd: string): CurriculumCheckOptions {
  return { knownProfiles: ALL_PROFILES.map((p) => p.name), knownRules: BASELINE_NAMES, checkFiles: true, cwd };
}

/** Loads a curriculum file and checks every profile, rule and file it names. */
export function loadCheckedCurriculum(path: string, cwd: string): CurriculumConfig {
  return loadCurriculumConfig(path, curriculumChecks(cwd));
}

/** The instances a stage trains on, and the held-out ones it is evaluated and tested on. */
export interface StageInstances {
  train: Snapshot[];
  eval: Snapshot[];
  /** Seeds the instances were generated from (empty for files and databases). */
  trainSeeds: number[];
  evalSeeds: number[];
  /** For `data.snapshots`: which file plays which role (`eval` above holds the test files when role is 'test'). */
  split?: HistorySplit;
}

/** Generated training instances per factory stage (job-shop profiles set their own `trainPool`); each episode further varies one of them. */
export const TRAIN_POOL = 8;

/**
 * Seeds of generated instances. Training uses `base + i`; evaluation (during training) uses
 * `base + seedOffset + i`, and `sched test` `base + 2 * seedOffset + i`: three disjoint sets,
 * so evaluation and test instances are never trained on.
 */
export function instanceSeed(configSeed: number, stageIndex: number, role: 'train' | 'eval' | 'test', i: number, seedOffset: number): number {
  const base = (configSeed * 7919 + stageIndex * 104_729) % 1_000_000;
  const shift = role === 'train' ? 0 : role === 'eval' ? seedOffset : 2 * seedOffset;
  return base + shift + i;
}

export interface StageDataOptions {
  configSeed: number;
  /** Folder relative snapshot and mapping paths are resolved against. */
  cwd: string;
  configPath?: string;
  log?: Logger;
  /** Held-out instances wanted (evaluation: `eval.episodes` capped at 8; `sched test`: uncapped). */
  evalInstances?: number;
  role?: 'eval' | 'test';
  /** For `data.snapshots`: the split recorded in the run (resume, `sched test`) instead of one decided now. */
  split?: HistorySplit;
}

/** The split of a stage's `data.snapshots` decided from the files there now. */
export function historySplit(stage: StageConfig, d: Extract<StageConfig['data'], { kind: 'snapshots' }>, cwd: string): HistorySplit {
  const { split, problems } = splitHistory(d, cwd);
  if (!split) {
    const n = problems.length;
    throw new SchedError('CONFIG', `the snapshot files of stage ${stage.name} cannot be split (${n} problem${n === 1 ? '' : 's'})`, problems.map((p) => `${formatPath(['stages', stage.index, 'data', ...p.key])}: ${p.message}`));
  }
  return split;
}

/**
 * Resolves a stage's `data`: a generator profile gives a pool of seeded training instances
 * and disjoint held-out ones; `snapshots` (many files) gives the training files as the pool
 * and the held-out evaluation (or, for role 'test', test) files of its split; a snapshot file
 * or a database gives one instance, used for both (training varies it per episode; evaluation
 * runs it unvaried).
 */
export async function loadStageData(stage: StageConfig, opts: StageDataOptions): Promise<StageInstances> {
  const d = stage.data;
  if (d.kind === 'profile') {
    const profile = getProfile(d.profile);
    const seedBase = d.seed ?? opts.configSeed;
    const gen = (role: 'train' | 'eval' | 'test', i: number) => {
      const seed = instanceSeed(seedBase, stage.index, role, i, stage.eval.seedOffset);
      return { seed, snap: parseSnapshot(generateSnapshot(profile, seed, `${d.profile}_${role}_${seed}`), `${d.profile} seed ${seed}`) };
    };
    const train = Array.from({ length: 'kind' in profile ? profile.trainPool : TRAIN_POOL }, (_, i) => gen('train', i));
    const nEval = Math.max(1, Math.min(opts.role === 'test' ? Infinity : 8, opts.evalInstances ?? stage.eval.episodes));
    const held = Array.from({ length: nEval }, (_, i) => gen(opts.role ?? 'eval', i));
    return { train: train.map((x) => x.snap), eval: held.map((x) => x.snap), trainSeeds: train.map((x) => x.seed), evalSeeds: held.map((x) => x.seed) };
  }
  if (d.kind === 'snapshots') {
    const split = opts.split ?? historySplit(stage, d, opts.cwd);
    if (opts.role === 'test') return { train: [], eval: loadSnapshotFiles(split.test, `stage ${stage.name} (test split)`, opts.cwd), trainSeeds: [], evalSeeds: [], split };
    // for training, every file, the test ones too, is validated before anything trains
    const all = loadSnapshotFiles([...split.train, ...split.eval, ...split.test], `stage ${stage.name}`, opts.cwd, { needTasks: split.train });
    const nt = split.train.length;
    return { train: all.slice(0, nt), eval: all.slice(nt, nt + split.eval.length), trainSeeds: [], evalSeeds: [], split };
  }
  let snap: Snapshot;
  if (d.kind === 'snapshot') {
    snap = loadSnapshotFile(resolve(opts.cwd, d.path));
  } else {
    const baseDir = opts.configPath ? dirname(resolve(opts.cwd, opts.configPath)) : opts.cwd;
    snap = await loadSnapshotFromDatabase({ mysql: d.mysql, ...(d.options as object) }, { baseDir, ...(opts.log ? { logger: opts.log } : {}) });
  }
  return { train: [snap], eval: [snap], trainSeeds: [], evalSeeds: [] };
}
