/**
 * Double SHA-256 of one 64-byte input, the merkle tree's node hash (two 32-byte children), with
 * no allocation: a block of n transactions takes about n of these on every node that checks
 * it, on the block's way in, where V8 has often not optimised the code yet. A general hasher
 * (@noble/hashes) builds a hasher object, pads and copies per call; this one reads its input in
 * place, writes its output in place (the two may overlap: the input is read first), and skips
 * the work that is the same for every node:
 *
 * - the second block of a 64-byte message is padding only (0x80, zeros, the bit length 512),
 *   so its message schedule is computed once, at load;
 * - the second hash's input is 32 bytes, so half of its block is constant padding too.
 *
 * This is the FIPS 180-4 compression, checked against @noble/hashes' `sha256(sha256(x))` in
 * tests/unit/primitives/sha256d64.test.ts (Bitcoin Core has the same specialisation,
 * `SHA256D64`, for the same reason).
 */
import { SHA256_IV, SHA256_K } from './sha256-constants.js';

/** The constants as signed 32-bit words, as the rounds compute. */
const K = Int32Array.from(SHA256_K);
const IV = Int32Array.from(SHA256_IV);

/** Fill w[16..63] from w[0..15] (the message schedule). */
function expand(w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
}

/** The 64 rounds on `state` with the expanded schedule `w`, added into `state`. */
function compress(state: Int32Array, w: Int32Array): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** The schedule of a 64-byte message's padding block: the same for every input. */
const PADDING_SCHEDULE = (() => {
  const w = new Int32Array(64);
  w[0] = 0x80000000 | 0;
  w[15] = 512;
  expand(w);
  return w;
})();

const w = new Int32Array(64);
const state = new Int32Array(8);

/**
 * SHA-256(SHA-256(src[from .. from + 64])) into dst[to .. to + 32]. The ranges may overlap
 * (a merkle level is hashed in place). Throws RangeError for a range outside its array.
 */
export function sha256d64(src: Uint8Array, from: number, dst: Uint8Array, to: number): void {
  if (from < 0 || from + 64 > src.length || to < 0 || to + 32 > dst.length) {
    throw new RangeError(`sha256d64: input at ${from} or output at ${to} outside the arrays`);
  }
  for (let i = 0; i < 16; i++) {
    const j = from + i * 4;
    w[i] = (src[j]! << 24) | (src[j + 1]! << 16) | (src[j + 2]! << 8) | src[j + 3]!;
  }
  expand(w);
  state.set(IV);
  compress(state, w);
  compress(state, PADDING_SCHEDULE);
  // Second hash: the 32-byte digest, 0x80, zeros, the bit length 256.
  for (let i = 0; i < 8; i++) w[i] = state[i]!;
  w[8] = 0x80000000 | 0;
  w.fill(0, 9, 15);
  w[15] = 256;
  expand(w);
  state.set(IV);
  compress(state, w);
  for (let i = 0; i < 8; i++) {
    const x = state[i]!;
    const j = to + i * 4;
    dst[j] = x >>> 24;
    dst[j + 1] = x >>> 16;
    dst[j + 2] = x >>> 8;
    dst[j + 3] = x;
  }
}
