import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readScalars, readTrainingState, readScheduleExport } from '../../src/viz/inputs.js';
import { SchedError } from '../../src/errors.js';

const tmp = (name: string, text: string) => {
  const p = join(mkdtempSync(join(tmpdir(), 'sched-inputs-')), name);
  writeFileSync(p, text);
  return p;
};

test('readScalars keeps valid lines, names malformed ones and the truncated last one', () => {
  const ok = (step: number) => JSON.stringify({ stage: 's', step, tag: 't', value: 1, wall: 1 });
  const p = tmp('scalars.jsonl', [ok(1), '{oops', JSON.stringify({ stage: 's', step: -3, tag: 't', value: 1 }), ok(2), '', ok(3).slice(0, 20)].join('\n'));
  const { records, warnings } = readScalars(p);
  assert.deepEqual(records.map((r) => r.step), [1, 2]);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /skipped the truncated last line 6/);
  assert.match(warnings[1], /skipped 2 malformed lines \(line 2: not valid JSON; line 3: step: /);
});

test('a bad training state is a DATA error listing each problem with its path', () => {
  const p = tmp('training_state.json', JSON.stringify({ globalStep: 5, stages: [{ name: 'a', status: 'finished' }] }));
  assert.throws(() => readTrainingState(p), (e: unknown) => {
    assert.ok(e instanceof SchedError && e.code === 'DATA');
    assert.match(e.message, /training_state\.json is not a valid training state \(1 problem\)/);
    assert.match(e.details[0], /^stages\[0\]\.status: /);
    return true;
  });
  const trunc = tmp('training_state.json', '{"globalStep": 5, "stages": [');
  assert.throws(() => readTrainingState(trunc), /is not valid JSON: unexpected end of file at line 1/);
});

test('a schedule export is validated: every assignment needs machines', () => {
  const p = tmp('s.json', JSON.stringify({ snapshot: 'x', policy: 'edd', metrics: {}, assignments: [{ job: 'J1', task: 'T1', machines: [], start: 0, end: 1 }] }));
  assert.throws(() => readScheduleExport(p), (e: unknown) => e instanceof SchedError && /assignments\[0\]\.machines/.test(e.details[0]));
});
