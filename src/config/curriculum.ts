/**
 * Loads and validates a curriculum file. Every problem of the whole file is collected with its
 * path (bad values, unknown keys with a suggestion, missing keys, duplicate stage names,
 * minibatches that do not divide the rollout, ...) and reported in one SchedError('CONFIG');
 * nothing is returned unless the whole file is valid.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { load as loadYaml, YAMLException } from 'js-yaml';
import { SchedError } from '../errors.js';
import { deepMerge, getPath, hasPath, isPlainObject } from './merge.js';
import { flattenIssues, formatPath, knownKeysAt, suggest, type Path } from './issues.js';
import { parseScheduleValue, type ScheduleSpec } from './schedule-string.js';
import { DEFAULTS, StageSchema, TOP_LEVEL_KEYS, type StageInput } from './schema.js';
import type { CurriculumConfig, DataSource, StageConfig } from './types.js';
import { readFileOrFail } from '../io/read.js';
import { splitHistory, type HistorySpec } from '../data/snapshots/history.js';

export interface CurriculumCheckOptions {
  /** When given, `data.profile` must be one of these generator profile names. */
  knownProfiles?: readonly string[];
  /** When given, `pretrain.rule` must be one of these rule names (or `best`). */
  knownRules?: readonly string[];
  /** Check that `data.snapshot` files exist, resolved against `cwd` (default process.cwd()). */
  checkFiles?: boolean;
  cwd?: string;
}

/** Reads, parses and validates a curriculum YAML file. */
export function loadCurriculumConfig(path: string, opts: CurriculumCheckOptions = {}): CurriculumConfig {
  const text = readFileOrFail(path, 'curriculum config', 'utf8');
  return parseCurriculumYaml(text, path, opts);
}

/** Parses YAML text; a syntax error is reported with its line and column. */
export function parseCurriculumYaml(text: string, source = 'curriculum config', opts: CurriculumCheckOptions = {}): CurriculumConfig {
  let raw: unknown;
  try {
    // a file of only blanks and comments is an empty document (js-yaml 5 refuses it)
    raw = text.split('\n').every((l) => /^\s*(#.*)?$/.test(l)) ? null : loadYaml(text, { filename: source });
  } catch (err) {
    if (err instanceof YAMLException) {
      const where = err.mark ? ` at line ${err.mark.line + 1} column ${err.mark.column + 1}` : '';
      throw new SchedError('CONFIG', `${source} is not valid YAML: ${err.reason}${where}`);
    }
    throw err;
  }
  return parseCurriculumConfig(raw, source, opts);
}

/** Validates an already parsed document (a plain object as YAML or JSON gives it). */
export function parseCurriculumConfig(raw: unknown, source = 'curriculum config', opts: CurriculumCheckOptions = {}): CurriculumConfig {
  const problems = new Set<string>();
  const at = (path: Path, msg: string) => problems.add(`${formatPath(path)}: ${msg}`);

  if (raw === undefined || raw === null) throw invalid(source, ['(root): the file is empty; expected a mapping with "stages"']);
  if (!isPlainObject(raw)) throw invalid(source, [`(root): expected a mapping with "defaults" and "stages", got ${Array.isArray(raw) ? 'a list' : typeof raw}`]);

  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) at([key], unknownKeyMessage(key, TOP_LEVEL_KEYS));
  }
  const description = raw.description;
  if (description !== undefined && description !== null && typeof description !== 'string') at(['description'], 'expected a string');
  const seed = raw.seed ?? DEFAULTS.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) at(['seed'], `must be a non-negative integer, got ${String(seed)}`);

  let defaults: Record<string, unknown> = {};
  if (raw.defaults !== undefined && raw.defaults !== null) {
    if (!isPlainObject(raw.defaults)) at(['defaults'], 'expected a mapping of stage settings');
    else defaults = raw.defaults;
  }
  if ('name' in defaults) at(['defaults', 'name'], 'a stage name cannot be a default; give each stage its own name');

  const stagesRaw = raw.stages;
  const stages: StageConfig[] = [];
  if (stagesRaw === undefined || stagesRaw === null) at(['stages'], 'required: a list of stages');
  else if (!Array.isArray(stagesRaw)) at(['stages'], 'expected a list of stages');
  else if (stagesRaw.length === 0) at(['stages'], 'needs at least one stage');
  else {
    const firstIndex = new Map<string, number>();
    stagesRaw.forEach((stageRaw: unknown, i: number) => {
      const base: Path = ['stages', i];
      if (!isPlainObject(stageRaw)) {
        at(base, 'expected a mapping with at least "name", "data" and "timesteps"');
        return;
      }
      const { name: _ignored, ...stageDefaults } = defaults;
      void _ignored;
      const merged = deepMerge(stageDefaults, stageRaw) as Record<string, unknown>;
      // where a problem comes from: the stage if it sets that value, else `defaults`
      const origin = (p: Path): Path => (hasPath(stageRaw, p) || !hasPath(defaults, p) ? [...base, ...p] : ['defaults', ...p]);

      const parsed = StageSchema.safeParse(merged, { reportInput: true });
      if (!parsed.success) {
        for (const issue of flattenIssues(parsed.error.issues)) {
          if (issue.unknownKey !== undefined) {
            at(origin(issue.path), unknownKeyMessage(issue.unknownKey, knownKeysAt(StageSchema, issue.path.slice(0, -1))));
          } else if (issue.missing) {
            at([...base, ...issue.path], 'required (give it in the stage or in "defaults")');
          } else at(origin(issue.path), issue.message);
        }
      }

      const name = merged.name;
      if (typeof name === 'string') {
        const prev = firstIndex.get(name);
        if (prev !== undefined) at([...base, 'name'], `duplicate stage name "${name}" (also stages[${prev}])`);
        else firstIndex.set(name, i);
      }
      crossChecks(merged, base, at, opts);
      if (parsed.success) stages.push(toStageConfig(parsed.data, i));
    });
  }

  if (problems.size > 0) {
    // file-level and `defaults` problems first, then the stages in order
    const all = [...problems];
    throw invalid(source, [...all.filter((p) => !p.startsWith('stages[')), ...all.filter((p) => p.startsWith('stages['))]);
  }
  return { source, description: typeof description === 'string' ? description : null, seed: seed as number, stages };
}

