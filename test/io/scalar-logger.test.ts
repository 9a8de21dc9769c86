import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScalarLogger, type ScalarDump, type ScalarWriter } from '../../src/io/scalar-logger.js';
import { JsonLinesScalarWriter, readScalarsJsonl } from '../../src/io/scalar-writers/jsonl-writer.js';
import { TensorBoardScalarWriter } from '../../src/io/scalar-writers/tensorboard-writer.js';
import { HumanScalarWriter, formatValue } from '../../src/io/scalar-writers/human-writer.js';
import { listEventFiles, readEvents, readEventDir } from '../../src/io/tensorboard/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'sched-scalars-'));

class MemoryWriter implements ScalarWriter {
  dumps: ScalarDump[] = [];
  closed = false;
  constructor(readonly name: string) {}
  write(d: ScalarDump) {
    this.dumps.push({ ...d, values: new Map(d.values) });
  }
  close() {
    this.closed = true;
  }
}

test('record overwrites, recordMean averages, dump fans out and clears', () => {
  const a = new MemoryWriter('a');
  const b = new MemoryWriter('b');
  let now = 1_700_000_000_000;
  const log = new ScalarLogger([a, b], { stage: 'toy_easy', now: () => now });
  log.record('train/loss', 1);
  log.record('train/loss', 2);
  for (const v of [1, 2, 3, 10]) log.recordMean('rollout/ep_rew_mean', v);
  log.record('time/fps', 900, { exclude: ['b'] });
  log.dump(2048);
  assert.equal(a.dumps.length, 1);
  assert.deepEqual(a.dumps[0], {
    stage: 'toy_easy', step: 2048, wall: 1_700_000_000,
    values: new Map([['train/loss', 2], ['rollout/ep_rew_mean', 4], ['time/fps', 900]]),
  });
  assert.deepEqual([...b.dumps[0].values.keys()], ['train/loss', 'rollout/ep_rew_mean']);
  assert.equal(log.last('rollout/ep_rew_mean')?.value, 4);

  log.dump(4096); // nothing recorded since: no dump
  assert.equal(a.dumps.length, 1);
  log.setStage('toy_normal');
  now += 5000;
  log.recordMean('rollout/ep_rew_mean', 7);
  log.dump(4096);
  assert.deepEqual(a.dumps[1], { stage: 'toy_normal', step: 4096, wall: 1_700_000_005, values: new Map([['rollout/ep_rew_mean', 7]]) });
  assert.deepEqual(b.dumps[1].values, new Map([['rollout/ep_rew_mean', 7]])); // exclusion was for one dump only
  log.close();
  assert.ok(a.closed && b.closed);
});

test('the JSON-lines writer writes one line per scalar with stage, step, tag, value, wall', () => {
  const dir = tmp();
  const path = join(dir, 'logs', 'scalars.jsonl');
  let now = 1_700_000_000_000;
  const log = new ScalarLogger([new JsonLinesScalarWriter(path)], { stage: 'toy_easy', now: () => now });
  log.record('train/loss', 0.5);
  log.record('train/value_loss', NaN);
  log.dump(2048);
  now += 1500;
  log.setStage('toy_hard');
  log.record('eval/on_time_rate', 0.75);
  log.dump(4096);
  log.close();
  assert.equal(
    readFileSync(path, 'utf8'),
    '{"stage":"toy_easy","step":2048,"tag":"train/loss","value":0.5,"wall":1700000000}\n' +
      '{"stage":"toy_easy","step":2048,"tag":"train/value_loss","value":null,"wall":1700000000}\n' +
      '{"stage":"toy_hard","step":4096,"tag":"eval/on_time_rate","value":0.75,"wall":1700000001.5}\n',
  );
  assert.equal(readScalarsJsonl(path).length, 3);
});

test('reading scalars.jsonl skips a cut last line, refuses a bad middle line, and drops replayed steps', () => {
  const path = join(tmp(), 'scalars.jsonl');
  const line = (step: number, value: number) => JSON.stringify({ stage: 's', step, tag: 't', value, wall: 1 }) + '\n';
  // steps 1..3 written, killed, resumed from the checkpoint at step 2: 2 and 3 are written again
  writeFileSync(path, line(1, 1) + line(2, 2) + line(3, 3) + line(2, 20) + line(3, 30) + line(4, 40));
  appendFileSync(path, '{"stage":"s","step":5,"ta');
  assert.deepEqual(readScalarsJsonl(path).map((r) => [r.step, r.value]), [[1, 1], [2, 20], [3, 30], [4, 40]]);
  writeFileSync(path, line(1, 1) + 'garbage\n' + line(2, 2));
  assert.throws(() => readScalarsJsonl(path), /scalars\.jsonl: line 2 is not a scalar record/);
});

test('the TensorBoard writer puts each stage in its own folder with CRC-valid events', () => {
  const root = join(tmp(), 'tensorboard');
  const log = new ScalarLogger([new TensorBoardScalarWriter(root, { fsync: false })], { stage: 'toy_easy' });
  log.record('rollout/ep_rew_mean', 3.5);
  log.record('train/approx_kl', 0.01);
  log.dump(2048);
  log.setStage('toy_normal');
  log.record('rollout/ep_rew_mean', 5);
  log.dump(4096);
  log.record('rollout/ep_rew_mean', 5.5);
  log.dump(8192); // written after the checkpoint at 6144, then the run is killed
  log.close();
  const easy = readEventDir(join(root, 'toy_easy'));
  assert.deepEqual(easy.map((e) => [e.step, e.tag, e.value]), [[2048, 'rollout/ep_rew_mean', 3.5], [2048, 'train/approx_kl', Math.fround(0.01)]]);
  assert.deepEqual(readEventDir(join(root, 'toy_normal')).map((e) => e.step), [4096, 8192]);

  // a resume writes a new file in the stage folder, whose session start is the checkpoint step
  const resumed = new ScalarLogger([new TensorBoardScalarWriter(root, { fsync: false, resumeStep: 6144 })], { stage: 'toy_normal' });
  resumed.record('rollout/ep_rew_mean', 6);
  resumed.dump(8192);
  resumed.close();
  const files = listEventFiles(join(root, 'toy_normal')).map((f) => readEvents(f));
  assert.equal(files.length, 2);
  assert.deepEqual(files.map((f) => f.sessionStarts), [[4096], [6144]]); // a fresh file: its first step
  assert.deepEqual(files.map((f) => f.scalars.map((s) => s.step)), [[4096, 8192], [8192]]);
});

test('the human writer prints an SB3-style table grouped by prefix', () => {
  let text = '';
  const log = new ScalarLogger([new HumanScalarWriter((t) => (text += t))], { stage: 'toy_easy' });
  log.record('train/loss', 0.123456);
  log.record('rollout/ep_len_mean', 42);
  log.record('train/approx_kl', 0.0000123);
  log.dump(2048);
  assert.equal(
    text,
    [
      '------------------------------',
      '| stage           | toy_easy |',
      '| step            | 2048     |',
      '| rollout/        |          |',
      '|     ep_len_mean | 42       |',
      '| train/          |          |',
      '|     approx_kl   | 1.23e-5  |',
      '|     loss        | 0.1235   |',
      '------------------------------',
      '',
    ].join('\n'),
  );
  assert.equal(formatValue(1e9), '1e+9');
});
