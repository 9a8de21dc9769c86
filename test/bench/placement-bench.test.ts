import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchPlacementStages, EXTRA_POLICIES } from '../../src/bench/placement-bench.js';
import { BASELINE_NAMES } from '../../src/baselines/index.js';
import { parseCurriculumYaml } from '../../src/config/index.js';
import { loadStageData } from '../../src/curriculum/stage-data.js';

test('the placement benchmark runs every rule and extra policy under both placements on the held-out test instances', async () => {
  const config = parseCurriculumYaml(`
seed: 3
stages:
  - { name: rush, data: { profile: small_rush }, timesteps: 16384 }
`, 'test.yaml');
  const rows = await benchPlacementStages(config, config.stages, 2, process.cwd());
  assert.equal(rows.length, (BASELINE_NAMES.length + EXTRA_POLICIES.length) * 2);
  assert.ok(rows.every((r) => r.set === 'rush' && r.instances === 2 && r.on_time_rate >= 0 && r.on_time_rate <= 1));
  const of = (policy: string, placement: string) => rows.find((r) => r.policy === policy && r.placement === placement)!;
  for (const rule of BASELINE_NAMES) assert.deepEqual({ ...of(rule, 'fill_gaps'), placement: 'append' }, of(rule, 'append'), rule);
  // the most urgent candidate regardless of the conflict set leaves gaps that appending wastes
  assert.ok(of('least_slack', 'fill_gaps').makespan < of('least_slack', 'append').makespan);
  // the instances are the ones sched test uses (role test), not the training or evaluation ones
  const test = await loadStageData(config.stages[0], { configSeed: 3, cwd: process.cwd(), role: 'test', evalInstances: 2 });
  const evalSet = await loadStageData(config.stages[0], { configSeed: 3, cwd: process.cwd(), evalInstances: 2 });
  assert.ok(test.evalSeeds.every((s) => !evalSet.evalSeeds.includes(s) && !evalSet.trainSeeds.includes(s)));
});