/** Checks across keys, on the merged stage; values of the wrong type are skipped here. */
function crossChecks(merged: Record<string, unknown>, base: Path, at: (p: Path, m: string) => void, opts: CurriculumCheckOptions): void {
  const data = merged.data;
  if (isPlainObject(data)) {
    const given = (['snapshot', 'snapshots', 'profile', 'database'] as const).filter((k) => data[k] !== undefined);
    if (given.length !== 1) {
      const got = given.length === 0 ? 'none' : given.join(' and ');
      at([...base, 'data'], `give exactly one of "snapshot", "snapshots", "profile" or "database" (got ${got})`);
    }
    if (data.seed !== undefined && data.profile === undefined) at([...base, 'data', 'seed'], 'a seed applies only to a generator "profile"');
    for (const k of ['eval', 'test'] as const) {
      if (data[k] !== undefined && data.snapshots === undefined) at([...base, 'data', k], `the held-out "${k}" files apply only to "snapshots" (many files)`);
    }
    const spec = historySpec(data);
    if (spec && opts.checkFiles) {
      for (const p of splitHistory(spec, opts.cwd ?? process.cwd()).problems) at([...base, 'data', ...p.key], p.message);
    }
    if (typeof data.profile === 'string' && opts.knownProfiles && !opts.knownProfiles.includes(data.profile)) {
      const hint = suggest(data.profile, opts.knownProfiles);
      at([...base, 'data', 'profile'], `unknown generator profile "${data.profile}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${opts.knownProfiles.join(', ')}`);
    }
    if (typeof data.snapshot === 'string' && opts.checkFiles && !existsSync(resolve(opts.cwd ?? process.cwd(), data.snapshot))) {
      at([...base, 'data', 'snapshot'], `no such file "${data.snapshot}"`);
    }
  }

  const success = merged.success;
  if (isPlainObject(success) && success.on_time_rate === undefined && success.beat_best_rule !== true) {
    at([...base, 'success', 'on_time_rate'], 'required unless "beat_best_rule" is true (give it in the stage or in "defaults")');
  }
  const pretrain = merged.pretrain;
  if (isPlainObject(pretrain) && typeof pretrain.rule === 'string' && opts.knownRules) {
    const names = [...opts.knownRules, 'best'];
    if (!names.includes(pretrain.rule)) {
      const hint = suggest(pretrain.rule, names);
      at([...base, 'pretrain', 'rule'], `unknown rule "${pretrain.rule}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${names.join(', ')}`);
    }
  }

  const posInt = (p: Path, fallback: number): number | undefined => {
    const v = getPath(merged, p) ?? fallback;
    return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
  };
  const nEnvs = posInt(['n_envs'], DEFAULTS.nEnvs);
  const nSteps = posInt(['ppo', 'n_steps'], DEFAULTS.ppo.nSteps);
  const batch = posInt(['ppo', 'batch_size'], DEFAULTS.ppo.batchSize);
  const timesteps = posInt(['timesteps'], NaN);
  if (nEnvs === undefined || nSteps === undefined) return;
  const rollout = nSteps * nEnvs;
  if (batch !== undefined && rollout % batch !== 0) {
    at([...base, 'ppo'], `n_steps * n_envs = ${rollout} is not a multiple of batch_size = ${batch}`);
  }
  if (timesteps !== undefined && timesteps < rollout) {
    at([...base, 'timesteps'], `${timesteps} is less than one rollout (n_steps * n_envs = ${rollout}); no update would run`);
  }
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = suggest(key, known);
  return `unknown key${hint ? ` (did you mean "${hint}"?)` : known.length ? `; known keys: ${known.join(', ')}` : ''}`;
}

