/** Proof of work: the header's hash, read as a little-endian number, must not exceed its target. */
import { bytesToBigIntLE } from '../primitives/bytes.js';
import { HEADER_BYTES } from '../primitives/constants.js';
import { bitsToTarget } from './difficulty.js';
import { sha256d } from '../primitives/hash.js';

/** True when `hash` (internal byte order) is at or below `target` (and the target is valid). */
export function hashMeetsTarget(hash: Uint8Array, target: bigint): boolean {
  return target > 0n && bytesToBigIntLE(hash) <= target;
}

/**
 * True when the 80-byte `header` hashes at or below the target in its own `bits` field.
 * Unlike naivecoin, Tabcoin never accepts a block that fails this (reason `high-hash`).
 */
export function checkProofOfWork(header: Uint8Array): boolean {
  if (!(header instanceof Uint8Array) || header.length !== HEADER_BYTES) {
    throw new RangeError(`header must be ${HEADER_BYTES} bytes`);
  }
  const bits = new DataView(header.buffer, header.byteOffset + 72, 4).getUint32(0, true);
  return hashMeetsTarget(sha256d(header), bitsToTarget(bits));
}

/**
 * Leading zero bits of a 256-bit number (0..256): of a hash in internal byte order, read as a
 * little-endian number as proof of work reads it (so of its display hex, left to right), or of
 * a target. A hash meets the target 2^(256 - n) - 1 exactly when it has at least n.
 *
 * @example leadingZeroBits(2n ** 236n) === 19
 */
export function leadingZeroBits(value: Uint8Array | bigint): number {
  const n = value instanceof Uint8Array ? bytesToBigIntLE(value) : value;
  if (typeof n !== 'bigint' || n < 0n || n >= 1n << 256n) {
    throw new RangeError('value must be a 32-byte hash or a bigint in [0, 2^256)');
  }
  if (value instanceof Uint8Array && value.length !== 32)
    throw new RangeError('hash must be 32 bytes');
  return 256 - (n === 0n ? 0 : n.toString(2).length);
}
