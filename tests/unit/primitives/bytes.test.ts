/** core/primitives/bytes.ts: hex, byte order, concatenation and comparison helpers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertBytes,
  bytesToBigIntLE,
  concatBytes,
  equalBytes,
  fromHex,
  hashToHex,
  hexToHash,
  reverseBytes,
  toHex,
} from '../../../core/primitives/bytes.js';

/** Bitcoin's genesis block id, as explorers display it. */
const GENESIS_ID = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';

describe('toHex / fromHex', () => {
  it('encodes lower-case hex', () => {
    expect(toHex(Uint8Array.of(1, 255, 0, 0xab))).toBe('01ff00ab');
    expect(toHex(new Uint8Array())).toBe('');
  });

  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array(), (bytes) => equalBytes(fromHex(toHex(bytes)), bytes)));
  });

  it('accepts upper- and mixed-case hex', () => {
    expect(fromHex('ABcd')).toEqual(Uint8Array.of(0xab, 0xcd));
  });

  it('refuses odd length, non-hex characters and non-strings, naming the argument', () => {
    expect(() => fromHex('abc', 'txid')).toThrow(TypeError);
    expect(() => fromHex('abc', 'txid')).toThrow(/txid/);
    expect(() => fromHex('zz')).toThrow(TypeError);
    expect(() => fromHex('0x00')).toThrow(TypeError);
    expect(() => fromHex(' 00')).toThrow(TypeError);
    expect(() => fromHex(12 as unknown as string)).toThrow(TypeError);
  });
});

describe('reverseBytes', () => {
  it('returns a reversed copy and leaves the input alone', () => {
    const input = Uint8Array.of(1, 2, 3);
    expect(reverseBytes(input)).toEqual(Uint8Array.of(3, 2, 1));
    expect(input).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('is an involution', () => {
    fc.assert(fc.property(fc.uint8Array(), (b) => equalBytes(reverseBytes(reverseBytes(b)), b)));
  });
});

describe('hashToHex / hexToHash (display order is byte-reversed)', () => {
  it('maps a display id to internal order with the leading zeros at the end', () => {
    const internal = hexToHash(GENESIS_ID);
    expect(internal[0]).toBe(0x6f);
    expect(internal[31]).toBe(0x00);
    expect(toHex(internal)).toBe(toHex(reverseBytes(fromHex(GENESIS_ID))));
    expect(hashToHex(internal)).toBe(GENESIS_ID);
  });

  it('round-trips any 32-byte hash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (h) =>
        equalBytes(hexToHash(hashToHex(h)), h),
      ),
    );
  });

  it('refuses anything but 64 hex digits, naming the argument', () => {
    expect(() => hexToHash('00'.repeat(31), 'prev')).toThrow(/prev must be 32 bytes/);
    expect(() => hexToHash('00'.repeat(33))).toThrow(TypeError);
    expect(() => hexToHash('g'.repeat(64))).toThrow(TypeError);
  });
});

describe('concatBytes / equalBytes', () => {
  it('concatenates in order', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(), Uint8Array.of(2, 3))).toEqual(
      Uint8Array.of(1, 2, 3),
    );
    expect(concatBytes()).toEqual(new Uint8Array());
  });

  it('agrees with hex concatenation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array()),
        (parts) => toHex(concatBytes(...parts)) === parts.map(toHex).join(''),
      ),
    );
  });

  it('compares contents and lengths', () => {
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
    fc.assert(
      fc.property(
        fc.uint8Array(),
        fc.uint8Array(),
        (a, b) => equalBytes(a, b) === (toHex(a) === toHex(b)),
      ),
    );
  });
});

describe('bytesToBigIntLE', () => {
  it('reads bytes as a little-endian number', () => {
    expect(bytesToBigIntLE(Uint8Array.of(0x01, 0x02))).toBe(0x0201n);
    expect(bytesToBigIntLE(new Uint8Array())).toBe(0n);
    expect(bytesToBigIntLE(new Uint8Array(32).fill(0xff))).toBe((1n << 256n) - 1n);
  });

  it('equals the display hex read as a big-endian number (how hashes compare to targets)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (h) => bytesToBigIntLE(h) === BigInt('0x' + hashToHex(h)),
      ),
    );
    expect(bytesToBigIntLE(hexToHash(GENESIS_ID))).toBe(BigInt('0x' + GENESIS_ID));
  });
});

describe('assertBytes', () => {
  it('passes bytes of the right length', () => {
    expect(() => assertBytes(new Uint8Array(32), 'key', 32)).not.toThrow();
    expect(() => assertBytes(new Uint8Array(5), 'data')).not.toThrow();
  });

  it('throws TypeError for non-bytes and RangeError for a wrong length, naming the argument', () => {
    expect(() => assertBytes([1, 2], 'secretKey')).toThrow(TypeError);
    expect(() => assertBytes('00', 'secretKey')).toThrow(/secretKey must be a Uint8Array/);
    expect(() => assertBytes(new Uint8Array(31), 'secretKey', 32)).toThrow(RangeError);
    expect(() => assertBytes(new Uint8Array(31), 'secretKey', 32)).toThrow(
      'secretKey must be 32 bytes, got 31',
    );
  });
});
