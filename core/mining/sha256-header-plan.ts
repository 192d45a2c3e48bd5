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
import { SHA256_IV as IV, SHA256_K as K } from '../primitives/sha256-constants.js';
import { finishPlan, PlanBuilder, type Plan, type PlanOptions } from './sha256-plan.js';

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
