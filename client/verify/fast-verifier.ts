/**
 * libsecp256k1's BIP340 verifier compiled to WebAssembly (`tiny-secp256k1`), with the same
 * contract as core's `verifySignature` (never throws; anything malformed is invalid). Loaded
 * only inside verification workers; its agreement with @noble/curves is tested on every BIP340
 * vector and on random valid and mutated signatures (tests/unit/verify/, tools/).
 */
import { verifySchnorr } from 'tiny-secp256k1';

export function verifyFast(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  // libsecp256k1 takes any message length; tiny-secp256k1's wrapper only 32 bytes (a sighash).
  if (signature.length !== 64 || publicKey.length !== 32 || message.length !== 32) return false;
  try {
    return verifySchnorr(message, publicKey, signature);
  } catch {
    // tiny-secp256k1 throws for a public key that is not on the curve or a signature whose
    // r or s is out of range: invalid, as @noble/curves says.
    return false;
  }
}
