/**
 * libsecp256k1's BIP340 verifier compiled to WebAssembly (`tiny-secp256k1`), with the same
 * contract as core's `verifySignature` (never throws; anything malformed is invalid). Loaded
 * only inside verification workers; its agreement with @noble/curves is tested on every BIP340
 * vector and on random valid and mutated signatures (tests/unit/verify/, tools/).
 */
import { verifySchnorr } from 'tiny-secp256k1';
import { verifySignature } from '../../core/index.js';

export function verifyFast(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  // tiny-secp256k1 takes 32-byte messages only (BIP340 allows any length): others, which
  // Tabcoin never signs (a sighash is 32 bytes), go to core's verifier.
  if (message.length !== 32) return verifySignature(signature, message, publicKey);
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return verifySchnorr(message, publicKey, signature);
  } catch {
    // tiny-secp256k1 throws for a public key that is not on the curve or a signature whose
    // r or s is out of range: invalid, as @noble/curves says.
    return false;
  }
}
