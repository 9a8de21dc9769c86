import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { EventWriter, readEvents, readEventDir, listEventFiles } from '../../../src/io/tensorboard/index.js';
import { SchedError } from '../../../src/errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'sched-tb-'));

// --- an independent encoder, written from the format description only -----------------------

/** Bit-by-bit CRC32C (no table), reflected polynomial 0x82F63B78. */
function bitCrc32c(data: number[]): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const masked = (data: number[]) => {
  const c = bitCrc32c(data);
  return Number((BigInt(((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8n) % 2n ** 32n);
};
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u64le = (n: number) => [...u32le(n % 2 ** 32), ...u32le(Math.floor(n / 2 ** 32))];
const f64le = (x: number) => { const b = Buffer.alloc(8); b.writeDoubleLE(x); return [...b]; };
const f32le = (x: number) => { const b = Buffer.alloc(4); b.writeFloatLE(x); return [...b]; };
const ascii = (s: string) => [...Buffer.from(s, 'utf8')];
function varint(n: bigint): number[] {
  const out: number[] = [];
  do {
    const low = Number(n & 127n);
    n >>= 7n;
    out.push(n > 0n ? low | 128 : low);
  } while (n > 0n);
  return out;
}
function tfrecord(data: number[]): number[] {
  const len = u64le(data.length);
  return [...len, ...u32le(masked(len)), ...data, ...u32le(masked(data))];
}
/** Event{wall_time, step, summary{value{tag, simple_value}}} by hand. */
function scalarEventBytes(wall: number, step: bigint, tag: string, value: number): number[] {
  const val = [0x0a, ...varint(BigInt(ascii(tag).length)), ...ascii(tag), 0x15, ...f32le(value)];
  const summary = [0x0a, ...varint(BigInt(val.length)), ...val];
  return [0x09, ...f64le(wall), 0x10, ...varint(step), 0x2a, ...varint(BigInt(summary.length)), ...summary];
}

test('the independent CRC agrees with the published check values', () => {
  assert.equal(bitCrc32c(ascii('123456789')), 0xe3069283);
  assert.equal(bitCrc32c(new Array(32).fill(0)), 0x8a9136aa);
});

// ---------------------------------------------------------------------------------------------

test('a written file is byte for byte the independently built records', () => {
  const dir = tmp();
  const w = new EventWriter(dir, { now: () => 1_700_000_000_500, hostname: 'host', pid: 42, fsync: false });
  w.addSessionStart(2048, 1_700_000_001);
  w.addScalar('rollout/ep_rew_mean', 12.5, 2048, 1_700_000_001.25);
  w.addScalar('train/loss', -0.125, 5_000_000_000, 1_700_000_002);
  w.close();

  assert.match(basename(w.path), /^events\.out\.tfevents\.1700000000\.host\.42\.\d+$/);
  const fileVersion = [0x09, ...f64le(1_700_000_000.5), 0x1a, 13, ...ascii('brain.Event:2')];
  const expected = [
    ...tfrecord(fileVersion),
    // Event{wall_time, step, session_log (field 6) {status (field 1) = START (1)}}
    ...tfrecord([0x09, ...f64le(1_700_000_001), 0x10, ...varint(2048n), 0x32, 2, 0x08, 1]),
    ...tfrecord(scalarEventBytes(1_700_000_001.25, 2048n, 'rollout/ep_rew_mean', 12.5)),
    ...tfrecord(scalarEventBytes(1_700_000_002, 5_000_000_000n, 'train/loss', -0.125)),
  ];
  assert.deepEqual([...readFileSync(w.path)], expected);
});

test('many scalars round-trip with their tags, steps, float32 values and wall times', () => {
  const dir = tmp();
  let clock = 1_600_000_000_000;
  const w = new EventWriter(dir, { now: () => clock, fsync: false, maxPendingBytes: 512 });
  const tags = ['rollout/ep_rew_mean', 'train/approx_kl', 'eval/on_time_rate', 'time/fps'];
  const want: { step: number; tag: string; value: number }[] = [];
  for (let i = 0; i < 2000; i++) {
    const tag = tags[i % tags.length];
    const value = Math.sin(i) * 10 ** ((i % 7) - 3);
    const step = i * 2048;
    clock += 10;
    w.addScalar(tag, value, step);
    want.push({ step, tag, value: Math.fround(value) });
  }
  w.addScalar('zero', 0, 0);
  want.push({ step: 0, tag: 'zero', value: 0 });
  w.close();
  const got = readEvents(w.path);
  assert.equal(got.fileVersion, 'brain.Event:2');
  assert.equal(got.fileVersionWallTime, 1_600_000_000);
  assert.equal(got.records, 2002);
  assert.equal(got.truncatedAt, null);
  assert.deepEqual(got.scalars.map(({ step, tag, value }) => ({ step, tag, value })), want);
  assert.equal(got.scalars[0].wallTime, 1_600_000_000.01);
});

test('int64 steps above 2^32 and near 2^53 round-trip exactly', () => {
  const dir = tmp();
  const w = new EventWriter(dir, { fsync: false });
  const steps = [2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 123_456_789_012, Number.MAX_SAFE_INTEGER];
  for (const s of steps) w.addScalar('s', 1, s);
  w.close();
  assert.deepEqual(readEvents(w.path).scalars.map((e) => e.step), steps);
  assert.throws(() => new EventWriter(dir, { fsync: false }).addScalar('s', 1, 2 ** 53), RangeError);
});

test('a flipped byte anywhere is reported with the file and the record offset', () => {
  const dir = tmp();
  const w = new EventWriter(dir, { fsync: false });
  for (let i = 0; i < 5; i++) w.addScalar('train/loss', i, i * 100);
  w.close();
  const good = readFileSync(w.path);
  const firstLen = Number(good.readBigUInt64LE(0)) + 16;
  const secondLen = Number(good.readBigUInt64LE(firstLen)) + 16;
  const thirdStart = firstLen + secondLen;
  // in the data of the third record, then in its length field
  for (const [pos, what] of [[thirdStart + 14, 'data CRC mismatch'], [thirdStart + 2, 'length CRC mismatch']] as const) {
    const bad = Buffer.from(good);
    bad[pos] ^= 0x10;
    writeFileSync(w.path, bad);
    assert.throws(
      () => readEvents(w.path),
      (err: unknown) =>
        err instanceof SchedError && err.code === 'IO' && err.message.includes(w.path) &&
        err.message.includes(what) && err.message.includes(`byte offset ${thirdStart}`),
    );
  }
});

test('a truncated tail throws by default and is skipped when allowed', () => {
  const dir = tmp();
  const w = new EventWriter(dir, { fsync: false });
  for (let i = 0; i < 3; i++) w.addScalar('a', i, i);
  w.close();
  const full = readFileSync(w.path);
  const size = full.length;
  const afterVersion = Number(full.readBigUInt64LE(0)) + 16; // only the file_version record, then 5 bytes
  for (const cut of [1, 5, 14, size - afterVersion - 5]) {
    writeFileSync(w.path, full.subarray(0, size - cut));
    assert.throws(() => readEvents(w.path), (err: unknown) => err instanceof SchedError && /: truncated the record at byte offset \d+ \(/.test(err.message));
    const got = readEvents(w.path, { allowTruncatedTail: true });
    assert.ok(got.truncatedAt !== null && got.truncatedAt < size - cut);
    assert.deepEqual(got.scalars.map((s) => s.value), cut === size - afterVersion - 5 ? [] : [0, 1]);
  }
});

test('a kill before flush loses only the unflushed tail; a resumed writer starts a new file', () => {
  const dir = tmp();
  const w = new EventWriter(dir, { fsync: false });
  w.addScalar('a', 1, 10);
  w.flush();
  w.addScalar('a', 2, 20); // pending, never flushed (as if killed now)
  assert.deepEqual(readEvents(w.path).scalars.map((s) => s.step), [10]);

  const resumed = new EventWriter(dir, { fsync: false });
  resumed.addSessionStart(10);
  resumed.addScalar('a', 3, 20);
  resumed.close();
  assert.notEqual(resumed.path, w.path);
  assert.equal(listEventFiles(dir).length, 2);
  assert.deepEqual(readEvents(resumed.path).sessionStarts, [10]);
  assert.deepEqual(readEventDir(dir).map((s) => [s.step, s.value]), [[10, 1], [20, 3]]);
  assert.equal(readdirSync(dir).filter((n) => n.startsWith('events.out.tfevents.')).length, 2);
});

test('writing after close and reading a missing file are clear errors', () => {
  const dir = tmp();
  const w = new EventWriter(dir, { fsync: false });
  w.close();
  w.close(); // idempotent
  assert.throws(() => w.addScalar('a', 1, 1), /already closed/);
  assert.throws(() => readEvents(join(dir, 'nope')), /cannot read TensorBoard events file .*nope: no such file/);
  truncateSync(w.path, 0);
  assert.equal(readEvents(w.path).records, 0);
});

test('event files are listed in name order with numbers compared as numbers', () => {
  const dir = tmp();
  for (const n of ['events.out.tfevents.1700000001.h.5.10', 'events.out.tfevents.1700000001.h.5.9', 'events.out.tfevents.1700000000.h.7.11', 'other.txt']) {
    writeFileSync(join(dir, n), '');
  }
  assert.deepEqual(listEventFiles(dir).map((p) => basename(p)), [
    'events.out.tfevents.1700000000.h.7.11',
    'events.out.tfevents.1700000001.h.5.9',
    'events.out.tfevents.1700000001.h.5.10',
  ]);
});
