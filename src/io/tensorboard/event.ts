/**
 * The TensorBoard `Event` protobuf (tensorflow/core/util/event.proto) and the parts of
 * `Summary` (tensorflow/core/framework/summary.proto) that scalars use, encoded by hand:
 *
 *   Event      { double wall_time = 1; int64 step = 2; string file_version = 3;
 *                Summary summary = 5; SessionLog session_log = 6; }
 *   Summary    { repeated Value value = 1; }
 *   Value      { string tag = 1; float simple_value = 2; }
 *   SessionLog { SessionStatus status = 1; }   // START = 1
 *
 * Like protobuf's proto3 serializer, zero `wall_time`/`step` and empty tags are omitted;
 * `simple_value` is in a oneof, so it is always written (even 0).
 */
import { ProtoWriter, readFields, decodeString, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './protobuf.js';

export const FILE_VERSION = 'brain.Event:2';
export const SESSION_START = 1;

export interface ScalarValue {
  tag: string;
  value: number;
}

/** An Event as far as sched writes and reads it. Unknown fields are skipped on decode. */
export interface TbEvent {
  wallTime: number;
  /** int64; exact up to 2^53 (9.0e15 timesteps). */
  step: number;
  fileVersion?: string;
  summary?: ScalarValue[];
  sessionLog?: { status: number };
}

export function encodeEvent(ev: TbEvent): Uint8Array {
  const w = new ProtoWriter();
  if (ev.wallTime !== 0) w.double(1, ev.wallTime);
  if (ev.step !== 0) w.int64(2, ev.step);
  if (ev.fileVersion !== undefined) w.string(3, ev.fileVersion);
  if (ev.summary !== undefined) w.bytes(5, encodeSummary(ev.summary));
  if (ev.sessionLog !== undefined) {
    const s = new ProtoWriter();
    if (ev.sessionLog.status !== 0) s.int64(1, ev.sessionLog.status);
    w.bytes(6, s.finish());
  }
  return w.finish();
}

export function encodeSummary(values: readonly ScalarValue[]): Uint8Array {
  const w = new ProtoWriter();
  for (const v of values) {
    const value = new ProtoWriter();
    if (v.tag !== '') value.string(1, v.tag);
    value.float(2, v.value);
    w.bytes(1, value.finish());
  }
  return w.finish();
}

/** Decodes one Event; throws (plain Error) on malformed bytes, the caller adds the location. */
export function decodeEvent(bytes: Uint8Array): TbEvent {
  const ev: TbEvent = { wallTime: 0, step: 0 };
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wire === WIRE_FIXED64) ev.wallTime = f.value.getFloat64(0, true);
    else if (f.field === 2 && f.wire === WIRE_VARINT) ev.step = Number(BigInt.asIntN(64, f.value));
    else if (f.field === 3 && f.wire === WIRE_LEN) ev.fileVersion = decodeString(f.value);
    else if (f.field === 5 && f.wire === WIRE_LEN) ev.summary = [...(ev.summary ?? []), ...decodeSummary(f.value)];
    else if (f.field === 6 && f.wire === WIRE_LEN) {
      let status = 0;
      for (const s of readFields(f.value)) if (s.field === 1 && s.wire === WIRE_VARINT) status = Number(s.value);
      ev.sessionLog = { status };
    }
  }
  return ev;
}

/** The scalar values of a Summary; values of other kinds (images, tensors) are skipped. */
export function decodeSummary(bytes: Uint8Array): ScalarValue[] {
  const out: ScalarValue[] = [];
  for (const f of readFields(bytes)) {
    if (f.field !== 1 || f.wire !== WIRE_LEN) continue;
    let tag = '';
    let value: number | undefined;
    for (const v of readFields(f.value)) {
      if (v.field === 1 && v.wire === WIRE_LEN) tag = decodeString(v.value);
      else if (v.field === 2 && v.wire === WIRE_FIXED32) value = v.value.getFloat32(0, true);
    }
    if (value !== undefined) out.push({ tag, value });
  }
  return out;
}
