/**
 * BIP340 Schnorr keys and signatures over secp256k1 (@noble/curves). Every signature check in
 * Tabcoin goes through `verifySignature`, so a faster verifier can be measured and swapped in
 * here without touching callers (DESIGN.md: platform facts).
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import { assertBytes } from './bytes.js';

export const SECRET_KEY_BYTES = 32;
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** The 32-byte x-only public key of a 32-byte secret key. */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  assertBytes(secretKey, 'secretKey', SECRET_KEY_BYTES);
  return schnorr.getPublicKey(secretKey);
}

/**
 * Sign a 32-byte message. `auxRand` is the BIP340 auxiliary randomness; core takes no
 * randomness of its own, so the caller passes 32 fresh random bytes (or zeros in tests).
 */
export function signMessage(
  message: Uint8Array,
  secretKey: Uint8Array,
  auxRand: Uint8Array,
): Uint8Array {
  assertBytes(message, 'message', 32);
  assertBytes(secretKey, 'secretKey', SECRET_KEY_BYTES);
  assertBytes(auxRand, 'auxRand', 32);
  return schnorr.sign(message, secretKey, auxRand);
}

/** True when `signature` is a valid BIP340 signature of `message` by `publicKey`. Never throws. */
export function verifySignature(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    return schnorr.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

/** True when `publicKey` is the x coordinate of a point on the curve (BIP340 lift_x). */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    schnorr.utils.lift_x(bytesToX(publicKey));
    return true;
  } catch {
    return false;
  }
}

function bytesToX(bytes: Uint8Array): bigint {
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return x;
}
