import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedule } from '../../src/ppo/schedules.js';
import { SchedError } from '../../src/errors.js';

test('constant and linear schedules follow progress_remaining like RL Zoo', () => {
  const c = parseSchedule(3e-4);
  assert.equal(c(1), 3e-4);
  assert.equal(c(0), 3e-4);
  assert.equal(c.source, 3e-4);
  const l = parseSchedule('lin_3e-4');
  assert.equal(l(1), 3e-4);
  assert.ok(Math.abs(l(0.5) - 1.5e-4) < 1e-12);
  assert.equal(l(0), 0);
  assert.equal(l.source, 'lin_3e-4');
  assert.ok(Math.abs(parseSchedule('lin_0.2')(0.25) - 0.05) < 1e-12);
  assert.equal(parseSchedule('0.001')(0.3), 0.001);
});

test('a bad schedule string is a CONFIG error quoting the value and its path', () => {
  for (const bad of ['lin_', 'linear_3e-4', 'lin_abc', '', 'fast']) {
    assert.throws(
      () => parseSchedule(bad, 'stages[1].ppo.learning_rate'),
      (e: unknown) => e instanceof SchedError && e.code === 'CONFIG' && e.message.includes('stages[1].ppo.learning_rate') && e.message.includes(JSON.stringify(bad)),
    );
  }
  assert.throws(() => parseSchedule(Number.NaN), (e: unknown) => e instanceof SchedError && e.code === 'CONFIG');
});
