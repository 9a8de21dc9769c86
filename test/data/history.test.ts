import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitHistory } from '../../src/data/snapshots/history.js';
import { globFiles } from '../../src/io/glob.js';

function folder(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sched-split-'));
  for (const n of names) {
    mkdirSync(join(dir, n, '..'), { recursive: true });
    writeFileSync(join(dir, n), '{}');
  }
  return dir;
}

test('globFiles: wildcards in any segment, natural order, hidden files and folders left out', () => {
  const dir = folder(['h/day2.json', 'h/day10.json', 'h/day1.json', 'h/.day3.json', 'h/notes.txt', 'h/sub/day4.json', 'old/day5.json']);
  assert.deepEqual(globFiles('h/*.json', dir), ['h/day1.json', 'h/day2.json', 'h/day10.json']);
  assert.deepEqual(globFiles('*/day?.json', dir), ['h/day1.json', 'h/day2.json', 'old/day5.json']);
  assert.deepEqual(globFiles('h/day[12].json', dir), ['h/day1.json', 'h/day2.json']);
  assert.deepEqual(globFiles('h/day10.json', dir), ['h/day10.json']);
  assert.deepEqual(globFiles('h/nope.json', dir), []);
  assert.deepEqual(globFiles(join(dir, 'h/sub/*.json'), '/'), [join(dir, 'h/sub/day4.json')]);
});

test('splitHistory: the newest files by name are test then eval; listed files leave the training pool', () => {
  const dir = folder(['h/day1.json', 'h/day2.json', 'h/day3.json', 'h/day10.json', 'extra/e.json']);
  const abs = (n: string) => join(dir, n);
  const a = splitHistory({ snapshots: 'h/*.json', eval: 1, test: 2 }, dir);
  assert.deepEqual(a.split, {
    rule: 'test: the 2 newest files; eval: the next newest file; train: the other 1 (newest = last in natural order of the file path)',
    train: [abs('h/day1.json')],
    eval: [abs('h/day2.json')],
    test: [abs('h/day3.json'), abs('h/day10.json')],
  });
  const b = splitHistory({ snapshots: ['h/*.json'], eval: ['h/day1.json'], test: ['extra/e.json'] }, dir);
  assert.deepEqual(b.split?.train, [abs('h/day2.json'), abs('h/day3.json'), abs('h/day10.json')]);
  assert.deepEqual(b.split?.test, [abs('extra/e.json')]);
  assert.equal(b.split?.rule, 'test: the 1 listed; eval: the 1 listed; train: the other 3 (newest = last in natural order of the file path)');
  const c = splitHistory({ snapshots: 'h/*.json', eval: 2, test: 2 }, dir);
  assert.equal(c.split, null);
  assert.deepEqual(c.problems, [{ key: ['snapshots'], message: '4 files matched; the held-out split needs 5 or more so that at least one is left to train on' }]);
});
