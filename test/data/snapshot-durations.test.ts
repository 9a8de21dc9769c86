import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSnapshot, toSnapshotFile } from '../../src/data/snapshots/load.js';
import { SchedError } from '../../src/errors.js';

const snap = (task: Record<string, unknown>) => ({
  objective: 'makespan',
  machines: [{ id: 'M1', type: 'a' }, { id: 'M2', type: 'a' }],
  jobs: [{ id: 'J1', tasks: [{ id: 'J1.1', seq: 1, duration: 3, ...task }] }],
});

test('per-machine durations load, round-trip, and are checked against machines', () => {
  const s = parseSnapshot(snap({ machines: ['M1', 'M2'], durations: [3, 5] }));
  assert.deepEqual(s.jobs[0].tasks[0].durations, [3, 5]);
  assert.deepEqual(parseSnapshot(toSnapshotFile(s)).jobs[0].tasks[0].durations, [3, 5]);
  assert.equal(parseSnapshot(snap({ machines: ['M1'] })).jobs[0].tasks[0].durations, undefined);
  const problems = (task: Record<string, unknown>) => {
    try {
      parseSnapshot(snap(task), 'x.json');
    } catch (err) {
      assert.ok(err instanceof SchedError);
      return err.details.join('\n');
    }
    assert.fail('expected a refusal');
  };
  assert.match(problems({ machines: ['M1', 'M2'], durations: [3] }), /jobs\[0\]\.tasks\[0\]\.durations: expected 2 durations \(one per machine\), got 1/);
  assert.match(problems({ machines: ['M1', 'M2'], durations: [3, 0] }), /jobs\[0\]\.tasks\[0\]\.durations\[1\]: must be a positive number of hours, got 0/);
  assert.match(problems({ requiresAll: ['M1', 'M2'], durations: [3, 4] }), /durations: per-machine durations need "machines"/);
});
