import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINE_NAMES } from '../../src/baselines/index.js';
import { loadSnapshotFile } from '../../src/data/snapshots/load.js';
import { loadStageData } from '../../src/curriculum/stage-data.js';
import { loadCurriculumConfig } from '../../src/config/curriculum.js';
import { runCli } from '../helpers/cli.js';
import { scheduleFaults } from '../../src/evaluation/check.js';
import { trainTinyRun, TINY_CONFIG } from '../helpers/tiny-run.js';
import { pngStats } from '../viz/png.js';

const KEYS = ['completion_rate', 'on_time_rate', 'mean_days_late', 'max_days_late', 'makespan', 'utilization', 'schedule_ms', 'episodes'] as const;
type Row = Record<(typeof KEYS)[number] | 'invalid_actions', number> & { stage: string; snapshot: string; policy: string };

let tiny: { dir: string; run: string; config: string };
before(async () => {
  tiny = await trainTinyRun();
});

/** A copy of the trained run, for tests that damage or add to it. */
function copyRun(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sched-test-copy-'));
  cpSync(tiny.run, join(dir, 'run'), { recursive: true });
  return join(dir, 'run');
}

function checkRows(rows: Row[], stage: string, episodes: number, policies = ['ppo', 'guarded', ...BASELINE_NAMES]): void {
  const mine = rows.filter((r) => r.stage === stage);
  assert.deepEqual(mine.map((r) => r.policy), policies, `${stage}: PPO, guarded, then every baseline`);
  // per instance the guard keeps the best feasible of PPO and the rules by on-time rate: never below any of them on average
  const guarded = mine.find((r) => r.policy === 'guarded')!;
  for (const r of mine) assert.ok(guarded.on_time_rate >= r.on_time_rate - 1e-12, `${stage}: guarded vs ${r.policy}`);
  const others = mine.filter((r) => r.policy !== 'guarded').reduce((t, r) => t + r.schedule_ms, 0);
  assert.ok(guarded.schedule_ms >= others, `${stage}: the guard's time includes every candidate's`);
  for (const r of mine) {
    for (const k of KEYS) assert.ok(Number.isFinite(r[k]), `${stage}/${r.policy}: ${k} = ${r[k]}`);
    assert.equal(r.episodes, episodes);
    assert.equal(r.invalid_actions, 0, `${r.policy}: no invalid action`);
    assert.ok(r.completion_rate > 0 && r.completion_rate <= 1 && r.on_time_rate >= 0 && r.on_time_rate <= 1);
  }
}

