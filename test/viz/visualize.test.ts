import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeRunFolder, scalarLines, snapshotAndSchedule, testResults, trainingState } from './fixtures.js';
import { isOpaque, pngStats } from './png.js';

const EXPECTED = {
  'toy_easy_progress.png': [1200, 600],
  'toy_normal_progress.png': [1200, 600],
  'toy_hard_progress.png': [1200, 600],
  'curriculum_overview.png': [1400, 650],
  'ppo_vs_baselines.png': [1200, 844],
  'ppo_vs_baselines_toy_normal.png': [1200, 844],
  'gantt_edd_fixture_small.png': [1400, 460],
} as const;

test('sched visualize renders every chart of a full run folder, readable PNGs, and a report linking them', async () => {
  const dir = makeRunFolder('full');
  const res = await runCli(['visualize', '--run', dir]);
  assert.equal(res.code, 0, res.err);
  const outDir = join(dir, 'visualizations');
  const files = readdirSync(outDir).sort();
  assert.deepEqual(files, [...Object.keys(EXPECTED), 'training_report.md'].sort());
  assert.ok(!files.some((f) => f.endsWith('.tmp')), 'no temporary files left behind');
  for (const f of files) assert.ok(res.out.includes(f), `the output lists ${f}`);

  for (const [file, [w, h]] of Object.entries(EXPECTED)) {
    const s = await pngStats(join(outDir, file));
    assert.deepEqual([s.width, s.height], [w, h], `${file} size`);
    assert.ok(s.colors > 40, `${file} has ${s.colors} distinct colours: not a real picture`);
    assert.ok(s.nonWhite > 0.02 && s.nonWhite < 0.9, `${file}: ${(s.nonWhite * 100).toFixed(1)}% non-white pixels`);
    assert.ok(await isOpaque(join(outDir, file)), `${file} has a white (opaque) background`);
  }

  const report = readFileSync(join(outDir, 'training_report.md'), 'utf8');
  const links = [...report.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual([...links].sort(), Object.keys(EXPECTED).sort(), 'the report embeds every chart, once');
  for (const l of links) assert.ok(existsSync(join(outDir, l)), `${l} exists next to the report`);
  // key figures: stage table from the training state, the baselines table, early advance
  assert.match(report, /\| toy_easy \| done \| 0 – 61\.4k \| 61\.4k \| 98\.0% \| 80\.0% \| 0\.50 \| 50\.0 \| 700 \| yes \|/);
  assert.match(report, /\| toy_hard \| running \|/);
  assert.match(report, /\| \*\*PPO\*\* \|/);
  for (const p of ['greedy', 'edd', 'atc', 'cr', 'mwkr', 'spt', 'lpt', 'fifo', 'random']) assert.match(report, new RegExp(`\\| ${p} \\|`));
  assert.match(report, /PPO beats the best baseline on on-time rate/);
  assert.doesNotMatch(report, /Missing inputs/);
});

test('a truncated last line of scalars.jsonl is skipped with a warning, the charts are still drawn', async () => {
  const lines = scalarLines();
  const text = lines.join('\n') + '\n' + lines[0].slice(0, 25); // killed mid-write
  const dir = makeRunFolder({ scalars: text, state: trainingState() });
  const res = await runCli(['visualize', '--run', dir]);
  assert.equal(res.code, 0, res.err);
  assert.match(res.err, /skipped the truncated last line \d+/);
  const s = await pngStats(join(dir, 'visualizations', 'curriculum_overview.png'));
  assert.ok(s.colors > 40);
  const report = readFileSync(join(dir, 'visualizations', 'training_report.md'), 'utf8');
  assert.match(report, /reports\/test_results\.json` not found: no PPO-vs-baselines chart/);
  assert.match(report, /schedules\/\*\.json` not found: no Gantt chart/);
  assert.match(report, /truncated last line/);
});

test('an empty run folder is one clear IO error naming the folder and the missing file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-viz-empty-'));
  const res = await runCli(['visualize', '--run', dir]);
  assert.equal(res.code, 5);
  assert.equal(res.out, '');
  assert.equal(res.err.trim().split('\n').length, 1, res.err);
  assert.ok(res.err.includes(dir), 'names the folder');
  assert.match(res.err, /^error: nothing to plot in run folder .*logs\/scalars\.jsonl is missing/);
  assert.ok(!existsSync(join(dir, 'visualizations')), 'writes nothing');
});

test('a run folder that does not exist is an IO error', async () => {
  const res = await runCli(['visualize', '--run', join(tmpdir(), 'no-such-run-folder-xyz')]);
  assert.equal(res.code, 5);
  assert.match(res.err, /^error: run folder .*no-such-run-folder-xyz does not exist/);
});

test('without training_state.json the stage boundaries come from the scalars; a bad test_results.json is a warning', async () => {
  const dir = makeRunFolder({ scalars: scalarLines() });
  const bad = testResults().map((r, i) => (i === 3 ? { ...r, on_time_rate: 'high' } : r));
  mkdirSync(join(dir, 'reports'));
  writeFileSync(join(dir, 'reports', 'test_results.json'), JSON.stringify(bad));
  const res = await runCli(['visualize', '--run', dir]);
  assert.equal(res.code, 0, res.err);
  assert.match(res.err, /warning: .*test_results\.json is not a valid test results list \(1 problem\): \[3\]\.on_time_rate: /);
  const files = readdirSync(join(dir, 'visualizations'));
  assert.ok(files.includes('toy_hard_progress.png'));
  assert.ok(!files.some((f) => f.startsWith('ppo_vs_baselines')));
  const report = readFileSync(join(dir, 'visualizations', 'training_report.md'), 'utf8');
  assert.match(report, /\| toy_normal \| unknown \| 61\.4k – 159\.7k \|/);
  assert.match(report, /training_state\.json` not found: stage boundaries derived from the scalars/);
});

test('only a schedule export: the Gantt chart alone, shaded from --snapshot', async () => {
  const { snapshot, schedule } = snapshotAndSchedule();
  const dir = makeRunFolder({ schedule });
  const snapFile = join(dir, 'plant.json');
  writeFileSync(snapFile, JSON.stringify(snapshot));
  const res = await runCli(['visualize', '--run', dir, '--snapshot', snapFile]);
  assert.equal(res.code, 0, res.err);
  const report = readFileSync(join(dir, 'visualizations', 'training_report.md'), 'utf8');
  assert.match(report, /!\[Gantt chart of fixture_small by edd\]\(gantt_edd_fixture_small\.png\)/);
  assert.match(report, /7 late/);
  assert.doesNotMatch(report, /breaks not shaded/);
  assert.match(report, /logs\/scalars\.jsonl` not found/);

  const bad = await runCli(['visualize', '--run', dir, '--max-machines', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--max-machines must be a positive integer, got "0"/);
});
