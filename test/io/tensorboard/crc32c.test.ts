import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, maskCrc, maskedCrc32c } from '../../../src/io/tensorboard/crc32c.js';

const ascii = (s: string) => new TextEncoder().encode(s);

test('crc32c matches the standard Castagnoli check values', () => {
  assert.equal(crc32c(ascii('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa); // RFC 3720 B.4
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43); // RFC 3720 B.4
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(ascii('The quick brown fox jumps over the lazy dog')), 0x22620404);
});

test('crc32c of a sub-range equals the crc of the slice', () => {
  const b = ascii('xx123456789yy');
  assert.equal(crc32c(b, 2, 11), 0xe3069283);
});

test('the mask is the TFRecord rotation plus delta, and matches a real TensorFlow record', () => {
  // rotate right 15, add 0xa282ead8 (mod 2^32), computed by hand for 0x8a9136aa
  const rot = (0x8a9136aa >>> 15) + (0x8a9136aa & 0x7fff) * 2 ** 17;
  assert.equal(maskCrc(0x8a9136aa), (rot + 0xa282ead8) % 2 ** 32);
  // From a real TensorFlow event file: Event(file_version="CRC test, one two")
  assert.equal(maskedCrc32c(ascii('\x1a\x11CRC test, one two')), 0x5794d08a);
});
