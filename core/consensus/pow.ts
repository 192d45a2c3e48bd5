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
