import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importInstance, type ImportFormat } from '../../src/data/snapshots/import.js';
import { parseSnapshot } from '../../src/data/snapshots/load.js';
import { SchedError } from '../../src/errors.js';

const fixture = (f: string) => readFileSync(new URL(`../fixtures/${f}`, import.meta.url), 'utf8');

// ft06 (Fisher & Thompson): machines 0-based and times per job
const FT06_MACHINES = [[2, 0, 1, 3, 5, 4], [1, 2, 4, 5, 0, 3], [2, 3, 5, 0, 1, 4], [1, 0, 2, 3, 4, 5], [2, 1, 4, 5, 0, 3], [1, 3, 5, 0, 4, 2]];
const FT06_TIMES = [[1, 3, 6, 7, 3, 6], [8, 5, 10, 10, 10, 4], [5, 4, 8, 9, 1, 7], [5, 5, 5, 3, 8, 9], [9, 3, 5, 4, 3, 1], [3, 3, 9, 10, 4, 1]];

function refused(text: string, format: ImportFormat, source: string): string {
  try {
    importInstance(text, format, source);
  } catch (err) {
    assert.ok(err instanceof SchedError);
    assert.equal(err.code, 'DATA');
    return err.message;
  }
  assert.fail('expected the instance to be refused');
}

