import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestByObjective, compareByObjective, describeObjective, type ObjectiveMetrics } from '../../src/env/objective.js';

const m = (on_time_rate: number, mean_days_late: number, makespan: number): ObjectiveMetrics => ({ on_time_rate, mean_days_late, makespan });

test('due dates: on-time rate first, then mean days late, then makespan', () => {
  // a higher on-time rate wins even when it is later on average and longer
  assert.ok(compareByObjective(m(0.8, 2.0, 900), m(0.79, 0.1, 500), 'due_dates') < 0);
  assert.ok(compareByObjective(m(0.79, 0.1, 500), m(0.8, 2.0, 900), 'due_dates') > 0);
  // equal on-time rates: fewer days late wins; equal on both: the shorter makespan
  assert.ok(compareByObjective(m(0.8, 0.5, 900), m(0.8, 0.6, 500), 'due_dates') < 0);
  assert.ok(compareByObjective(m(0.8, 0.5, 400), m(0.8, 0.5, 500), 'due_dates') < 0);
  // the same figures summed in another order tie
  assert.equal(compareByObjective(m(0.8, 0.1 + 0.2, 500), m(0.8, 0.3, 500), 'due_dates'), 0);
});

test('makespan objective: the makespan alone; the best of a list is the first of equals', () => {
  assert.ok(compareByObjective(m(0.1, 9, 400), m(1, 0, 500), 'makespan') < 0);
  assert.equal(compareByObjective(m(1, 0, 500), m(0.2, 3, 500), 'makespan'), 0);
  const list = [m(0.5, 1, 500), m(0.7, 2, 600), m(0.7, 2, 600), m(0.6, 0, 100)];
  assert.equal(bestByObjective(list, (x) => x, 'due_dates'), 1);
  assert.equal(bestByObjective(list, (x) => x, 'makespan'), 3);
  assert.equal(describeObjective('due_dates'), 'on-time rate, then mean days late, then makespan');
  assert.equal(describeObjective('makespan'), 'makespan');
});
