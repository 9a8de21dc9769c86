/**
 * TFRecord framing (tensorflow/core/lib/io/record_writer.cc): each record is
 *   uint64 length (little-endian) | uint32 masked CRC32C of the 8 length bytes |
 *   data[length] | uint32 masked CRC32C of the data
 */
import { maskedCrc32c } from './crc32c.js';

export const RECORD_OVERHEAD = 16;

/** Frames `data` as one TFRecord. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + RECORD_OVERHEAD);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out, 0, 8), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

export type RecordProblem = 'truncated' | 'length-crc' | 'data-crc';

/** One parsed record (or the problem that stopped parsing) at byte `offset` of the file. */
export type RecordResult =
  | { ok: true; offset: number; data: Uint8Array }
  | { ok: false; offset: number; problem: RecordProblem; detail: string };

/** Splits a whole file into records, checking both CRCs; stops at the first problem. */
export function* splitRecords(bytes: Uint8Array): Generator<RecordResult> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    const offset = pos;
    if (bytes.length - pos < 12) {
      yield { ok: false, offset, problem: 'truncated', detail: `${bytes.length - pos} bytes left, a record header needs 12` };
      return;
    }
    const lenCrc = view.getUint32(pos + 8, true);
    const expectLenCrc = maskedCrc32c(bytes, pos, pos + 8);
    if (lenCrc !== expectLenCrc) {
      yield { ok: false, offset, problem: 'length-crc', detail: `length CRC ${hex(lenCrc)} != computed ${hex(expectLenCrc)}` };
      return;
    }
    const len = view.getBigUint64(pos, true);
    const left = BigInt(bytes.length - pos - RECORD_OVERHEAD);
    if (len > left) {
      yield { ok: false, offset, problem: 'truncated', detail: `record of ${len} bytes but only ${left < 0n ? 0n : left} left` };
      return;
    }
    const n = Number(len);
    const start = pos + 12;
    const dataCrc = view.getUint32(start + n, true);
    const expectDataCrc = maskedCrc32c(bytes, start, start + n);
    if (dataCrc !== expectDataCrc) {
      yield { ok: false, offset, problem: 'data-crc', detail: `data CRC ${hex(dataCrc)} != computed ${hex(expectDataCrc)}` };
      return;
    }
    yield { ok: true, offset, data: bytes.subarray(start, start + n) };
    pos = start + n + 4;
  }
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