function invalid(source: string, problems: string[]): SchedError {
  const n = problems.length;
  return new SchedError('CONFIG', `${source} is not a valid curriculum (${n} problem${n === 1 ? '' : 's'})`, problems);
}

const sched = (v: unknown): ScheduleSpec => {
  const r = parseScheduleValue(v);
  if (!r.ok) throw new Error(`unreachable: ${r.message}`);
  return r.spec;
};

/** `data.snapshots` with its split, if the values have the right types (defaults: 1 eval and 1 test file). */
function historySpec(data: Record<string, unknown>): HistorySpec | null {
  const files = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
  const split = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) || (Array.isArray(v) && files(v));
  const ev = data.eval ?? DEFAULTS.history.eval;
  const te = data.test ?? DEFAULTS.history.test;
  if (!files(data.snapshots) || !split(ev) || !split(te)) return null;
  return { snapshots: data.snapshots as HistorySpec['snapshots'], eval: ev as HistorySpec['eval'], test: te as HistorySpec['test'] };
}

function toDataSource(d: StageInput['data']): DataSource {
  if (d.snapshot !== undefined) return { kind: 'snapshot', path: d.snapshot };
  if (d.snapshots !== undefined) {
    const list = (v: string | string[]) => (typeof v === 'string' ? v : [...v]);
    return { kind: 'snapshots', snapshots: list(d.snapshots), eval: d.eval === undefined ? DEFAULTS.history.eval : typeof d.eval === 'number' ? d.eval : [...d.eval], test: d.test === undefined ? DEFAULTS.history.test : typeof d.test === 'number' ? d.test : [...d.test] };
  }
  if (d.profile !== undefined) return { kind: 'profile', profile: d.profile, seed: d.seed ?? null };
  const { mysql, ...options } = d.database!;
  return { kind: 'database', mysql, options };
}

/** A stage's reward weights: its preset's, with every weight the stage (or `defaults`) gives on top. */
function rewardWeights(r: StageInput['env']['reward']): StageConfig['env']['reward'] {
  const p = DEFAULTS.env.rewardPresets[r.preset];
  return {
    preset: r.preset,
    onTime: r.on_time ?? p.onTime,
    earlyPerDay: r.early_per_day ?? p.earlyPerDay,
    latePerDay: r.late_per_day ?? p.latePerDay,
    action: r.action ?? p.action,
    makespan: r.makespan ?? p.makespan,
  };
}

