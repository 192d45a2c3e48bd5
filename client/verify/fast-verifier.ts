/**
 * libsecp256k1's BIP340 verifier compiled to WebAssembly (`tiny-secp256k1`), with the same
 * contract as core's `verifySignature` (never throws; anything malformed is invalid). Loaded
 * only inside verification workers; its agreement with @noble/curves is tested on every BIP340
 * vector and on random valid and mutated signatures (tests/unit/verify/, tools/).
 *
 * Two things tiny-secp256k1 2.2.4 does that this wrapper keeps out of the way (measured):
 * - a public key that is not on the curve makes it throw from inside WebAssembly without
 *   unwinding the module's stack: each such call leaks stack and about 4,000 of them crash the
 *   instance ("memory access out of bounds"). The key is checked first with `isXOnlyPoint`,
 *   which answers without throwing; should the instance trap anyway, every later call goes to
 *   @noble/curves.
 * - it refuses r >= n (BIP340 refuses only r >= p) and takes 32-byte messages only (BIP340
 *   allows any length): whatever it refuses by throwing is decided by @noble/curves instead, so
 *   the answer is always BIP340's.
 */
import { isXOnlyPoint, verifySchnorr } from 'tiny-secp256k1';
import { verifySignature } from '../../core/index.js';

let trapped = false;

export function verifyFast(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  // Messages of other lengths, which Tabcoin never signs (a sighash is 32 bytes), and a dead
  // instance: core's verifier.
  if (trapped || message.length !== 32) return verifySignature(signature, message, publicKey);
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    if (!isXOnlyPoint(publicKey)) return false;
    return verifySchnorr(message, publicKey, signature);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) trapped = true;
    return verifySignature(signature, message, publicKey);
  }
}

/** True once the WebAssembly instance trapped and this module fell back to @noble/curves. */
export function fastVerifierTrapped(): boolean {
  return trapped;
}
