/**
 * The few protobuf wire-format pieces the TensorBoard event files need, by hand: varints
 * (wire type 0), 64-bit (1), length-delimited (2) and 32-bit (5) fields.
 * Spec: https://protobuf.dev/programming-guides/encoding/
 */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** Appends protobuf fields to a growing byte buffer. */
export class ProtoWriter {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** An unsigned varint; negative int64 values are written as their 64-bit two's complement. */
  varint(value: number | bigint): this {
    let v = typeof value === 'bigint' ? BigInt.asUintN(64, value) : value;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new RangeError(`varint: ${v} is not a safe integer`);
      if (v < 0) v = BigInt.asUintN(64, BigInt(v));
    }
    this.ensure(10);
    if (typeof v === 'number') {
      // arithmetic, not bitwise: values above 2^31 must not wrap
      while (v >= 0x80) {
        this.buf[this.len++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      this.buf[this.len++] = v;
    } else {
      while (v >= 0x80n) {
        this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.buf[this.len++] = Number(v);
    }
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  double(field: number, value: number): this {
    this.tag(field, WIRE_FIXED64).ensure(8);
    this.view.setFloat64(this.len, value, true);
    this.len += 8;
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32).ensure(4);
    this.view.setFloat32(this.len, value, true);
    this.len += 4;
    return this;
  }

  int64(field: number, value: number | bigint): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_LEN).varint(data.length).ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  string(field: number, text: string): this {
    return this.bytes(field, textEncoder.encode(text));
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** One decoded field: its number, wire type and value (varints as bigint, LEN as a view). */
export type ProtoField =
  | { field: number; wire: typeof WIRE_VARINT; value: bigint }
  | { field: number; wire: typeof WIRE_FIXED64; value: DataView }
  | { field: number; wire: typeof WIRE_LEN; value: Uint8Array }
  | { field: number; wire: typeof WIRE_FIXED32; value: DataView };

/** Iterates the fields of one message; throws on malformed or truncated input. */
export function* readFields(bytes: Uint8Array): Generator<ProtoField> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const b = bytes[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('varint longer than 10 bytes');
    }
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > bytes.length) throw new Error(`field runs past the end of the message (${n} bytes at offset ${pos})`);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const view = (n: number): DataView => {
    const b = take(n);
    return new DataView(b.buffer, b.byteOffset, n);
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new Error('field number 0');
    if (wire === WIRE_VARINT) yield { field, wire, value: varint() };
    else if (wire === WIRE_FIXED64) yield { field, wire, value: view(8) };
    else if (wire === WIRE_LEN) yield { field, wire, value: take(Number(varint())) };
    else if (wire === WIRE_FIXED32) yield { field, wire, value: view(4) };
    else throw new Error(`unsupported wire type ${wire} for field ${field}`);
  }
}

export function decodeString(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}
