/**
 * A bounded cache of signatures already verified, so a transaction checked on mempool entry is
 * not verified again when its block connects (signature checks dominate sync time).
 */
import { toHex } from '../primitives/bytes.js';
import { verifySignature } from '../primitives/keys.js';

export const DEFAULT_SIG_CACHE_SIZE = 50_000;

export class SignatureCache {
  private readonly seen = new Set<string>();

  constructor(readonly maxEntries = DEFAULT_SIG_CACHE_SIZE) {}

  get size(): number {
    return this.seen.size;
  }

  /** `verifySignature`, remembering successes; failures are never cached. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    const key = toHex(message) + toHex(publicKey) + toHex(signature);
    if (this.seen.has(key)) return true;
    if (!verifySignature(signature, message, publicKey)) return false;
    if (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(key);
    return true;
  }
}
