/** core/primitives/merkle.ts: merkle levels, proofs and their verification. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockMerkle } from '../../../core/primitives/block.js';
import { concatBytes } from '../../../core/primitives/bytes.js';
import { sha256d } from '../../../core/primitives/hash.js';
import {
  merkleLevels,
  merkleProof,
  merkleRoot,
  proofFromLevels,
  rootFromProof,
  verifyMerkleProof,
} from '../../../core/primitives/merkle.js';
import { wtxid } from '../../../core/primitives/tx.js';
import { bytes32, txArb } from '../../helpers/arbitraries.js';

const h = (byte: number) => new Uint8Array(32).fill(byte);
const node = (a: Uint8Array, b: Uint8Array) => sha256d(concatBytes(a, b));

describe('merkleLevels', () => {
  it('keeps odd levels as they are and pairs their last hash with itself one level up', () => {
    const [a, b, c] = [h(1), h(2), h(3)];
    const levels = merkleLevels([a, b, c]);
    expect(levels.map((l) => l.length)).toEqual([3, 2, 1]);
    expect(levels[1]).toEqual([node(a, b), node(c, c)]);
    expect(levels[2]).toEqual([node(node(a, b), node(c, c))]);
  });
});

describe('merkleProof', () => {
  it('lists the duplicated last hash of an odd level as its own sibling', () => {
    const [a, b, c] = [h(1), h(2), h(3)];
    const proof = merkleProof([a, b, c], 2);
    expect(proof).toEqual([
      { sibling: c, right: true, duplicate: true },
      { sibling: node(a, b), right: false, duplicate: false },
    ]);
  });

  it('refuses an index outside the list', () => {
    expect(() => merkleProof([h(1)], 1)).toThrow(RangeError);
    expect(() => merkleProof([h(1)], -1)).toThrow(RangeError);
  });

  it("leads every transaction's wtxid to blockMerkle's root (random blocks)", () => {
    fc.assert(
      fc.property(fc.array(txArb, { minLength: 1, maxLength: 13 }), fc.nat(), (txs, pick) => {
        const index = pick % txs.length;
        const leaves = txs.map(wtxid);
        const root = blockMerkle(txs).root;
        const proof = merkleProof(leaves, index);
        expect(proof.length).toBe(merkleLevels(leaves).length - 1);
        expect(proofFromLevels(merkleLevels(leaves), index)).toEqual(proof);
        expect(rootFromProof(leaves[index]!, proof)).toEqual(root);
        expect(verifyMerkleProof(leaves[index]!, proof, root)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('fails for another leaf, or a proof with one sibling changed', () => {
    fc.assert(
      fc.property(
        fc.array(bytes32, { minLength: 2, maxLength: 12 }),
        fc.nat(),
        bytes32,
        (leaves, pick, other) => {
          const index = pick % leaves.length;
          const root = merkleRoot(leaves);
          const proof = merkleProof(leaves, index);
          fc.pre(!equal(other, leaves[index]!));
          expect(verifyMerkleProof(other, proof, root)).toBe(false);
          const step = pick % proof.length;
          const bad = proof.map((s, i) => (i === step ? { ...s, sibling: flip(s.sibling) } : s));
          expect(verifyMerkleProof(leaves[index]!, bad, root)).toBe(false);
        },
      ),
    );
  });
});

const equal = (a: Uint8Array, b: Uint8Array) => a.every((x, i) => x === b[i]);
const flip = (a: Uint8Array) => a.map((x, i) => (i === 0 ? x ^ 1 : x));