test('ft06 in the standard format: 6 jobs x 6 tasks on M0..M5 with the right times', () => {
  const s = parseSnapshot(importInstance(fixture('ft06.txt'), 'taillard', 'test/fixtures/ft06.txt'));
  assert.equal(s.name, 'ft06');
  assert.equal(s.objective, 'makespan');
  assert.deepEqual(s.machines.map((m) => m.id), ['M0', 'M1', 'M2', 'M3', 'M4', 'M5']);
  assert.equal(s.jobs.length, 6);
  s.jobs.forEach((j, i) => {
    assert.equal(j.id, `J${i + 1}`);
    assert.equal(j.due, null);
    assert.deepEqual(j.tasks.map((t) => t.id), [1, 2, 3, 4, 5, 6].map((k) => `J${i + 1}.${k}`));
    assert.deepEqual(j.tasks.map((t) => t.seq), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(j.tasks.map((t) => t.machines), FT06_MACHINES[i].map((m) => [`M${m}`]));
    assert.deepEqual(j.tasks.map((t) => t.duration), FT06_TIMES[i]);
  });
});

test("ft06 in Taillard's original layout (Times/Machines, 1-based) gives the same jobs", () => {
  const a = importInstance(fixture('ft06.txt'), 'taillard', 'ft06.txt');
  const b = importInstance(fixture('ft06-taillard.txt'), 'taillard', 'ft06.txt');
  assert.deepEqual(b.jobs, a.jobs);
  assert.deepEqual(b.machines, a.machines);
  assert.equal(b.meta!.upperBound, 55);
});

test('Brandimarte Mk01: 10 jobs, machines M1..M6, alternatives with per-machine times', () => {
  const s = parseSnapshot(importInstance(fixture('mk01.fjs'), 'brandimarte', 'mk01.fjs'));
  assert.equal(s.jobs.length, 10);
  assert.deepEqual(s.machines.map((m) => m.id), ['M1', 'M2', 'M3', 'M4', 'M5', 'M6']);
  assert.deepEqual(s.jobs.map((j) => j.tasks.length), [6, 5, 5, 5, 6, 6, 5, 5, 6, 6]);
  assert.equal(s.jobs.reduce((n, j) => n + j.tasks.length, 0), 55);
  // job 1, operation 1: "2 1 5 3 4" -> M1 5 h or M3 4 h
  const t = s.jobs[0].tasks[0];
  assert.equal(t.id, 'J1.1');
  assert.deepEqual(t.machines, ['M1', 'M3']);
  assert.deepEqual(t.durations, [5, 4]);
  assert.equal(t.duration, 4);
  // job 2, operation 1: "1 2 6" -> only M2, 6 h, no per-machine list
  assert.deepEqual(s.jobs[1].tasks[0].machines, ['M2']);
  assert.equal(s.jobs[1].tasks[0].duration, 6);
  assert.equal(s.jobs[1].tasks[0].durations, undefined);
});

test('bad Taillard files are refused with the line and what was expected', () => {
  const lines = fixture('ft06.txt').split('\n');
  const short = [...lines];
  short[3] = short[3].replace(/\s+\d+\s*$/, ''); // drop the last time of job 1 (file line 4)
  assert.equal(refused(short.join('\n'), 'taillard', 'ft06.txt'), 'ft06.txt line 4: expected 12 numbers (6 pairs machine time), got 11');
  const badMachine = [...lines];
  badMachine[4] = badMachine[4].replace(/^ 1/, ' 6');
  assert.equal(refused(badMachine.join('\n'), 'taillard', 'ft06.txt'), 'ft06.txt line 5: operation 1: machine 6 is not one of 0..5');
  const word = [...lines];
  word[5] = word[5].replace(' 5', ' x');
  assert.match(refused(word.join('\n'), 'taillard', 'ft06.txt'), /^ft06\.txt line 6: "x" is not a number$/);
  assert.match(refused(lines.slice(0, 6).join('\n'), 'taillard', 'ft06.txt'), /^ft06\.txt: the file ends after line 6; expected 6 job lines after the header, found 3$/);
  assert.match(refused('6\n', 'taillard', 'a.txt'), /^a\.txt line 1: expected 2 numbers "n m"/);
  assert.match(refused('# nothing\n', 'taillard', 'a.txt'), /^a\.txt: empty file/);
  assert.match(refused(lines.join('\n') + '\n1 2 3\n', 'taillard', 'ft06.txt'), /^ft06\.txt line 11: expected the end of the file after 6 job lines/);
  const zero = [...lines];
  zero[3] = zero[3].replace(/^ 2  1/, ' 2  0');
  assert.match(refused(zero.join('\n'), 'taillard', 'ft06.txt'), /^ft06\.txt line 4: operation 1: processing time must be > 0, got 0$/);
  const sections = fixture('ft06-taillard.txt').split('\n');
  sections[12] = ' 3  1  2  4  6  9';
  assert.equal(refused(sections.join('\n'), 'taillard', 't.txt'), 't.txt line 13: operation 6: machine 9 is not one of 1..6');
});

test('bad Brandimarte files are refused with the line and what was expected', () => {
  const lines = fixture('mk01.fjs').split('\n');
  const cut = [...lines];
  cut[2] = ' 5  1 2 6 1 3 1 1 1 2 2 2 6 4 6 3 6 5 2 6 1'; // last pair incomplete
  assert.equal(refused(cut.join('\n'), 'brandimarte', 'mk01.fjs'), 'mk01.fjs line 3: operation 5: expected 3 pairs machine time (6 numbers), got 5');
  const extra = [...lines];
  extra[2] = lines[2] + ' 7';
  assert.equal(refused(extra.join('\n'), 'brandimarte', 'mk01.fjs'), 'mk01.fjs line 3: expected 22 numbers for 5 operations, got 23');
  const range = [...lines];
  range[1] = range[1].replace(/^ 6  2 1 5/, ' 6  2 7 5');
  assert.equal(refused(range.join('\n'), 'brandimarte', 'mk01.fjs'), 'mk01.fjs line 2: operation 1: machine 7 is not one of 1..6');
  const twice = [...lines];
  twice[1] = twice[1].replace(/^ 6  2 1 5 3 4/, ' 6  2 1 5 1 4');
  assert.equal(refused(twice.join('\n'), 'brandimarte', 'mk01.fjs'), 'mk01.fjs line 2: operation 1: machine 1 is listed twice');
  assert.match(refused(lines.slice(0, 4).join('\n'), 'brandimarte', 'mk01.fjs'), /^mk01\.fjs: the file ends after line 4; expected 10 job lines after the header, found 3$/);
  assert.match(refused('10 6 2 9\n', 'brandimarte', 'mk01.fjs'), /^mk01\.fjs line 1: expected 2 or 3 numbers/);
});
