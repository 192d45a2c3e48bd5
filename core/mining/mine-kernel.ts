/**
 * What every mining kernel shares: the `MiningKernel` interface (one kernel per block
 * template) and the exact check behind a kernel's fast filter. Kernels compare only the top 32
 * bits of each hash with the target; a nonce that passes is confirmed here on the full 256 bits
 * (core/consensus/pow.ts rule), so the nonce a kernel returns is always the first one that really meets
 * the target.
 */
import { HEADER_BYTES } from '../primitives/constants.js';
import { sha256d } from '../primitives/hash.js';
import { hashMeetsTarget } from '../consensus/pow.js';

export type KernelKind = 'wasm-simd' | 'js';

export interface MiningKernel {
  readonly kind: KernelKind;
  /**
   * First nonce in [from, to) whose header hash (read as a little-endian number) is <= the
   * target, or -1. `0 <= from <= to <= 2^32`.
   */
  scan(from: number, to: number): number;
}

/** Exclusive upper bound of the header's nonce field. */
export const NONCE_SPACE = 2 ** 32;

/**
 * The hash's top 32 bits (of 256, little-endian) that a nonce must not exceed to be worth a
 * full check: min(target >> 224, 2^32 - 1); -1 when no hash can meet `target` (target <= 0).
 */
export function targetTopWord(target: bigint): number {
  if (typeof target !== 'bigint') throw new TypeError('target must be a bigint');
  if (target <= 0n) return -1;
  const top = target >> 224n;
  return top >= 0xffffffffn ? 0xffffffff : Number(top);
}

export function assertHeader(header: unknown): asserts header is Uint8Array {
  if (!(header instanceof Uint8Array) || header.length !== HEADER_BYTES) {
    throw new RangeError(`header must be an ${HEADER_BYTES}-byte Uint8Array`);
  }
}

export function assertNonceRange(from: number, to: number): void {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from) {
    throw new RangeError(`nonce range must satisfy 0 <= from <= to, got [${from}, ${to})`);
  }
  if (to > NONCE_SPACE) throw new RangeError(`nonce range end ${to} is past 2^32`);
}

/** Full proof-of-work check of `header` with `nonce`, on a private copy of the header. */
export function createNonceCheck(header: Uint8Array, target: bigint): (nonce: number) => boolean {
  const copy = Uint8Array.from(header);
  const view = new DataView(copy.buffer);
  return (nonce) => {
    view.setUint32(76, nonce, true);
    return hashMeetsTarget(sha256d(copy), target);
  };
}
