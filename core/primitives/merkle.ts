/**
 * Bitcoin's merkle tree: pairs of 32-byte hashes are concatenated and double-SHA-256'd, the last
 * hash of an odd level is paired with itself. That duplication lets two different transaction
 * lists share a root (CVE-2012-2459), so `computeMerkleRoot` also reports whether the list is
 * "mutated" (two identical siblings), and blocks with a mutated list are rejected.
 */
import { concatBytes, equalBytes } from './bytes.js';
import { sha256d } from './hash.js';

export interface MerkleResult {
  root: Uint8Array;
  /** True when some level had two identical sibling hashes (CVE-2012-2459). */
  mutated: boolean;
}

export function computeMerkleRoot(hashes: Uint8Array[]): MerkleResult {
  if (hashes.length === 0) return { root: new Uint8Array(32), mutated: false };
  let level = hashes;
  let mutated = false;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1];
      if (right && equalBytes(left, right)) mutated = true;
      next.push(sha256d(concatBytes(left, right ?? left)));
    }
    level = next;
  }
  return { root: level[0]!, mutated };
}

/** Merkle root of 32-byte hashes in internal byte order (all zeros for an empty list). */
export function merkleRoot(hashes: Uint8Array[]): Uint8Array {
  return computeMerkleRoot(hashes).root;
}
