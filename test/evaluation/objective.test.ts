import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareByObjective, describeObjective, isBetter, objectiveOf, type ObjectiveMetrics } from '../../src/evaluation/objective.js';

const m = (on_time_rate: number, mean_days_late: number, makespan: number, completion_rate = 1): ObjectiveMetrics => ({ completion_rate, on_time_rate, mean_days_late, makespan });

test('due dates: on-time rate first, then mean days late, then makespan', () => {
  // a higher on-time rate wins even when it is later on average and longer
  assert.ok(isBetter(m(0.8, 2.0, 900), m(0.79, 0.1, 500), 'due_dates'));
  assert.ok(!isBetter(m(0.79, 0.1, 500), m(0.8, 2.0, 900), 'due_dates'));
  // equal on-time rates: fewer days late wins
  assert.ok(isBetter(m(0.8, 0.5, 900), m(0.8, 0.6, 500), 'due_dates'));
  // equal on both: the shorter makespan
  assert.ok(compareByObjective(m(0.8, 0.5, 400), m(0.8, 0.5, 500), 'due_dates') < 0);
  // identical figures (up to rounding of sums) tie, and a tie is not better
  assert.equal(compareByObjective(m(0.8, 0.1 + 0.2, 500), m(0.8, 0.3, 500), 'due_dates'), 0);
  assert.ok(!isBetter(m(0.8, 0.3, 500), m(0.8, 0.3, 500), 'due_dates'));
});

test('makespan objective: the makespan alone; an incomplete schedule always loses', () => {
  assert.ok(isBetter(m(0.1, 9, 400), m(1, 0, 500), 'makespan'));
  assert.ok(!isBetter(m(1, 0, 500), m(0.1, 9, 400), 'makespan'));
  assert.equal(compareByObjective(m(1, 0, 500), m(0.2, 3, 500), 'makespan'), 0);
  assert.ok(isBetter(m(0.5, 3, 900, 1), m(1, 0, 100, 0.9), 'due_dates'));
  assert.ok(isBetter(m(0.5, 3, 900, 1), m(1, 0, 100, 0.9), 'makespan'));
});

test('the objective of an instance set, and its description', () => {
  assert.equal(objectiveOf([{ objective: 'makespan' }, { objective: 'makespan' }]), 'makespan');
  assert.equal(objectiveOf([{ objective: 'makespan' }, { objective: 'due_dates' }]), 'due_dates');
  assert.equal(objectiveOf([]), 'due_dates');
  assert.equal(describeObjective('due_dates'), 'on-time rate, then mean days late, then makespan');
  assert.equal(describeObjective('makespan'), 'makespan');
});
