import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulator } from '../../src/env/simulator.js';
import { compileInstance } from '../../src/env/instance.js';
import { F, G, SLOT_FEATURES, obsDimFor, writeObservation } from '../../src/env/observation.js';
import { PRIORITY_RULES } from '../../src/env/priorities.js';
import { getBaseline } from '../../src/baselines/index.js';
import { Rng } from '../../src/util/rng.js';
import { stage } from '../helpers/snapshots.js';
import { randomSnapshot } from '../helpers/random-snapshot.js';
import type { Snapshot } from '../../src/data/snapshots/schema.js';

/**
 * Plays random visible slots and, at every decision, checks the guarantee of slots.ts and
 * observation.ts: every rule's pick (as src/baselines computes it) is in a visible slot, ranks 0
 * under that rule, and has ATC score 1 for ATC. Returns the decisions checked and how many had
 * a conflict set larger than K (where slot selection had to reserve the picks).
 */
function checkGuarantee(s: Snapshot, K: number, seed: number): { decisions: number; crowded: number } {
  const sim = new Simulator({ instances: [compileInstance(s)], numEnvs: 1, slots: K, variation: { durationJitter: 0.1, dueShiftHours: 12, jobKeepMin: 0.8 }, seed });
  sim.resetEnv(0);
  const obs = new Float32Array(obsDimFor(K));
  const rng = new Rng(seed);
  const ruleRng = new Rng(1);
  let decisions = 0;
  let crowded = 0;
  const col = (name: string) => SLOT_FEATURES.indexOf(name as (typeof SLOT_FEATURES)[number]);
  while (!sim.isDone(0)) {
    const fill = writeObservation(sim, 0, obs, 0, K);
    let inSet = 0;
    for (let i = 0; i < fill; i++) if (obs[G + i * F + col('in_conflict_set')] === 1) inSet++;
    if (inSet === K && sim.readyCount(0) > K) crowded++;
    for (const name of PRIORITY_RULES) {
      const p = getBaseline(name).choose(sim, 0, ruleRng);
      const slot = Array.from(sim.slotPos.subarray(0, fill)).indexOf(p);
      assert.ok(slot >= 0, `${name}'s pick (position ${p}) is not among the ${fill} visible slots at decision ${decisions}`);
      if (name !== 'greedy') assert.equal(obs[G + slot * F + col(`rank_${name}`)], 0, `${name}'s pick does not rank 0 at decision ${decisions}`);
      if (name === 'atc') assert.equal(obs[G + slot * F + col('atc_score')], 1);
    }
    for (let i = 0; i < fill; i++) {
      for (let c = 14; c < F; c++) {
        const v = obs[G + i * F + c];
        assert.ok(Number.isFinite(v) && v >= 0 && v <= 1, `slot ${i} feature ${SLOT_FEATURES[c]} = ${v}`);
      }
    }
    sim.apply(0, sim.slotPos[rng.int(fill)]);
    decisions++;
  }
  return { decisions, crowded };
}

test('with K >= 7 slots, every rule\'s pick is always visible and ranks 0 under its rule, also when the conflict set exceeds K', () => {
  const big = checkGuarantee(stage('medium_stress', 3), 8, 5);
  assert.ok(big.crowded > 50, `only ${big.crowded} crowded decisions: the reservation path was not exercised`);
  for (let seed = 0; seed < 12; seed++) {
    checkGuarantee(randomSnapshot(seed, { jobs: 4 + seed, machines: 1 + (seed % 4), calendars: seed % 2 === 0, releases: true }), 7 + (seed % 3), seed);
  }
});

test('rules keep their picks when the policy sees them through the slots: ATC by slot rank 0 reproduces the ATC rule', async () => {
  const { runSlotPolicy } = await import('../../src/env/episode.js');
  const { runBaseline } = await import('../../src/baselines/index.js');
  const s = stage('production_rush', 2);
  const atcCol = SLOT_FEATURES.indexOf('rank_atc');
  const viaSlots = runSlotPolicy(s, (obs, mask) => {
    for (let i = 0; i < mask.length && mask[i] === 1; i++) if (obs[G + i * F + atcCol] === 0 && obs[G + i * F + SLOT_FEATURES.indexOf('in_conflict_set')] === 1) return i;
    return 0;
  }, 'atc_slots');
  const rule = runBaseline(s, 'atc');
  assert.deepEqual(viaSlots.schedule.metrics, rule.schedule.metrics);
});
