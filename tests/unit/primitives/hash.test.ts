/** core/primitives/hash.ts: SHA-256d and BIP340 tagged hashes, checked against node:crypto. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, hashToHex, toHex } from '../../../core/primitives/bytes.js';
import { sha256, sha256d, taggedHash } from '../../../core/primitives/hash.js';

/** Independent reference: node's OpenSSL-backed SHA-256. */
function nodeSha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
}

/** BIP340 tagged hash computed from the spec's definition with node:crypto. */
function nodeTaggedHash(tag: string, ...data: Uint8Array[]): Uint8Array {
  const tagHash = nodeSha256(Buffer.from(tag, 'utf8'));
  return nodeSha256(tagHash, tagHash, ...data);
}

const ascii = (s: string) => new TextEncoder().encode(s);

/** Bitcoin's genesis coinbase transaction; its txid is the genesis merkle root 4a5e1e…. */
const GENESIS_COINBASE =
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff' +
  '001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e' +
  '6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104' +
  '678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51e' +
  'c112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000';

describe('sha256', () => {
  it('matches the FIPS 180-2 vectors', () => {
    expect(toHex(sha256(ascii('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(sha256(new Uint8Array()))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('agrees with node:crypto', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        (d) => toHex(sha256(d)) === toHex(nodeSha256(d)),
      ),
    );
  });
});

describe('sha256d', () => {
  it('is SHA-256 applied twice', () => {
    expect(toHex(sha256d(new Uint8Array()))).toBe(
      '5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456',
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        (d) => toHex(sha256d(d)) === toHex(nodeSha256(nodeSha256(d))),
      ),
    );
  });

  it("gives Bitcoin's genesis coinbase txid", () => {
    expect(hashToHex(sha256d(fromHex(GENESIS_COINBASE)))).toBe(
      '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b',
    );
  });
});

describe('taggedHash (BIP340)', () => {
  it('matches SHA-256(SHA-256(tag) || SHA-256(tag) || data) computed with node:crypto', () => {
    for (const tag of ['BIP0340/challenge', 'BIP0340/aux', 'BIP0340/nonce', 'Tabcoin/sighash']) {
      const data = fromHex('243f6a8885a308d313198a2e03707344a4093822299f31d0082efa98ec4e6c89');
      expect(toHex(taggedHash(tag, data))).toBe(toHex(nodeTaggedHash(tag, data)));
    }
  });

  it('agrees with node:crypto for any tag (including non-ASCII) and data', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 4 }),
        (tag, parts) => toHex(taggedHash(tag, ...parts)) === toHex(nodeTaggedHash(tag, ...parts)),
      ),
    );
  });

  it('hashes several data arguments as their concatenation', () => {
    const a = ascii('left');
    const b = ascii('right');
    expect(taggedHash('T', a, b)).toEqual(taggedHash('T', ascii('leftright')));
  });

  it('separates domains: the same data under different tags hashes differently', () => {
    const data = new Uint8Array(32);
    expect(toHex(taggedHash('BIP0340/challenge', data))).not.toBe(
      toHex(taggedHash('BIP0340/aux', data)),
    );
    expect(toHex(taggedHash('BIP0340/challenge', data))).not.toBe(toHex(sha256(data)));
  });

  it('keeps its per-tag cache separate across interleaved calls', () => {
    const d = ascii('x');
    const first = toHex(taggedHash('A', d));
    taggedHash('B', d);
    expect(toHex(taggedHash('A', d))).toBe(first);
    expect(first).toBe(toHex(nodeTaggedHash('A', d)));
  });
});
