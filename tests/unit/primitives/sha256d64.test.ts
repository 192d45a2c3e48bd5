/** core/primitives/sha256d64.ts: the merkle node hash against @noble/hashes' double SHA-256. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../core/primitives/bytes.js';
import { sha256d } from '../../../core/primitives/hash.js';
import { sha256d64 } from '../../../core/primitives/sha256d64.js';

const hashOf = (input: Uint8Array): Uint8Array => {
  const out = new Uint8Array(32);
  sha256d64(input, 0, out, 0);
  return out;
};

describe('sha256d64', () => {
  it('gives the double SHA-256 of known inputs (computed with Python hashlib)', () => {
    expect(toHex(hashOf(new Uint8Array(64)))).toBe(
      'e2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9',
    );
    expect(toHex(hashOf(Uint8Array.from({ length: 64 }, (_, i) => i)))).toBe(
      '01c9f464780a1b6af4eb400fe2f2896cfb2169f5a65701439e4c2c4e213903ef',
    );
  });

  it('agrees with sha256(sha256(x)) on arbitrary 64-byte inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (input) => {
        expect(hashOf(input)).toEqual(sha256d(input));
      }),
      { numRuns: 300 },
    );
  });

  it('reads and writes at offsets, and may write over its own input', () => {
    const buffer = Uint8Array.from({ length: 160 }, (_, i) => (i * 37 + 11) & 0xff);
    const input = buffer.slice(40, 104);
    const expected = sha256d(input);
    const out = new Uint8Array(50);
    sha256d64(buffer, 40, out, 9);
    expect(out.subarray(9, 41)).toEqual(expected);
    expect(out.subarray(0, 9)).toEqual(new Uint8Array(9));
    // In place: the digest lands on the first half of the bytes it was taken from.
    sha256d64(buffer, 40, buffer, 40);
    expect(buffer.subarray(40, 72)).toEqual(expected);
  });

  it('refuses ranges outside its arrays', () => {
    const bytes = new Uint8Array(64);
    expect(() => sha256d64(bytes, 1, new Uint8Array(32), 0)).toThrow(RangeError);
    expect(() => sha256d64(bytes, 0, new Uint8Array(31), 0)).toThrow(RangeError);
    expect(() => sha256d64(bytes, -1, new Uint8Array(32), 0)).toThrow(RangeError);
  });
});
