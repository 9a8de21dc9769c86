import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offSpans } from '../../src/viz/calendar-spans.js';

test('breaks are placed by ISO weekday from the snapshot start; holidays are clipped to the horizon', () => {
  // hour 0 = Sunday (7) 18:00; Monday's lunch 12-13 is at hours 18-19, Tuesday's at 42-43
  const cal = { breaks: [{ weekday: 1, start: 12, end: 13 }, { weekday: 2, start: 12, end: 13 }, { weekday: 7, start: 17, end: 20 }], holidays: [{ start: 40, end: 100 }] };
  const spans = offSpans(cal, 7, 18, 48);
  assert.deepEqual(spans, [
    { start: 0, end: 2, kind: 'break' }, // Sunday 18-20, clipped at hour 0
    { start: 18, end: 19, kind: 'break' },
    { start: 40, end: 48, kind: 'holiday' },
    { start: 42, end: 43, kind: 'break' },
  ]);
});

test('a weekly break repeats every 7 days', () => {
  const spans = offSpans({ breaks: [{ weekday: 3, start: 0, end: 24 }], holidays: [] }, 1, 0, 24 * 21);
  assert.deepEqual(spans.map((s) => s.start), [48, 48 + 168, 48 + 336]);
});
