/**
 * core/primitives/siphash.ts: SipHash-2-4 against the 64 reference vectors of the SipHash paper
 * (key 00 01 … 0f, messages 00 01 … of length 0–63), and against a straightforward bigint
 * implementation of the paper's definition on random keys and messages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/primitives/bytes.js';
import { sipKey, siphash24, siphash24Halves } from '../../../core/primitives/siphash.js';

const PAPER_VECTORS = [
  0x726fdb47dd0e0e31n,
  0x74f839c593dc67fdn,
  0x0d6c8009d9a94f5an,
  0x85676696d7fb7e2dn,
  0xcf2794e0277187b7n,
  0x18765564cd99a68dn,
  0xcbc9466e58fee3cen,
  0xab0200f58b01d137n,
  0x93f5f5799a932462n,
  0x9e0082df0ba9e4b0n,
  0x7a5dbbc594ddb9f3n,
  0xf4b32f46226bada7n,
  0x751e8fbc860ee5fbn,
  0x14ea5627c0843d90n,
  0xf723ca908e7af2een,
  0xa129ca6149be45e5n,
  0x3f2acc7f57c29bdbn,
  0x699ae9f52cbe4794n,
  0x4bc1b3f0968dd39cn,
  0xbb6dc91da77961bdn,
  0xbed65cf21aa2ee98n,
  0xd0f2cbb02e3b67c7n,
  0x93536795e3a33e88n,
  0xa80c038ccd5ccec8n,
  0xb8ad50c6f649af94n,
  0xbce192de8a85b8ean,
  0x17d835b85bbb15f3n,
  0x2f2e6163076bcfadn,
  0xde4daaaca71dc9a5n,
  0xa6a2506687956571n,
  0xad87a3535c49ef28n,
  0x32d892fad841c342n,
  0x7127512f72f27ccen,
  0xa7f32346f95978e3n,
  0x12e0b01abb051238n,
  0x15e034d40fa197aen,
  0x314dffbe0815a3b4n,
  0x027990f029623981n,
  0xcadcd4e59ef40c4dn,
  0x9abfd8766a33735cn,
  0x0e3ea96b5304a7d0n,
  0xad0c42d6fc585992n,
  0x187306c89bc215a9n,
  0xd4a60abcf3792b95n,
  0xf935451de4f21df2n,
  0xa9538f0419755787n,
  0xdb9acddff56ca510n,
  0xd06c98cd5c0975ebn,
  0xe612a3cb9ecba951n,
  0xc766e62cfcadaf96n,
  0xee64435a9752fe72n,
  0xa192d576b245165an,
  0x0a8787bf8ecb74b2n,
  0x81b3e73d20b49b6fn,
  0x7fa8220ba3b2ecean,
  0x245731c13ca42499n,
  0xb78dbfaf3a8d83bdn,
  0xea1ad565322a1a0bn,
  0x60e61c23a3795013n,
  0x6606d7e446282b93n,
  0x6ca4ecb15c5f91e1n,
  0x9f626da15c9625f3n,
  0xe51b38608ef25f57n,
  0x958a324ceb064572n,
];

/** The paper's definition, written with bigints (slow, obviously like the spec). */
function referenceSipHash(key: Uint8Array, data: Uint8Array): bigint {
  const M = (1n << 64n) - 1n;
  const le = (bytes: Uint8Array) => bytes.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
  const rotl = (x: bigint, n: bigint) => ((x << n) | (x >> (64n - n))) & M;
  const k0 = le(key.subarray(0, 8));
  const k1 = le(key.subarray(8, 16));
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & M;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & M;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & M;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const padded = new Uint8Array(Math.floor(data.length / 8) * 8 + 8);
  padded.set(data);
  padded[padded.length - 1] = data.length & 0xff;
  for (let i = 0; i < padded.length; i += 8) {
    const m = le(padded.subarray(i, i + 8));
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return v0 ^ v1 ^ v2 ^ v3;
}

describe('siphash24', () => {
  const key = sipKey(fromHex('000102030405060708090a0b0c0d0e0f'));

  it('gives the 64 reference outputs of the SipHash paper', () => {
    const message = Uint8Array.from({ length: 64 }, (_, i) => i);
    const outputs = PAPER_VECTORS.map((_, len) => siphash24(key, message.subarray(0, len)));
    expect(outputs).toEqual(PAPER_VECTORS);
  });

  it('agrees with the bigint definition on random keys and messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ maxLength: 80 }),
        (k, data) => {
          expect(siphash24(sipKey(k), data)).toBe(referenceSipHash(k, data));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads a message at an offset inside a larger buffer', () => {
    const buffer = Uint8Array.from({ length: 40 }, (_, i) => (i * 7) & 0xff);
    const view = buffer.subarray(3, 35);
    const copy = Uint8Array.from(view);
    expect(siphash24Halves(key, view)).toEqual(siphash24Halves(key, copy));
  });

  it('refuses a key that is not 16 bytes', () => {
    expect(() => sipKey(new Uint8Array(15))).toThrow(RangeError);
  });
});
