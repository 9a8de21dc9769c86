// Schedule quality with and without gap filling (BENCHMARKS.md, "Placement"):
//   nice -n 0 node --import tsx scripts/bench-placement.ts [stage,stage,...] [episodes]
// Every rule and the extra policies of src/bench/placement-bench.ts, on each stage's held-out
// test instances of configs/curriculum.yaml (as `sched test` derives them), then the
// makespan on the job-shop fixtures (test/fixtures/ft06.txt, mk01.fjs) and on seeded
// Taillard-like random job shops.
import { readFileSync } from 'node:fs';
import { loadCurriculumConfig, resolveStage } from '../src/config/index.js';
import { importInstance } from '../src/data/snapshots/import.js';
import { parseSnapshot } from '../src/data/snapshots/load.js';
import { benchPlacementStages, placementRows, type PlacementBenchRow } from '../src/bench/placement-bench.js';
import { Rng } from '../src/util/rng.js';

const stageNames = (process.argv[2] ?? 'toy_hard,small_rush,small_complex,medium_normal,medium_stress,large_advanced,production_warmup,production_rush,production_heavy,production_expert').split(',');
const episodes = Number(process.argv[3] ?? 8);
const config = loadCurriculumConfig('configs/curriculum.yaml');
const rows = await benchPlacementStages(config, stageNames.map((n) => resolveStage(config, n)), episodes, process.cwd());
const shops = [
  parseSnapshot(importInstance(readFileSync('test/fixtures/ft06.txt', 'utf8'), 'taillard', 'ft06')),
  parseSnapshot(importInstance(readFileSync('test/fixtures/mk01.fjs', 'utf8'), 'brandimarte', 'mk01')),
];
for (const s of shops) rows.push(...placementRows(s.name, [s], {}));
// Taillard-like random job shops (Taillard 1993): n jobs x m machines, each job visits every
// machine once in a random order, times uniform in 1..99; seeds 1..5.
function taillardLike(seed: number, n: number, m: number): string {
  const rng = new Rng(seed);
  const lines = [`${n} ${m}`];
  for (let j = 0; j < n; j++) {
    const order = Array.from({ length: m }, (_, i) => i);
    rng.shuffle(order);
    lines.push(order.map((k) => `${k} ${rng.intBetween(1, 99)}`).join(' '));
  }
  return lines.join('\n');
}
for (const [n, m] of [[15, 15], [20, 15]]) {
  const set = Array.from({ length: 5 }, (_, i) => parseSnapshot(importInstance(taillardLike(i + 1, n, m), 'taillard', `ta_like_${n}x${m}_${i + 1}`)));
  rows.push(...placementRows(`${n}x${m} job shops (5)`, set, {}));
}

const pairs = new Map<string, { a: PlacementBenchRow; g: PlacementBenchRow }>();
for (const r of rows) {
  const k = `${r.set}|${r.policy}`;
  const p = pairs.get(k) ?? ({} as { a: PlacementBenchRow; g: PlacementBenchRow });
  if (r.placement === 'append') p.a = r;
  else p.g = r;
  pairs.set(k, p);
}
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log('| set | policy | on time append | on time fill_gaps | days late append | days late fill_gaps | makespan append | makespan fill_gaps |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const { a, g } of pairs.values()) {
  console.log(`| ${a.set} | ${a.policy} | ${pct(a.on_time_rate)} | ${pct(g.on_time_rate)} | ${a.mean_days_late.toFixed(2)} | ${g.mean_days_late.toFixed(2)} | ${a.makespan.toFixed(1)} | ${g.makespan.toFixed(1)} |`);
}
