/**
 * A bounded cache of signatures already verified, so a transaction checked on mempool entry is
 * not verified again when its block connects (signature checks dominate sync time), and so the
 * node's verification workers (client/verify/) can verify a block's signatures in parallel
 * ahead of the serial connect, which then finds them here.
 *
 * An entry is the exact triple (message, x-only public key, signature): the key is the hex of
 * message ‖ public key ‖ signature, and the last two have fixed lengths (32 and 64 bytes:
 * `verifySignature` refuses any other, failures are never stored and `addVerified` refuses
 * them), so the message is what precedes them and two different triples never share a key. A hit
 * therefore means "this signature verified for this public key over this sighash", never
 * "some signature of this transaction verified".
 */
import { toHex } from '../primitives/bytes.js';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verifySignature } from '../primitives/keys.js';

export const DEFAULT_SIG_CACHE_SIZE = 50_000;

function cacheKey(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): string {
  return toHex(message) + toHex(publicKey) + toHex(signature);
}

export class SignatureCache {
  private readonly seen = new Set<string>();

  constructor(readonly maxEntries = DEFAULT_SIG_CACHE_SIZE) {}

  get size(): number {
    return this.seen.size;
  }

  /** `verifySignature`, remembering successes; failures are never cached. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    if (this.has(signature, message, publicKey)) return true;
    if (!verifySignature(signature, message, publicKey)) return false;
    this.remember(cacheKey(signature, message, publicKey));
    return true;
  }

  /** True when this exact triple verified before (and is still cached). */
  has(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    return this.seen.has(cacheKey(signature, message, publicKey));
  }

  /**
   * Store a triple that `verifySignature` (or a verifier proven to agree with it) accepted
   * elsewhere, e.g. in a verification worker. The caller vouches for it: only ever pass what a
   * verifier said was valid. A signature or key of the wrong length is refused (RangeError),
   * so the key stays unambiguous.
   */
  addVerified(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): void {
    if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) {
      throw new RangeError('addVerified: a signature is 64 bytes and a public key 32');
    }
    this.remember(cacheKey(signature, message, publicKey));
  }

  private remember(key: string): void {
    if (this.seen.has(key)) return;
    if (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(key);
  }
}
