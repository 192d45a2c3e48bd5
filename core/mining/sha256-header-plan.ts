/**
 * SHA-256 (FIPS 180-4) run symbolically over a block header, giving the plans the mining
 * kernels compile. Template inputs are the header's first 76 bytes as 19 big-endian words
 * (`headerWords`); the one per-nonce variable is word 19, the nonce as SHA-256 reads it
 * (big-endian, i.e. the byte-swapped little-endian nonce).
 *
 * The first 64 bytes compress to the midstate once per template; of the second block only
 * the nonce word changes, so rounds 0-2 and the fixed padding words fold away. Of the second
 * hash the kernels need only word 7 (the hash's most significant 32 bits when read as a
 * little-endian number): everything else is dead code and is dropped.
 */
import { HEADER_BYTES } from '../primitives/constants.js';
import { finishPlan, PlanBuilder, type Plan, type PlanOptions } from './sha256-plan.js';

/** SHA-256 round constants: first 32 bits of the cube roots of the first 64 primes. */
const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/** Initial hash value: first 32 bits of the square roots of the first 8 primes. */
const IV = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** Template input words: header bytes 0..75, big-endian. */
export const HEADER_INPUT_WORDS = 19;

/** One SHA-256 compression of a 16-word block into an 8-word state, as plan nodes. */
function compress(b: PlanBuilder, state: readonly number[], block: readonly number[]): number[] {
  const sigma0 = (x: number) => b.xor(b.xor(b.rotr(x, 7), b.rotr(x, 18)), b.shr(x, 3));
  const sigma1 = (x: number) => b.xor(b.xor(b.rotr(x, 17), b.rotr(x, 19)), b.shr(x, 10));
  const bigSigma0 = (x: number) => b.xor(b.xor(b.rotr(x, 2), b.rotr(x, 13)), b.rotr(x, 22));
  const bigSigma1 = (x: number) => b.xor(b.xor(b.rotr(x, 6), b.rotr(x, 11)), b.rotr(x, 25));
  const w = [...block];
  for (let t = 16; t < 64; t++) {
    w.push(b.add(sigma1(w[t - 2]!), w[t - 7]!, sigma0(w[t - 15]!), w[t - 16]!));
  }
  let [a, bb, c, d, e, f, g, h] = state as [number, ...number[]];
  for (let t = 0; t < 64; t++) {
    const t1 = b.add(h!, bigSigma1(e!), b.ch(e!, f!, g!), b.constant(K[t]!), w[t]!);
    const t2 = b.add(bigSigma0(a), b.maj(a, bb!, c!));
    [h, g, f, e, d, c, bb, a] = [g, f, e, b.add(d!, t1), c, bb, a, b.add(t1, t2)];
  }
  return [a, bb, c, d, e, f, g, h].map((x, i) => b.add(state[i]!, x!));
}

/** First SHA-256 of the header: 8 state words, from template inputs and the nonce variable. */
export function buildFirstHash(b: PlanBuilder): number[] {
  const iv = IV.map((x) => b.constant(x));
  const input = (i: number) => b.input(i);
  const midstate = compress(
    b,
    iv,
    Array.from({ length: 16 }, (_, i) => input(i)),
  );
  // Second block: header bytes 64..79, then padding: 0x80, zeros, bit length 640.
  const tail = [input(16), input(17), input(18), b.variable(0), b.constant(0x80000000)];
  const block = [...tail, ...Array.from({ length: 10 }, () => b.constant(0)), b.constant(640)];
  return compress(b, midstate, block);
}

/** Word 7 of SHA-256 over a 32-byte message given as 8 words. */
export function buildSecondHashTop(b: PlanBuilder, words: readonly number[]): number {
  const iv = IV.map((x) => b.constant(x));
  const padding = [0x80000000, 0, 0, 0, 0, 0, 0, 256].map((x) => b.constant(x));
  return compress(b, iv, [...words, ...padding])[7]!;
}

/** Plan of the first hash alone (outputs: its 8 words); inputs 0..18, var 0. */
export function firstHashPlan(options: PlanOptions): Plan {
  const b = new PlanBuilder(options);
  return finishPlan(b, buildFirstHash(b));
}

/** Plan of the second hash alone (output: word 7); vars 0..7 are the first hash's words. */
export function secondHashPlan(options: PlanOptions): Plan {
  const b = new PlanBuilder(options);
  return finishPlan(b, [
    buildSecondHashTop(
      b,
      Array.from({ length: 8 }, (_, i) => b.variable(i)),
    ),
  ]);
}

/** Plan of the whole double hash (output: word 7 of the second hash); inputs 0..18, var 0. */
export function headerHashPlan(options: PlanOptions): Plan {
  const b = new PlanBuilder(options);
  return finishPlan(b, [buildSecondHashTop(b, buildFirstHash(b))]);
}

/** The 19 template input words of an 80-byte header (bytes 0..75, big-endian). */
export function headerWords(header: Uint8Array): Int32Array {
  if (!(header instanceof Uint8Array) || header.length !== HEADER_BYTES) {
    throw new RangeError(`header must be ${HEADER_BYTES} bytes`);
  }
  const view = new DataView(header.buffer, header.byteOffset, HEADER_BYTES);
  return Int32Array.from({ length: HEADER_INPUT_WORDS }, (_, i) => view.getInt32(4 * i, false));
}

/** Byte-swap a 32-bit word: a little-endian nonce as SHA-256 reads it, and back. */
export function byteSwap32(x: number): number {
  return ((x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}