test('sched test --json: the latest stage, PPO and every baseline on held-out instances, report and schedules written', async () => {
  const run = copyRun();
  const r = await runCli(['test', '--run', run, '--episodes', '3', '--json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as Row[];
  checkRows(rows, 'toy_normal', 3);
  assert.deepEqual([...new Set(rows.map((x) => x.stage))], ['toy_normal'], 'default: the last stage trained');
  assert.match(rows[0].snapshot, /^toy_normal test seeds \d+-\d+$/);
  assert.deepEqual(JSON.parse(readFileSync(join(run, 'reports/test_results.json'), 'utf8')), rows);

  // the test instances are neither training nor evaluation instances
  const stage = loadCurriculumConfig(tiny.config).stages[1];
  const test3 = await loadStageData(stage, { configSeed: 5, cwd: tiny.dir, role: 'test', evalInstances: 3 });
  const evalData = await loadStageData(stage, { configSeed: 5, cwd: tiny.dir });
  const seen = new Set([...evalData.trainSeeds, ...evalData.evalSeeds]);
  assert.ok(test3.evalSeeds.every((s) => !seen.has(s)));
  assert.equal(rows[0].snapshot, `toy_normal test seeds ${test3.evalSeeds[0]}-${test3.evalSeeds[2]}`);

  const md = readFileSync(join(run, 'reports/test_report.md'), 'utf8');
  assert.match(md, /## toy_normal[\s\S]*### 3 held-out instances \(toy_normal test seeds/);
  assert.match(md, /\| policy \| completion \| on time \| mean days late \| max days late \| makespan \(h\) \| utilization \| ms \/ schedule \|/);
  for (const p of ['ppo', 'guarded', ...BASELINE_NAMES]) assert.match(md, new RegExp(`^\\| ${p} \\|`, 'm'));
  assert.match(md, /^Note: guarded \(the best feasible of ppo and the rules per instance, .*\) chose (\w+ on \d, )*\w+ on \d of 3 instances$/m);
  assert.match(md, /\*\*\d/, 'best values in bold');
  assert.match(md, /PPO (beats|trails|matches) the best baseline on on-time rate \((\w+), [\d.]+%\)/);

  // PPO's schedule and the best baseline's, on the first instance, are complete and feasible
  const snap = loadSnapshotFile(join(run, 'snapshots', `${test3.eval[0].name}.json`));
  const ppo = JSON.parse(readFileSync(join(run, 'schedules/test_toy_normal_ppo.json'), 'utf8'));
  assert.equal(ppo.policy, 'ppo');
  assert.equal(ppo.snapshot, test3.eval[0].name);
  assert.deepEqual(scheduleFaults(snap, ppo), []);
  const best = rows.filter((x) => x.policy !== 'ppo' && x.policy !== 'guarded').reduce((a, b) => (b.on_time_rate > a.on_time_rate ? b : a));
  const bl = JSON.parse(readFileSync(join(run, `schedules/test_toy_normal_${best.policy}.json`), 'utf8'));
  assert.deepEqual(scheduleFaults(snap, bl), []);

  // testing another stage keeps this stage's rows; testing it again replaces them
  const other = await runCli(['test', '--run', run, '--stage', 'toy_easy', '--episodes', '2', '--rules', 'edd']);
  assert.equal(other.code, 0, other.err);
  const merged = JSON.parse(readFileSync(join(run, 'reports/test_results.json'), 'utf8')) as Row[];
  assert.deepEqual(merged.filter((x) => x.stage === 'toy_normal'), rows);
  assert.deepEqual(merged.filter((x) => x.stage === 'toy_easy').map((x) => x.policy), ['ppo', 'guarded', 'edd']);
  await runCli(['test', '--run', run, '--stage', 'toy_easy', '--episodes', '2', '--rules', 'atc']);
  const again = JSON.parse(readFileSync(join(run, 'reports/test_results.json'), 'utf8')) as Row[];
  assert.deepEqual(again.filter((x) => x.stage === 'toy_easy').map((x) => x.policy), ['ppo', 'guarded', 'atc']);
});

test('sched test --all covers every stage; sched visualize then draws the comparison and Gantt charts', async () => {
  const run = copyRun();
  const r = await runCli(['test', '--run', run, '--all', '--episodes', '2']);
  assert.equal(r.code, 0, r.err);
  // a table per stage, best values starred, a closing sentence naming the best baseline
  for (const stage of ['toy_easy', 'toy_normal']) assert.match(r.out, new RegExp(`stage ${stage}, model checkpoints/${stage}/best, on 2 held-out instances \\(${stage} test seeds \\d+-\\d+\\):`));
  assert.match(r.out, /^policy +completion +on time +mean days late +max days late +makespan \(h\) +utilization +ms \/ schedule$/m);
  assert.match(r.out, /^ppo +[\d.]+%\*? /m);
  assert.match(r.out, /^guarded +[\d.]+%\*? /m);
  assert.match(r.out, /^note: guarded \(the best feasible of ppo and the rules per instance/m);
  assert.equal((r.out.match(/^PPO (beats|trails|matches) the best baseline on on-time rate \(\w+, [\d.]+%\)/gm) ?? []).length, 2);
  const rows = JSON.parse(readFileSync(join(run, 'reports/test_results.json'), 'utf8')) as Row[];
  checkRows(rows, 'toy_easy', 2);
  checkRows(rows, 'toy_normal', 2);

  const v = await runCli(['visualize', '--run', run]);
  assert.equal(v.code, 0, v.err);
  for (const f of ['ppo_vs_baselines.png', 'ppo_vs_baselines_toy_easy.png', 'gantt_test_toy_normal_ppo.png', 'gantt_test_toy_easy_ppo.png']) {
    const s = await pngStats(join(run, 'visualizations', f));
    assert.ok(s.width >= 800 && s.colors > 20 && s.nonWhite > 0.02, `${f} is a real picture: ${JSON.stringify(s)}`);
  }
  assert.doesNotMatch(v.err, /warning/, 'the test outputs are read without warnings');
  assert.match(readFileSync(join(run, 'visualizations/training_report.md'), 'utf8'), /Mean over 2 held-out instances \(toy_normal test seeds \d+-\d+\)/);
});

test('sched test --snapshot: a table per file for the chosen stage and rules', async () => {
  const run = copyRun();
  const files = ['snapshots/edge_case_zero_slack.json', 'snapshots/edge_case_hot_machine.json'].map((f) => join(process.cwd(), f));
  const r = await runCli(['test', '--run', run, '--stage', 'toy_easy', '--snapshot', ...files, '--rules', 'edd,atc', '--json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as Row[];
  const [a, b] = ['snapshots/edge_case_zero_slack.json', 'snapshots/edge_case_hot_machine.json'];
  const policies = ['ppo', 'guarded', 'edd', 'atc'];
  assert.deepEqual(rows.map((x) => `${x.snapshot}/${x.policy}`), [a, b].flatMap((f) => policies.map((p) => `${f}/${p}`)));
  for (const x of rows) {
    assert.equal(x.episodes, 1);
    assert.equal(x.invalid_actions, 0);
    assert.equal(x.completion_rate, 1, `${x.snapshot}/${x.policy} schedules every task`);
  }
  const snap = loadSnapshotFile(files[0]);
  assert.deepEqual(scheduleFaults(snap, JSON.parse(readFileSync(join(run, 'schedules/test_toy_easy_ppo.json'), 'utf8'))), []);
  const md = readFileSync(join(run, 'reports/test_report.md'), 'utf8');
  assert.match(md, /### snapshots\/edge_case_zero_slack\.json[\s\S]*### snapshots\/edge_case_hot_machine\.json/);
});

test('sched test --snapshot: three files of one profile are three labelled blocks, in the table, the JSON and the report', async () => {
  const run = copyRun();
  const dir = mkdtempSync(join(tmpdir(), 'sched-test-files-'));
  for (const seed of [1, 2, 3]) {
    const g = await runCli(['snapshots', 'generate', '--profile', 'toy_easy', '--seed', String(seed), '--out', join(dir, `day${seed}.json`)]);
    assert.equal(g.code, 0, g.err);
  }
  // the generator names every file after its profile and seed; make two internal names collide
  const day2 = JSON.parse(readFileSync(join(dir, 'day2.json'), 'utf8'));
  const day1Name = JSON.parse(readFileSync(join(dir, 'day1.json'), 'utf8')).name as string;
  writeFileSync(join(dir, 'day2.json'), JSON.stringify({ ...day2, name: day1Name }));
  const r = await runCli(['test', '--run', run, '--stage', 'toy_easy', '--snapshot', 'day1.json', 'day2.json', 'day3.json', 'day1.json', '--rules', 'edd'], dir);
  assert.equal(r.code, 0, r.err);
  for (const f of ['day1.json', 'day2.json', 'day3.json']) assert.match(r.out, new RegExp(`on ${f.replace('.', '\\.')} \\(`), r.out);
  const rows = JSON.parse(readFileSync(join(run, 'reports/test_results.json'), 'utf8')) as Row[];
  const labels = [...new Set(rows.map((x) => x.snapshot))];
  assert.equal(labels.length, 3, 'a file given twice is tested once');
  assert.deepEqual(labels.map((l) => l.split(' ')[0]), ['day1.json', 'day2.json', 'day3.json']);
  assert.equal(labels[0].slice(labels[0].indexOf('(')), labels[1].slice(labels[1].indexOf('(')), 'the colliding internal name is shown beside each file');
  const md = readFileSync(join(run, 'reports/test_report.md'), 'utf8');
  for (const l of labels) assert.ok(md.includes(`### ${l}`), l);
});

/** The best of two rows by the due-date objective (on-time rate, then mean days late, then makespan), ties to `a`. */
function betterRow(a: Row, b: Row): Row {
  if (b.on_time_rate !== a.on_time_rate) return b.on_time_rate > a.on_time_rate ? b : a;
  if (Math.abs(b.mean_days_late - a.mean_days_late) > 1e-9) return b.mean_days_late < a.mean_days_late ? b : a;
  return b.makespan < a.makespan - 1e-6 ? b : a;
}

test('sched test --samples: ppo_best<N> and the best rule\'s randomized best-of-N as their own rows, never worse than the one-pass rows', async () => {
  const run = copyRun();
  const r = await runCli(['test', '--run', run, '--episodes', '3', '--samples', '4', '--json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as Row[];
  const plainRules = rows.filter((x) => (BASELINE_NAMES as readonly string[]).includes(x.policy));
  const bestRule = plainRules.reduce(betterRow);
  assert.deepEqual(rows.map((x) => x.policy), ['ppo', 'ppo_best4', 'guarded', ...BASELINE_NAMES, `${bestRule.policy}_best4`]);
  // the guard takes PPO's best of 4 + 1 against the one-pass rules: per instance never below any of them on on-time rate
  const guarded = rows.find((x) => x.policy === 'guarded')!;
  for (const x of [rows[1], ...plainRules]) assert.ok(guarded.on_time_rate >= x.on_time_rate - 1e-12, `guarded vs ${x.policy}`);
  for (const x of rows) {
    assert.equal(x.episodes, 3);
    assert.equal(x.invalid_actions, 0);
    assert.equal(x.completion_rate, 1);
  }
  const row = (p: string) => rows.find((x) => x.policy === p)!;
  // per instance the best of N + 1 is never worse than the one-pass run, so neither are the means
  assert.equal(betterRow(row('ppo_best4'), row('ppo')), row('ppo_best4'), 'ppo is not better than ppo_best4');
  assert.ok(row('ppo_best4').on_time_rate >= row('ppo').on_time_rate);
  assert.equal(betterRow(row(`${bestRule.policy}_best4`), bestRule), row(`${bestRule.policy}_best4`), 'the plain rule is not better than its randomized best of 4 + 1');

  // deterministic given the seed (default 0): the same rows again, timings aside
  const again = await runCli(['test', '--run', run, '--episodes', '3', '--samples', '4', '--seed', '0', '--json']);
  const strip = (rs: Row[]) => rs.map(({ schedule_ms: _ms, ...rest }) => rest);
  assert.deepEqual(strip(JSON.parse(again.out) as Row[]), strip(rows));

  // the table, the report and the exported schedules show the sampled policy
  const t = await runCli(['test', '--run', run, '--episodes', '3', '--samples', '4', '--rules', 'edd,atc']);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^ppo_best4 +[\d.]+%\*? /m);
  assert.match(t.out, /^(edd|atc)_best4 +[\d.]+%\*? /m);
  assert.match(t.out, /With sampling \(ppo_best4, best of 4 \+ the deterministic run\), PPO (beats|trails|matches) the best baseline on on-time rate \((edd|atc), [\d.]+%\)/);
  assert.match(t.out, /At the same budget, ppo_best4 (beats|trails|matches) the randomized rule on on-time rate \((edd|atc)_best4, [\d.]+%\)/);
  const md = readFileSync(join(run, 'reports/test_report.md'), 'utf8');
  assert.match(md, /^\| ppo_best4 \|/m);
  assert.match(md, /a random conflict-set candidate at 5% of decisions/);
  const stage = loadCurriculumConfig(tiny.config).stages[1];
  const first = (await loadStageData(stage, { configSeed: 5, cwd: tiny.dir, role: 'test', evalInstances: 3 })).eval[0];
  const exp = JSON.parse(readFileSync(join(run, 'schedules/test_toy_normal_ppo_best4.json'), 'utf8'));
  assert.equal(exp.policy, 'ppo_best4');
  assert.deepEqual(scheduleFaults(first, exp), []);

  // --samples takes a positive whole number: one sentence, exit 2, nothing written
  const fresh = copyRun();
  for (const bad of ['0', '-1', '1.5', 'x']) {
    const b = await runCli(['test', '--run', fresh, '--samples', bad]);
    assert.equal(b.code, 2);
    assert.equal(b.err.trim(), `error: --samples must be a positive whole number, got "${bad}"`);
  }
  assert.equal(existsSync(join(fresh, 'reports')), false);
});

test('sched test: a missing or corrupted checkpoint, an unknown stage or rule, a slot mismatch are clear errors', async () => {
  const run = copyRun();
  renameSync(join(run, 'checkpoints/toy_normal/best'), join(run, 'checkpoints/toy_normal/moved'));
  const missing = await runCli(['test', '--run', run, '--stage', 'toy_normal']);
  assert.equal(missing.code, 6);
  assert.ok(missing.err.includes(`checkpoint ${join(run, 'checkpoints/toy_normal/best')} is missing`), missing.err);

  const bin = join(run, 'checkpoints/toy_easy/best/policy/weights.bin');
  const bytes = readFileSync(bin);
  bytes[10] ^= 0xff;
  writeFileSync(bin, bytes);
  const corrupt = await runCli(['test', '--run', run]); // toy_normal has no best: toy_easy is the latest with one
  assert.equal(corrupt.code, 6);
  assert.ok(corrupt.err.includes(`corrupted checkpoint file ${bin}`), corrupt.err);

  const empty = mkdtempSync(join(tmpdir(), 'sched-test-empty-'));
  const none = await runCli(['test', '--run', empty]);
  assert.equal(none.code, 6);
  assert.ok(none.err.includes(join(empty, 'checkpoints/training_state.json')), none.err);

  const unknown = await runCli(['test', '--run', tiny.run, '--stage', 'toy_nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown stage "toy_nope" .*its stages are toy_easy, toy_normal/);
  const rule = await runCli(['test', '--run', tiny.run, '--rules', 'edd,nope']);
  assert.equal(rule.code, 2);
  assert.match(rule.err, /unknown rule "nope"/);

  const other = join(empty, 'k16.yaml');
  writeFileSync(other, TINY_CONFIG.replace('candidate_slots: 8', 'candidate_slots: 16'));
  const k = await runCli(['test', '--run', tiny.run, '--config', other, '--stage', 'toy_easy']);
  assert.equal(k.code, 6);
  assert.match(k.err, /was trained with 8 candidate slots \(actions\), but stage toy_easy of .*k16\.yaml uses 16/);
  assert.equal(existsSync(join(tiny.run, 'reports')), false, 'failed tests write no report');
});
