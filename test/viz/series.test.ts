import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriesByStage, stageSpans, bestPoint, percentFactor } from '../../src/viz/series.js';
import type { ScalarRecord, TrainingState } from '../../src/viz/inputs.js';

const rec = (stage: string, step: number, value: number, tag = 'rollout/ep_rew_mean'): ScalarRecord => ({ stage, step, tag, value, wall: 0 });

test('a resumed run that logs earlier steps again replaces the orphaned points from that step on', () => {
  const records = [rec('a', 1000, 1), rec('a', 2000, 2), rec('a', 3000, 3), rec('a', 2000, 20), rec('a', 3000, 30), rec('a', 4000, 40)];
  const pts = seriesByStage(records).get('a')!.get('rollout/ep_rew_mean')!;
  assert.deepEqual(pts, [{ x: 1000, y: 1 }, { x: 2000, y: 20 }, { x: 3000, y: 30 }, { x: 4000, y: 40 }]);
});

test('stage spans come from the scalars when there is no training state, in step order', () => {
  const series = seriesByStage([rec('second', 3000, 1), rec('first', 1000, 1), rec('first', 2000, 1), rec('second', 5000, 1)]);
  const spans = stageSpans(series, null);
  assert.deepEqual(spans.map((s) => [s.name, s.start, s.end, s.source, s.status]), [
    ['first', 0, 2000, 'scalars', 'unknown'],
    ['second', 2000, 5000, 'scalars', 'unknown'],
  ]);
});

test('stage spans follow the training state; pending stages without steps are left out; a running stage ends at globalStep', () => {
  const series = seriesByStage([rec('a', 2048, 1), rec('a', 10_000, 1), rec('b', 12_000, 1), rec('b', 14_000, 1)]);
  const state: TrainingState = {
    globalStep: 15_000,
    stages: [
      { name: 'a', status: 'done', startStep: 0, endStep: 10_240, bestEval: { on_time_rate: 0.7 }, advancedEarly: true },
      { name: 'b', status: 'running', startStep: 10_240, endStep: null, bestEval: null, advancedEarly: false },
      { name: 'c', status: 'pending', startStep: null, endStep: null, bestEval: null, advancedEarly: false },
    ],
  };
  const spans = stageSpans(series, state);
  assert.deepEqual(spans.map((s) => [s.name, s.start, s.end, s.status, s.advancedEarly]), [
    ['a', 0, 10_240, 'done', true],
    ['b', 10_240, 15_000, 'running', false],
  ]);
  assert.deepEqual(spans[0].bestEval, { on_time_rate: 0.7 });
});

test('bestPoint picks the max, or the min for lower-is-better metrics; percentFactor detects fractions', () => {
  const pts = [{ x: 1, y: 3 }, { x: 2, y: 1 }, { x: 3, y: 2 }];
  assert.deepEqual(bestPoint(pts), { x: 1, y: 3 });
  assert.deepEqual(bestPoint(pts, true), { x: 2, y: 1 });
  assert.equal(bestPoint([]), null);
  assert.equal(percentFactor([{ x: 0, y: 0.5 }, { x: 1, y: 1 }]), 100);
  assert.equal(percentFactor([{ x: 0, y: 50 }]), 1);
});
