/** Hash functions: Bitcoin's double SHA-256 and BIP340-style tagged hashes. */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from './bytes.js';

export { sha256 };

/** SHA-256(SHA-256(data)): block hashes, txids and merkle nodes. */
export function sha256d(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

const tagCache = new Map<string, Uint8Array>();
const encoder = new TextEncoder();

/**
 * BIP340 tagged hash: SHA-256(SHA-256(tag) || SHA-256(tag) || data). Domain-separates hashes so
 * a signature over one kind of message can never be replayed as another.
 */
export function taggedHash(tag: string, ...data: Uint8Array[]): Uint8Array {
  let prefix = tagCache.get(tag);
  if (!prefix) {
    const tagHash = sha256(encoder.encode(tag));
    prefix = concatBytes(tagHash, tagHash);
    tagCache.set(tag, prefix);
  }
  return sha256(concatBytes(prefix, ...data));
}
