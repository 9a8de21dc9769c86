// Median time to generate (and to serialize + validate) one instance per profile: `nice -n 0 node --import tsx scripts/bench-generator.ts`.
import { getProfile } from '../src/data/snapshots/profiles.js';
import { generateSnapshot } from '../src/data/snapshots/generator.js';
import { serializeSnapshot } from '../src/data/snapshots/serialize.js';
import { parseSnapshot } from '../src/data/snapshots/load.js';
console.log('| profile | jobs | machines | generate ms (median of 25) | serialize + parse + validate ms |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const name of ['toy_easy', 'medium_normal', 'production_expert']) {
  const p = getProfile(name);
  for (let i = 0; i < 20; i++) generateSnapshot(p, i);
  const g: number[] = [], v: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now(); const f = generateSnapshot(p, 100 + i); const t1 = performance.now();
    parseSnapshot(JSON.parse(serializeSnapshot(f))); const t2 = performance.now();
    g.push(t1 - t0); v.push(t2 - t1);
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1].toFixed(2);
   console.log(`| ${name} | ${p.jobs} | ${p.machines} | ${med(g)} | ${med(v)} |`);
}
