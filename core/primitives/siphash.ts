/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit PRF, used for the short
 * transaction ids of compact blocks (docs/protocol.md, "Compact blocks", after BIP152). The
 * 64-bit lanes are kept as pairs of 32-bit halves so no bigint is allocated per round: the
 * receiver of a compact block hashes every mempool transaction. Not in @noble/hashes, hence here;
 * tests/unit/primitives/siphash.test.ts checks the reference vectors of the SipHash paper.
 */
import { assertBytes } from './bytes.js';

/** A 128-bit SipHash key as four little-endian 32-bit words: k0 low, k0 high, k1 low, k1 high. */
export type SipKey = readonly [number, number, number, number];

/** The key from 16 bytes (k0 = bytes 0–7 LE, k1 = bytes 8–15 LE). */
export function sipKey(bytes: Uint8Array): SipKey {
  assertBytes(bytes, 'key', 16);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return [
    view.getUint32(0, true),
    view.getUint32(4, true),
    view.getUint32(8, true),
    view.getUint32(12, true),
  ];
}

/**
 * SipHash-2-4 of `data` under `key`, as a 64-bit unsigned bigint.
 *
 * @example siphash24(sipKey(fromHex('000102030405060708090a0b0c0d0e0f')), new Uint8Array()) // 0x726fdb47dd0e0e31n
 */
export function siphash24(key: SipKey, data: Uint8Array): bigint {
  const [hi, lo] = siphash24Halves(key, data);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * SipHash-2-4 as its [high, low] 32-bit halves (no bigint: the short-id hot path). One function
 * over local 32-bit halves (v0h/v0l … v3h/v3l), with one copy of the round: a compact block's
 * receiver runs it once per mempool transaction, often before V8 has optimised it, where every
 * call and typed-array access costs. The message words are read byte by byte (no DataView).
 */
export function siphash24Halves(key: SipKey, data: Uint8Array): [number, number] {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  const [k0l, k0h, k1l, k1h] = key;
  // "somepseudorandomlygeneratedbytes" xored with the key.
  let v0h = k0h ^ 0x736f6d65;
  let v0l = k0l ^ 0x70736575;
  let v1h = k1h ^ 0x646f7261;
  let v1l = k1l ^ 0x6e646f6d;
  let v2h = k0h ^ 0x6c796765;
  let v2l = k0l ^ 0x6e657261;
  let v3h = k1h ^ 0x74656462;
  let v3l = k1l ^ 0x79746573;
  const length = data.length;
  const whole = length - (length % 8);
  // Steps: one per 8-byte word, one for the last word (the tail bytes and the length mod 256
  // in the top byte), then the finalisation (v2 ^= 0xff and 4 rounds).
  const words = whole / 8 + 1;
  for (let step = 0; step <= words; step++) {
    let mh = 0;
    let ml = 0;
    let rounds = 2;
    if (step < words - 1) {
      const i = step * 8;
      ml = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
      mh = data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    } else if (step === words - 1) {
      mh = (length & 0xff) << 24;
      for (let i = whole; i < length; i++) {
        const shift = (i - whole) * 8;
        if (shift < 32) ml |= data[i]! << shift;
        else mh |= data[i]! << (shift - 32);
      }
    } else {
      v2l ^= 0xff;
      rounds = 4;
    }
    v3h ^= mh;
    v3l ^= ml;
    for (let r = 0; r < rounds; r++) {
      let lo = (v0l >>> 0) + (v1l >>> 0); // v0 += v1
      v0h = (v0h + v1h + (lo > 0xffffffff ? 1 : 0)) | 0;
      v0l = lo | 0;
      let h = v1h; // v1 = rotl(v1, 13) ^ v0
      v1h = ((h << 13) | (v1l >>> 19)) ^ v0h;
      v1l = ((v1l << 13) | (h >>> 19)) ^ v0l;
      h = v0h; // v0 = rotl(v0, 32)
      v0h = v0l;
      v0l = h;
      lo = (v2l >>> 0) + (v3l >>> 0); // v2 += v3
      v2h = (v2h + v3h + (lo > 0xffffffff ? 1 : 0)) | 0;
      v2l = lo | 0;
      h = v3h; // v3 = rotl(v3, 16) ^ v2
      v3h = ((h << 16) | (v3l >>> 16)) ^ v2h;
      v3l = ((v3l << 16) | (h >>> 16)) ^ v2l;
      lo = (v0l >>> 0) + (v3l >>> 0); // v0 += v3
      v0h = (v0h + v3h + (lo > 0xffffffff ? 1 : 0)) | 0;
      v0l = lo | 0;
      h = v3h; // v3 = rotl(v3, 21) ^ v0
      v3h = ((h << 21) | (v3l >>> 11)) ^ v0h;
      v3l = ((v3l << 21) | (h >>> 11)) ^ v0l;
      lo = (v2l >>> 0) + (v1l >>> 0); // v2 += v1
      v2h = (v2h + v1h + (lo > 0xffffffff ? 1 : 0)) | 0;
      v2l = lo | 0;
      h = v1h; // v1 = rotl(v1, 17) ^ v2
      v1h = ((h << 17) | (v1l >>> 15)) ^ v2h;
      v1l = ((v1l << 17) | (h >>> 15)) ^ v2l;
      h = v2h; // v2 = rotl(v2, 32)
      v2h = v2l;
      v2l = h;
    }
    v0h ^= mh;
    v0l ^= ml;
  }
  return [(v0h ^ v1h ^ v2h ^ v3h) >>> 0, (v0l ^ v1l ^ v2l ^ v3l) >>> 0];
}
