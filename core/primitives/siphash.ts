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

// State: v0..v3 as (high, low) halves in one reused array: [v0h, v0l, v1h, v1l, ...].
const v = new Uint32Array(8);

/** a += b (64-bit) on the halves at indexes a and b. */
function add(a: number, b: number): void {
  const lo = v[a + 1]! + v[b + 1]!;
  v[a] = v[a]! + v[b]! + (lo > 0xffffffff ? 1 : 0);
  v[a + 1] = lo;
}

/** Rotate the lane at index i left by n bits (0 < n < 64). */
function rotl(i: number, n: number): void {
  let h = v[i]!;
  let l = v[i + 1]!;
  if (n >= 32) {
    [h, l] = [l, h];
    n -= 32;
  }
  if (n === 0) {
    v[i] = h;
    v[i + 1] = l;
    return;
  }
  v[i] = (h << n) | (l >>> (32 - n));
  v[i + 1] = (l << n) | (h >>> (32 - n));
}

function xor(a: number, b: number): void {
  v[a] = v[a]! ^ v[b]!;
  v[a + 1] = v[a + 1]! ^ v[b + 1]!;
}

function sipRound(): void {
  add(0, 2); // v0 += v1
  rotl(2, 13);
  xor(2, 0);
  rotl(0, 32);
  add(4, 6); // v2 += v3
  rotl(6, 16);
  xor(6, 4);
  add(0, 6); // v0 += v3
  rotl(6, 21);
  xor(6, 0);
  add(4, 2); // v2 += v1
  rotl(2, 17);
  xor(2, 4);
  rotl(4, 32);
}

/** Absorb one 64-bit message word (hi, lo) with 2 compression rounds. */
function absorb(hi: number, lo: number): void {
  v[6] = v[6]! ^ hi;
  v[7] = v[7]! ^ lo;
  sipRound();
  sipRound();
  v[0] = v[0]! ^ hi;
  v[1] = v[1]! ^ lo;
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

/** SipHash-2-4 as its [high, low] 32-bit halves (no bigint: the short-id hot path). */
export function siphash24Halves(key: SipKey, data: Uint8Array): [number, number] {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  const [k0l, k0h, k1l, k1h] = key;
  // "somepseudorandomlygeneratedbytes" xored with the key.
  v[0] = k0h ^ 0x736f6d65;
  v[1] = k0l ^ 0x70736575;
  v[2] = k1h ^ 0x646f7261;
  v[3] = k1l ^ 0x6e646f6d;
  v[4] = k0h ^ 0x6c796765;
  v[5] = k0l ^ 0x6e657261;
  v[6] = k1h ^ 0x74656462;
  v[7] = k1l ^ 0x79746573;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const whole = data.length - (data.length % 8);
  for (let i = 0; i < whole; i += 8) absorb(view.getUint32(i + 4, true), view.getUint32(i, true));
  // Last word: the remaining bytes, and the length mod 256 in the top byte.
  let lastLo = 0;
  let lastHi = (data.length & 0xff) << 24;
  for (let i = whole; i < data.length; i++) {
    const shift = (i - whole) * 8;
    if (shift < 32) lastLo |= data[i]! << shift;
    else lastHi |= data[i]! << (shift - 32);
  }
  absorb(lastHi >>> 0, lastLo >>> 0);
  v[5] = v[5]! ^ 0xff; // v2 ^= 0xff
  for (let i = 0; i < 4; i++) sipRound();
  return [(v[0]! ^ v[2]! ^ v[4]! ^ v[6]!) >>> 0, (v[1]! ^ v[3]! ^ v[5]! ^ v[7]!) >>> 0];
}
