import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progress, formatDuration, groupDigits, resolveProgressMode, type ProgressState } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean, columns = 200) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns, write: (s: string) => void chunks.push(s) } };
}

const state = (step: number, extra: Partial<ProgressState> = {}): ProgressState => ({
  stage: 'toy_easy', stageIndex: 0, stageCount: 4, step, total: 100_000, ...extra,
});

test('non-TTY: plain lines at most every interval, with step, fps, ETA and the last eval', () => {
  const { chunks, stream } = fakeStream(false);
  let now = 0;
  const p = new Progress({ stream, now: () => now, intervalSeconds: 10 });
  assert.equal(p.mode, 'plain');
  p.update(state(0));
  for (let i = 1; i <= 25; i++) {
    now = i * 1000; // one update per second, 1,000 steps each
    p.update(state(i * 1000, i >= 20 ? { lastEval: { step: 20_000, meanReward: 12.345, completionRate: 1, onTimeRate: 0.725 } } : {}));
  }
  assert.equal(chunks.length, 3); // t=0, t=10 s, t=20 s
  assert.ok(chunks.every((c) => c.endsWith('\n') && !c.includes('\r') && !c.includes('\x1b')));
  assert.equal(chunks[1], 'toy_easy (1/4) step 10,000/100,000 (10.0%) 1,000 fps ETA 1:30\n');
  assert.equal(chunks[2], 'toy_easy (1/4) step 20,000/100,000 (20.0%) 1,000 fps ETA 1:20 | eval@20,000 reward 12.3 done 100% on-time 73%\n');
  p.done('stage finished');
  assert.equal(chunks.length, 5); // the last state (25,000) and the message
  assert.match(chunks[3], /step 25,000\/100,000/);
  assert.equal(chunks[4], 'stage finished\n');
});

test('non-TTY: a stage change prints at once and restarts the fps measurement', () => {
  const { chunks, stream } = fakeStream(false);
  let now = 0;
  const p = new Progress({ stream, now: () => now, intervalSeconds: 60 });
  p.update(state(0));
  now = 5000;
  p.update(state(5000));
  p.update({ stage: 'toy_normal', stageIndex: 1, stageCount: 4, step: 0, total: 50_000 });
  assert.equal(chunks.length, 2);
  assert.equal(chunks[1], 'toy_normal (2/4) step 0/50,000 (0.0%) - fps ETA ?\n');
  now = 65_000;
  p.update({ stage: 'toy_normal', stageIndex: 1, stageCount: 4, step: 30_000, total: 50_000, fps: 400 });
  assert.equal(chunks[2], 'toy_normal (2/4) step 30,000/50,000 (60.0%) 400 fps ETA 0:50\n');
});

test('TTY: one line redrawn in place, and printed lines go above it', () => {
  const { chunks, stream } = fakeStream(true, 80);
  let now = 0;
  const p = new Progress({ stream, now: () => now, mode: 'bar', redrawMs: 100 });
  p.update(state(0));
  now = 50;
  p.update(state(100)); // throttled
  now = 2000;
  p.update(state(50_000));
  assert.equal(chunks.length, 2);
  for (const c of chunks) {
    assert.ok(c.startsWith('\r') && c.endsWith('\x1b[K') && !c.includes('\n'));
    assert.ok(c.length - 4 <= 79, 'fits the terminal width');
  }
  assert.match(chunks[1], /toy_easy \(1\/4\) \[#{10}-{10}\]  50% 50,000\/100,000 25,000 fps ETA 0:02/);
  p.print('info  eval done');
  assert.equal(chunks[2], '\r\x1b[Kinfo  eval done\n');
  assert.match(chunks[3], /^\rtoy_easy/); // bar redrawn below
  p.done();
  assert.equal(chunks.at(-1), '\n');
});

test('silent mode prints nothing; auto picks plain without a TTY or under CI', () => {
  const { chunks, stream } = fakeStream(true);
  const p = new Progress({ stream, mode: 'silent' });
  p.update(state(1));
  p.print('x');
  p.done('y');
  assert.equal(chunks.length, 0);
  assert.equal(resolveProgressMode('auto', { isTTY: true, write() {} }, {}), 'bar');
  assert.equal(resolveProgressMode('auto', { isTTY: true, write() {} }, { CI: 'true' }), 'plain');
  assert.equal(resolveProgressMode('auto', { isTTY: false, write() {} }, {}), 'plain');
});

test('number and duration formatting', () => {
  assert.equal(groupDigits(1234567), '1,234,567');
  assert.equal(groupDigits(999), '999');
  assert.equal(formatDuration(42), '0:42');
  assert.equal(formatDuration(3 * 3600 + 2 * 60 + 9), '3:02:09');
  assert.equal(formatDuration(Infinity), '?');
});
