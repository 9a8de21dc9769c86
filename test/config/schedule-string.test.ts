import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScheduleValue, formatSchedule } from '../../src/config/schedule-string.js';

test('schedule strings: constants and lin_ schedules', () => {
  assert.deepEqual(parseScheduleValue(3e-4), { ok: true, spec: { kind: 'constant', value: 3e-4 } });
  assert.deepEqual(parseScheduleValue('lin_3e-4'), { ok: true, spec: { kind: 'linear', value: 3e-4 } });
  assert.deepEqual(parseScheduleValue('lin_0.2'), { ok: true, spec: { kind: 'linear', value: 0.2 } });
  assert.deepEqual(parseScheduleValue('1e-5'), { ok: true, spec: { kind: 'constant', value: 1e-5 } });
  assert.deepEqual(parseScheduleValue('lin_.5'), { ok: true, spec: { kind: 'linear', value: 0.5 } });
  assert.equal(formatSchedule({ kind: 'linear', value: 3e-4 }), 'lin_0.0003');
});

test('schedule strings: refused values say what would be right', () => {
  for (const bad of ['lin3e-4', 'lin_', 'lin_abc', 'exp_0.1', '', '0', -1, 0, NaN, Infinity, true, null, 'lin_-1', '1e400']) {
    const r = parseScheduleValue(bad);
    assert.equal(r.ok, false, `accepted ${String(bad)}`);
    assert.match((r as { message: string }).message, /^expected a positive number or "lin_<number>" \(e\.g\. 3e-4 or "lin_3e-4"\), got /);
  }
});