/** The typed, camelCase form of a validated stage. */
function toStageConfig(s: StageInput, index: number): StageConfig {
  const arch = s.policy.net_arch;
  return {
    name: s.name,
    index,
    data: toDataSource(s.data),
    timesteps: s.timesteps,
    nEnvs: s.n_envs,
    ppo: {
      learningRate: sched(s.ppo.learning_rate),
      nSteps: s.ppo.n_steps,
      batchSize: s.ppo.batch_size,
      nEpochs: s.ppo.n_epochs,
      gamma: s.ppo.gamma,
      gaeLambda: s.ppo.gae_lambda,
      clipRange: sched(s.ppo.clip_range),
      clipRangeVf: s.ppo.clip_range_vf === null ? null : sched(s.ppo.clip_range_vf),
      entCoef: s.ppo.ent_coef,
      vfCoef: s.ppo.vf_coef,
      maxGradNorm: s.ppo.max_grad_norm,
      targetKl: s.ppo.target_kl,
      normalizeAdvantage: s.ppo.normalize_advantage,
    },
    policy: {
      netArch: Array.isArray(arch) ? { pi: [...arch], vf: [...arch] } : { pi: [...arch.pi], vf: [...arch.vf] },
      activation: s.policy.activation,
      layerNorm: s.policy.layer_norm,
    },
    normalize: {
      obs: s.normalize.obs,
      reward: s.normalize.reward,
      clipObs: s.normalize.clip_obs,
      clipReward: s.normalize.clip_reward,
      epsilon: s.normalize.epsilon,
    },
    env: {
      candidateSlots: s.env.candidate_slots,
      reward: rewardWeights(s.env.reward),
      variation: {
        durationJitter: s.env.variation.duration_jitter,
        dueShiftDays: s.env.variation.due_shift_days,
        jobSubset: s.env.variation.job_subset,
      },
      placement: s.env.placement,
    },
    eval: { freq: s.eval.freq, episodes: s.eval.episodes, seedOffset: s.eval.seed_offset, deterministic: s.eval.deterministic },
    checkpoint: { freq: s.checkpoint.freq },
    success:
      s.success === null
        ? null
        : { completionRate: s.success.completion_rate, onTimeRate: s.success.on_time_rate ?? 0, minEvals: s.success.min_evals, beatBestRule: s.success.beat_best_rule },
    pretrain:
      s.pretrain === null
        ? null
        : {
            rule: s.pretrain.rule, episodes: s.pretrain.episodes, samples: s.pretrain.samples, epsilon: s.pretrain.epsilon,
            epochs: s.pretrain.epochs, batchSize: s.pretrain.batch_size, learningRate: s.pretrain.learning_rate, vfCoef: s.pretrain.vf_coef,
          },
    maxStageTimeMinutes: s.max_stage_time_minutes,
  };
}

/**
 * The config with command-line overrides applied (`--envs N`, `--seed N`). A new number of
 * environments changes every rollout, so the minibatch and budget checks run again; a
 * violation is a CONFIG error listing each stage it breaks.
 */
export function applyOverrides(config: CurriculumConfig, o: { nEnvs?: number; seed?: number }): CurriculumConfig {
  const problems: string[] = [];
  if (o.seed !== undefined && !(Number.isSafeInteger(o.seed) && o.seed >= 0)) problems.push(`--seed: must be a non-negative integer, got ${o.seed}`);
  if (o.nEnvs !== undefined && !(Number.isSafeInteger(o.nEnvs) && o.nEnvs > 0)) problems.push(`--envs: must be a positive integer, got ${o.nEnvs}`);
  if (problems.length > 0) throw new SchedError('USAGE', problems.join('; '));
  const stages = config.stages.map((s) => {
    if (o.nEnvs === undefined) return s;
    const rollout = s.ppo.nSteps * o.nEnvs;
    if (rollout % s.ppo.batchSize !== 0) {
      problems.push(`stages[${s.index}].ppo (${s.name}): n_steps * n_envs = ${s.ppo.nSteps} * ${o.nEnvs} = ${rollout} is not a multiple of batch_size = ${s.ppo.batchSize}`);
    }
    if (s.timesteps < rollout) problems.push(`stages[${s.index}].timesteps (${s.name}): ${s.timesteps} is less than one rollout (${rollout})`);
    return { ...s, nEnvs: o.nEnvs };
  });
  if (problems.length > 0) {
    const n = problems.length;
    throw new SchedError('CONFIG', `--envs ${o.nEnvs} does not fit ${config.source} (${n} problem${n === 1 ? '' : 's'})`, problems);
  }
  return { ...config, seed: o.seed ?? config.seed, stages };
}

/** The stage called `name`; an unknown name is a usage error listing the valid ones. */
export function resolveStage(config: CurriculumConfig, name: string): StageConfig {
  const stage = config.stages.find((s) => s.name === name);
  if (stage) return stage;
  const names = config.stages.map((s) => s.name);
  const hint = suggest(name, names);
  throw new SchedError(
    'USAGE',
    `unknown stage "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; the stages of ${config.source} are: ${names.join(', ')}`,
  );
}

/**
 * The stages a run trains: all, from `startStage` on (`--start-stage`), or only `singleStage`
 * (`--single-stage`). Giving both is a usage error.
 */
export function selectStages(config: CurriculumConfig, sel: { startStage?: string; singleStage?: string } = {}): StageConfig[] {
  if (sel.startStage !== undefined && sel.singleStage !== undefined) {
    throw new SchedError('USAGE', 'give either --start-stage or --single-stage, not both');
  }
  if (sel.singleStage !== undefined) return [resolveStage(config, sel.singleStage)];
  if (sel.startStage !== undefined) return config.stages.slice(resolveStage(config, sel.startStage).index);
  return [...config.stages];
}
