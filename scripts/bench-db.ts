// Times `sched db push` and `sched ingest` (in-process) on a production-size generated-like
// snapshot (500 jobs, 145 machines) against the local MariaDB; prints the median of 3 runs.
// Usage: npx tsx scripts/bench-db.ts [jobs] [machines]
import { join } from 'node:path';
import { runCli } from '../test/helpers/cli.js';
import { createTestDb, tempDir } from '../test/db/helpers.js';
import { generatedLike, writeJson } from '../test/db/snapshots.js';

const jobs = Number(process.argv[2] ?? 500);
const machines = Number(process.argv[3] ?? 145);
const db = await createTestDb();
const tmp = tempDir();
try {
  const snap = generatedLike(1, jobs, machines);
  const tasks = (snap.jobs as { tasks: unknown[] }[]).reduce((n, j) => n + j.tasks.length, 0);
  const src = writeJson(tmp.dir, 'bench.json', snap);
  const push: number[] = [];
  const ingest: number[] = [];
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    const p = await runCli(['db', 'push', '--snapshot', src, '--mysql', db.url, '--replace']);
    push.push(performance.now() - t);
    if (p.code !== 0) throw new Error(p.err);
    t = performance.now();
    const r = await runCli(['ingest', '--mysql', db.url, '--out', join(tmp.dir, 'out.json')]);
    ingest.push(performance.now() - t);
    if (r.code !== 0) throw new Error(r.err);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1].toFixed(0);
  console.log(`${jobs} jobs, ${tasks} tasks, ${machines} machines: db push ${median(push)} ms, ingest ${median(ingest)} ms (median of 3)`);
} finally {
  await db.drop();
  tmp.remove();
}
