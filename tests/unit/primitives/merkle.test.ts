/** core/primitives/merkle.ts: Bitcoin merkle roots and CVE-2012-2459 mutation detection. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, hashToHex, hexToHash, toHex } from '../../../core/primitives/bytes.js';
import { sha256d } from '../../../core/primitives/hash.js';
import { computeMerkleRoot, merkleRoot } from '../../../core/primitives/merkle.js';
import { bytes32 } from '../../helpers/arbitraries.js';

const h = (byte: number) => new Uint8Array(32).fill(byte);
const node = (a: Uint8Array, b: Uint8Array) => sha256d(concatBytes(a, b));

/** Distinct 32-byte hashes (so no pair is equal by accident). */
const distinctHashes = (min: number, max: number) =>
  fc.uniqueArray(bytes32, { minLength: min, maxLength: max, selector: toHex });

describe('computeMerkleRoot', () => {
  it('gives all zeros for an empty list', () => {
    expect(computeMerkleRoot([])).toEqual({ root: new Uint8Array(32), mutated: false });
  });

  it('gives the hash itself for a single hash', () => {
    expect(computeMerkleRoot([h(7)])).toEqual({ root: h(7), mutated: false });
  });

  it('hashes pairs with double SHA-256 and pairs an odd last hash with itself', () => {
    const [a, b, c, d, e] = [h(1), h(2), h(3), h(4), h(5)];
    expect(merkleRoot([a, b])).toEqual(node(a, b));
    expect(merkleRoot([a, b, c])).toEqual(node(node(a, b), node(c, c)));
    expect(merkleRoot([a, b, c, d])).toEqual(node(node(a, b), node(c, d)));
    const left = node(node(a, b), node(c, d));
    const right = node(node(e, e), node(e, e));
    expect(merkleRoot([a, b, c, d, e])).toEqual(node(left, right));
  });

  it("gives Bitcoin block 100000's merkle root from its four txids", () => {
    const txids = [
      '8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87',
      'fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4',
      '6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4',
      'e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d',
    ].map((id) => hexToHash(id));
    expect(hashToHex(merkleRoot(txids))).toBe(
      'f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766',
    );
  });

  it('does not modify its input', () => {
    const list = [h(1), h(2), h(3)];
    computeMerkleRoot(list);
    expect(list).toEqual([h(1), h(2), h(3)]);
  });

  it('merkleRoot is the root of computeMerkleRoot', () => {
    fc.assert(
      fc.property(fc.array(bytes32, { maxLength: 9 }), (list) => {
        expect(merkleRoot(list)).toEqual(computeMerkleRoot(list).root);
      }),
    );
  });

  it('changes when any hash changes or the order changes', () => {
    fc.assert(
      fc.property(distinctHashes(2, 9), fc.nat(), (list, seed) => {
        const i = seed % list.length;
        const changed = list.map((x, j) => (j === i ? sha256d(x) : x));
        const swapped = [list[1]!, list[0]!, ...list.slice(2)];
        const root = toHex(merkleRoot(list));
        return root !== toHex(merkleRoot(changed)) && root !== toHex(merkleRoot(swapped));
      }),
    );
  });
});

describe('mutation (CVE-2012-2459)', () => {
  it('three hashes and the same list with the last duplicated share a root; only the second is mutated', () => {
    const three = [h(1), h(2), h(3)];
    const four = [h(1), h(2), h(3), h(3)];
    const a = computeMerkleRoot(three);
    const b = computeMerkleRoot(four);
    expect(toHex(a.root)).toBe(toHex(b.root));
    expect(a.mutated).toBe(false);
    expect(b.mutated).toBe(true);
  });

  it('catches duplication on a higher level too (6 hashes vs the last two repeated)', () => {
    const six = [1, 2, 3, 4, 5, 6].map(h);
    const eight = [...six, h(5), h(6)];
    expect(toHex(merkleRoot(eight))).toBe(toHex(merkleRoot(six)));
    expect(computeMerkleRoot(six).mutated).toBe(false);
    expect(computeMerkleRoot(eight).mutated).toBe(true);
  });

  it('any odd-length list with its last hash appended keeps the root and is mutated', () => {
    fc.assert(
      fc.property(distinctHashes(1, 15), (list) => {
        fc.pre(list.length % 2 === 1 && list.length > 1);
        const extended = [...list, list[list.length - 1]!];
        const original = computeMerkleRoot(list);
        const forged = computeMerkleRoot(extended);
        return toHex(original.root) === toHex(forged.root) && !original.mutated && forged.mutated;
      }),
    );
  });

  it('flags two identical adjacent leaves even when the count is even', () => {
    expect(computeMerkleRoot([h(1), h(1)]).mutated).toBe(true);
    expect(computeMerkleRoot([h(1), h(2), h(1), h(2)]).mutated).toBe(true); // equal level-1 nodes
    expect(computeMerkleRoot([h(1), h(2), h(2), h(3)]).mutated).toBe(false); // not siblings
  });

  it('never flags lists of distinct hashes', () => {
    fc.assert(fc.property(distinctHashes(0, 17), (list) => !computeMerkleRoot(list).mutated));
  });
});
