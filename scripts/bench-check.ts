// Time to check a schedule vs to build it (edd, stretch), alternating, median of 9 per snapshot: `node --import tsx scripts/bench-check.ts`.
import { join } from 'node:path';
import { runBaseline } from '../src/baselines/index.js';
import { loadSnapshotFile } from '../src/data/snapshots/load.js';
import { checkSchedule } from '../src/evaluation/check.js';
console.log('| snapshot | tasks | build (edd) ms | check ms | check / build |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const name of ['edge_case_long_tasks_holidays', 'snapshot_normal', 'snapshot_multi_heavy', 'snapshot_heavy']) {
  const s = loadSnapshotFile(join(import.meta.dirname, '../snapshots', `${name}.json`));
  const exp = runBaseline(s, 'edd').schedule;
  for (let i = 0; i < 3; i++) checkSchedule(s, runBaseline(s, 'edd').schedule); // warm-up
  const build: number[] = [], check: number[] = [], ratio: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now(); runBaseline(s, 'edd'); const t1 = performance.now();
    checkSchedule(s, exp); const t2 = performance.now();
    build.push(t1 - t0); check.push(t2 - t1); ratio.push((t2 - t1) / (t1 - t0));
  }
  const med = (a: number[], d: number) => a.sort((x, y) => x - y)[a.length >> 1].toFixed(d);
  console.log(`| ${name} | ${exp.assignments.length} | ${med(build, 1)} | ${med(check, 1)} | ${med(ratio, 2)} |`);
}
