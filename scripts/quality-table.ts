/**
 * BENCHMARKS.md's schedule-quality table from `sched test --json` rows (reports/test_results.json):
 * per stage the policy, the sampled policy (if tested with --samples), the best rule per KPI, greedy,
 * and whether the policy is at least as good as the best rule on both KPIs.
 * Usage: node --import tsx scripts/quality-table.ts RUN/reports/test_results.json
 */
import { readFileSync } from 'node:fs';

interface Row { stage: string; policy: string; on_time_rate: number; mean_days_late: number; makespan: number }
const rows: Row[] = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const stages = [...new Set(rows.map((r) => r.stage))];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const RULES = ['random', 'fifo', 'edd', 'spt', 'lpt', 'mwkr', 'cr', 'atc', 'greedy'];
console.log('| stage | PPO on time | sampled | best rule on time | greedy | PPO days late | sampled | best rule days late | greedy | PPO >= best rule on both |');
console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | --- |');
let wins = 0;
let winsSampled = 0;
for (const s of stages) {
  const of = (p: string) => rows.find((r) => r.stage === s && r.policy === p);
  const rules = rows.filter((r) => r.stage === s && RULES.includes(r.policy));
  const onBest = rules.reduce((b, r) => (r.on_time_rate > b.on_time_rate + 1e-9 ? r : b));
  const lateBest = rules.reduce((b, r) => (r.mean_days_late < b.mean_days_late - 1e-9 ? r : b));
  const ppo = of('ppo')!;
  const sampled = rows.find((r) => r.stage === s && /^ppo_best\d+$/.test(r.policy));
  const greedy = of('greedy')!;
  const ok = (r: Row | undefined) => r !== undefined && r.on_time_rate >= onBest.on_time_rate - 1e-9 && r.mean_days_late <= lateBest.mean_days_late + 1e-9;
  if (ok(ppo)) wins++;
  if (ok(sampled)) winsSampled++;
  console.log(
    `| ${s} | ${pct(ppo.on_time_rate)} | ${sampled ? pct(sampled.on_time_rate) : '-'} | ${onBest.policy} ${pct(onBest.on_time_rate)} | ${pct(greedy.on_time_rate)} | ${ppo.mean_days_late.toFixed(2)} | ${sampled ? sampled.mean_days_late.toFixed(2) : '-'} | ${lateBest.policy} ${lateBest.mean_days_late.toFixed(2)} | ${greedy.mean_days_late.toFixed(2)} | ${ok(ppo) ? 'yes' : 'no'}${sampled ? ` / sampled ${ok(sampled) ? 'yes' : 'no'}` : ''} |`,
  );
}
console.log(`\nPPO at least as good as the best rule on both KPIs: ${wins} of ${stages.length} stages${winsSampled ? `; sampled: ${winsSampled}` : ''}`);
