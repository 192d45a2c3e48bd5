/** core/consensus/pow.ts: proof-of-work checks on real and generated headers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHeader, headerHash } from '../../../core/primitives/block.js';
import { bytesToBigIntLE, fromHex } from '../../../core/primitives/bytes.js';
import { bitsToTarget } from '../../../core/consensus/difficulty.js';
import { sha256d } from '../../../core/primitives/hash.js';
import { checkProofOfWork, hashMeetsTarget } from '../../../core/consensus/pow.js';
import { headerArb } from '../../helpers/arbitraries.js';

/** Bitcoin's genesis header: hash 000000000019d668…, bits 0x1d00ffff. */
const BTC_GENESIS = fromHex(
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c',
);

describe('hashMeetsTarget', () => {
  it('reads the hash as a little-endian number and accepts it at or below the target', () => {
    const hash = new Uint8Array(32);
    hash[31] = 0x01; // most significant byte: value 2^248
    expect(hashMeetsTarget(hash, 1n << 248n)).toBe(true);
    expect(hashMeetsTarget(hash, (1n << 248n) - 1n)).toBe(false);
    hash[31] = 0;
    hash[0] = 0xff; // least significant byte: value 255
    expect(hashMeetsTarget(hash, 255n)).toBe(true);
    expect(hashMeetsTarget(hash, 254n)).toBe(false);
  });

  it('never accepts a zero (invalid) target, not even the zero hash', () => {
    expect(hashMeetsTarget(new Uint8Array(32), 0n)).toBe(false);
  });

  it('agrees with comparing the number directly', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
        (hash, target) => hashMeetsTarget(hash, target) === bytesToBigIntLE(hash) <= target,
      ),
    );
  });
});

describe('checkProofOfWork', () => {
  it("accepts Bitcoin's genesis header and rejects it with any single nonce bit flipped", () => {
    expect(checkProofOfWork(BTC_GENESIS)).toBe(true);
    for (let bit = 0; bit < 32; bit++) {
      const tampered = Uint8Array.from(BTC_GENESIS);
      tampered[76 + (bit >> 3)]! ^= 1 << (bit & 7);
      expect(checkProofOfWork(tampered)).toBe(false);
    }
  });

  it("compares Bitcoin's genesis hash 0x000000000019d668… with the target of its bits", () => {
    const hash = sha256d(BTC_GENESIS);
    expect(hashMeetsTarget(hash, bitsToTarget(0x1d00ffff))).toBe(true); // its own bits
    expect(hashMeetsTarget(hash, bitsToTarget(0x1c00ffff))).toBe(true); // 256x harder still met
    expect(hashMeetsTarget(hash, bitsToTarget(0x1b00ffff))).toBe(false);
  });

  it('fails headers whose bits encode a negative, zero or overflowing target', () => {
    fc.assert(
      fc.property(
        headerArb,
        fc.constantFrom(0, 0x1d80ffff, 0x04923456, 0xff123456, 0x03000000),
        (h, bits) => !checkProofOfWork(encodeHeader({ ...h, bits })),
      ),
    );
  });

  it('reads bits correctly from a header that is a view into a larger buffer', () => {
    const backing = new Uint8Array(200).fill(0xee);
    backing.set(BTC_GENESIS, 37);
    const view = backing.subarray(37, 37 + 80);
    expect(checkProofOfWork(view)).toBe(true);
    backing.fill(0xff, 37 + 72, 37 + 76); // bits 0xffffffff inside the view: negative target
    expect(checkProofOfWork(view)).toBe(false);
  });

  it('finds a solution on the regtest limit by trying nonces (about 1 in 2 headers pass)', () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        const base = { ...h, bits: 0x207fffff };
        let nonce = 0;
        while (!checkProofOfWork(encodeHeader({ ...base, nonce }))) nonce++;
        expect(nonce).toBeLessThan(64);
        const solved = { ...base, nonce };
        expect(bytesToBigIntLE(headerHash(solved)) <= bitsToTarget(0x207fffff)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('agrees with hashMeetsTarget for any header', () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        const raw = encodeHeader({ ...h, bits: 0x2000ffff | (h.bits & 0x00ff0000) });
        const bits = new DataView(raw.buffer).getUint32(72, true);
        return checkProofOfWork(raw) === hashMeetsTarget(sha256d(raw), bitsToTarget(bits));
      }),
    );
  });

  it('refuses anything but 80 bytes', () => {
    expect(() => checkProofOfWork(BTC_GENESIS.subarray(0, 79))).toThrow(RangeError);
    expect(() => checkProofOfWork(new Uint8Array(81))).toThrow(RangeError);
  });
});
