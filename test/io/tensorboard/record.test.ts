import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameRecord, splitRecords } from '../../../src/io/tensorboard/record.js';
import { encodeEvent, decodeEvent } from '../../../src/io/tensorboard/event.js';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

// The first two records of a real TensorFlow 2 event file (tf.summary.scalar("accuracy",
// 0.99, step=77)), as published in TensorBoard's Rust data server tests (tf_record.rs).
const TF_RECORD_1 = {
  data: bytes([0x09, 0x00, 0x00, 0x80, 0x38, 0x99, 0xd6, 0xd7, 0x41, 0x1a, 0x0d], 'brain.Event:2'),
  header: [0x18, 0, 0, 0, 0, 0, 0, 0, 0xa3, 0x7f, 0x4b, 0x22],
  footer: [0x12, 0x4b, 0x36, 0xab],
};
const TF_RECORD_2 = {
  data: bytes(
    [0x09, 0xc4, 0x05, 0xb7, 0x3d, 0x99, 0xd6, 0xd7, 0x41, 0x10, 0x4d, 0x2a, 0x25, 0x0a, 0x23, 0x0a, 0x08],
    'accuracy',
    [0x42, 0x0a, 0x08, 0x01, 0x12, 0x00, 0x22, 0x04, 0xa4, 0x70, 0x7d, 0x3f, 0x4a, 0x0b, 0x0a, 0x09, 0x0a, 0x07],
    'scalars',
  ),
  header: [0x32, 0, 0, 0, 0, 0, 0, 0, 0x24, 0x19, 0x56, 0xec],
  footer: [0xa5, 0x5b, 0x64, 0x33],
};

test('framing reproduces real TensorFlow records byte for byte', () => {
  for (const r of [TF_RECORD_1, TF_RECORD_2]) {
    assert.deepEqual([...frameRecord(r.data)], [...r.header, ...r.data, ...r.footer]);
  }
});

test('the file_version event encodes exactly as TensorFlow wrote it', () => {
  const wallTime = new DataView(TF_RECORD_1.data.buffer, 1, 8).getFloat64(0, true);
  assert.deepEqual([...encodeEvent({ wallTime, step: 0, fileVersion: 'brain.Event:2' })], [...TF_RECORD_1.data]);
});

test('a TensorFlow 2 tensor-summary event decodes its wall time and step', () => {
  const ev = decodeEvent(TF_RECORD_2.data);
  assert.equal(ev.step, 77);
  assert.ok(ev.wallTime > 1.5e9 && ev.wallTime < 1.7e9);
  assert.deepEqual(ev.summary, []); // tensor-valued, not simple_value: skipped
});

test('splitRecords walks a real two-record file and reports offsets', () => {
  const file = Uint8Array.from([
    ...TF_RECORD_1.header, ...TF_RECORD_1.data, ...TF_RECORD_1.footer,
    ...TF_RECORD_2.header, ...TF_RECORD_2.data, ...TF_RECORD_2.footer,
  ]);
  const recs = [...splitRecords(file)];
  assert.equal(recs.length, 2);
  assert.ok(recs[0].ok && recs[1].ok);
  assert.equal(recs[1].offset, 16 + 24);
});
