/**
 * Bitcoin's merkle tree: pairs of 32-byte hashes are concatenated and double-SHA-256'd, the last
 * hash of an odd level is paired with itself. That duplication lets two different transaction
 * lists share a root (CVE-2012-2459), so `computeMerkleRoot` also reports whether the list is
 * "mutated" (two identical siblings), and blocks with a mutated list are rejected.
 */
import { equalBytes } from './bytes.js';
import { sha256d64 } from './sha256d64.js';

export interface MerkleResult {
  root: Uint8Array;
  /** True when some level had two identical sibling hashes (CVE-2012-2459). */
  mutated: boolean;
}

function assertLeaf(hash: Uint8Array | undefined, i: number): asserts hash is Uint8Array {
  if (!(hash instanceof Uint8Array) || hash.length !== 32) {
    throw new RangeError(`merkle leaf ${i} is not a 32-byte hash`);
  }
}

/**
 * The root of 32-byte `hashes` (and whether the list is mutated). The tree is hashed level by
 * level in one buffer, each node written over the pair it came from (`sha256d64`): no
 * allocation per node. Throws RangeError for a leaf that is not 32 bytes (a programmer error).
 */
export function computeMerkleRoot(hashes: readonly Uint8Array[]): MerkleResult {
  if (hashes.length === 0) return { root: new Uint8Array(32), mutated: false };
  let count = hashes.length;
  // One spare slot: the copy of an odd level's last hash, its own sibling.
  const level = new Uint8Array((count + 1) * 32);
  hashes.forEach((hash, i) => {
    assertLeaf(hash, i);
    level.set(hash, i * 32);
  });
  let mutated = false;
  while (count > 1) {
    for (let i = 0; i + 1 < count; i += 2) {
      if (!mutated && sameHash(level, i * 32, (i + 1) * 32)) mutated = true;
    }
    if (count % 2 === 1) level.copyWithin(count * 32, (count - 1) * 32, count * 32);
    const next = Math.ceil(count / 2);
    for (let i = 0; i < next; i++) sha256d64(level, i * 64, level, i * 32);
    count = next;
  }
  return { root: level.slice(0, 32), mutated };
}

function sameHash(buffer: Uint8Array, a: number, b: number): boolean {
  for (let i = 0; i < 32; i++) if (buffer[a + i] !== buffer[b + i]) return false;
  return true;
}

/** The parent of two 32-byte merkle nodes. */
function hashPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  pair.set(left, 0);
  pair.set(right, 32);
  const out = new Uint8Array(32);
  sha256d64(pair, 0, out, 0);
  return out;
}

/** Merkle root of 32-byte hashes in internal byte order (all zeros for an empty list). */
export function merkleRoot(hashes: readonly Uint8Array[]): Uint8Array {
  return computeMerkleRoot(hashes).root;
}

/**
 * Every level of the tree, leaves first and the root level last, as Bitcoin computes it: a
 * level of odd length pairs its last hash with itself (that copy is not stored in the level).
 */
export function merkleLevels(hashes: readonly Uint8Array[]): Uint8Array[][] {
  if (hashes.length === 0) return [[new Uint8Array(32)]];
  const levels: Uint8Array[][] = [[...hashes]];
  let level = levels[0]!;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(hashPair(level[i]!, level[i + 1] ?? level[i]!));
    }
    levels.push(next);
    level = next;
  }
  return levels;
}

/** One step of a merkle proof: the sibling hash, and whether it sits on the right. */
export interface MerkleStep {
  sibling: Uint8Array;
  /** True when the sibling is the right-hand hash (the path node is the left one). */
  right: boolean;
  /** True when the sibling is the path node itself, paired with itself on an odd level. */
  duplicate: boolean;
}

/**
 * The proof that leaf `index` of `hashes` is in their merkle tree: one sibling per level, from
 * the leaves up. Throws RangeError for an index outside the list (a programmer error).
 */
export function merkleProof(hashes: readonly Uint8Array[], index: number): MerkleStep[] {
  return proofFromLevels(merkleLevels(hashes), index);
}

/** `merkleProof` from the levels `merkleLevels` gave (to prove many leaves of one tree). */
export function proofFromLevels(levels: readonly Uint8Array[][], index: number): MerkleStep[] {
  const leaves = levels[0]?.length ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= leaves) {
    throw new RangeError(`leaf index ${index} outside 0..${leaves - 1}`);
  }
  const steps: MerkleStep[] = [];
  let i = index;
  for (const level of levels.slice(0, -1)) {
    const siblingIndex = i ^ 1;
    const duplicate = siblingIndex >= level.length;
    steps.push({
      sibling: level[duplicate ? i : siblingIndex]!,
      right: (i & 1) === 0,
      duplicate,
    });
    i >>= 1;
  }
  return steps;
}

/** The root that `leaf` and its proof lead to (compare it with a header's merkle root). */
export function rootFromProof(leaf: Uint8Array, steps: readonly MerkleStep[]): Uint8Array {
  let node = leaf;
  for (const step of steps) {
    node = step.right ? hashPair(node, step.sibling) : hashPair(step.sibling, node);
  }
  return node;
}

/** True when `leaf` and its proof lead to `root`. */
export function verifyMerkleProof(
  leaf: Uint8Array,
  steps: readonly MerkleStep[],
  root: Uint8Array,
): boolean {
  return equalBytes(rootFromProof(leaf, steps), root);
}
