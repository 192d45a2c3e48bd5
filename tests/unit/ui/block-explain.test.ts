/** client/ui/block-explain.ts: the coinbase explained, and tampering recomputes exactly what depends on the edit. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  bitsToTarget,
  blockMerkle,
  encodeHeader,
  hashMeetsTarget,
  headerHash,
  sha256d,
  targetToBits,
  txidHex,
  type Block,
  type BlockEntry,
} from '../../../core/index.js';
import { explainCoinbase, tamperBlock } from '../../../client/ui/block-explain.js';
import { alice, bob, buildBlock, outputOf, params, pay, SUBSIDY } from '../../helpers/regtest.js';

/** A target 256 times harder than regtest's, so a changed header almost surely fails it. */
const BITS = targetToBits(1n << 248n);
const asParent = (block: Block, height: number) => ({ header: block.header, height }) as BlockEntry;

/** Block 5 with a coinbase and three payments, then four blocks on top of it. */
function fixture(): { block: Block; following: Block[] } {
  const funding = buildBlock(asParent(params.genesis, 0), { payTo: alice, bits: BITS });
  const coin = outputOf(funding.txs[0]!, 0, 1, true);
  const payments = [1n, 2n, 3n].map((n) =>
    pay(alice, [coin], [{ amount: n * 1000n, pubkey: bob.pubkey }]),
  );
  const block = buildBlock(asParent(funding, 4), {
    txs: payments,
    bits: BITS,
    reward: SUBSIDY + 600n,
  });
  const following: Block[] = [];
  let parent = asParent(block, 5);
  for (let i = 0; i < 4; i++) {
    const next = buildBlock(parent, { bits: BITS, extraNonce: i });
    following.push(next);
    parent = asParent(next, 6 + i);
  }
  return { block, following };
}

const { block, following } = fixture();
const headers = following.map((b) => b.header);

describe('explainCoinbase', () => {
  it('splits the coinbase into subsidy and fees and counts blocks to maturity', () => {
    const c = explainCoinbase(block, 5, 7, params);
    expect(c).toEqual({
      subsidy: SUBSIDY,
      fees: 600n,
      paid: SUBSIDY + 600n,
      spendableAt: 5 + COINBASE_MATURITY,
      blocksLeft: 5 + COINBASE_MATURITY - 8,
    });
    expect(explainCoinbase(block, 5, 5 + COINBASE_MATURITY - 1, params).blocksLeft).toBe(0);
  });
});

describe('tamperBlock', () => {
  it('changes the txid, wtxid, merkle path, root, block hash, PoW and every later link', () => {
    const t = tamperBlock(block, 5, { tx: 2, output: 0, amount: 999_999n }, headers);
    expect(t.txid.changed && t.wtxid.changed).toBe(true);
    expect(t.txid.before).toBe(txidHex(block.txs[2]!));
    expect(t.txid.after).toBe(txidHex(t.block.txs[2]!));
    expect(t.otherTxids.map((c) => c.changed)).toEqual([false, false, false]);
    // Four leaves: exactly leaf 2, its parent (1 on level 1) and the root change.
    expect(t.tree.map((level) => level.map((n) => n.changed))).toEqual([
      [false, false, true, false],
      [false, true],
      [true],
    ]);
    expect(t.merkleRoot.changed).toBe(true);
    expect(t.block.header.merkleRoot).toEqual(blockMerkle(t.block.txs).root);
    expect({ ...t.block.header, merkleRoot: block.header.merkleRoot }).toEqual(block.header);
    expect(t.underOriginalHeader).toEqual({ header: block.header, txs: t.block.txs });
    expect(t.blockHash.changed).toBe(true);
    const target = bitsToTarget(BITS);
    expect(t.pow).toEqual({
      before: true,
      after: hashMeetsTarget(sha256d(encodeHeader(t.block.header)), target),
    });
    expect(t.pow.after).toBe(false);
    expect(t.following.map((f) => f.linked)).toEqual([false, false, false, false]);
    expect(t.following.map((f) => f.relinked.changed)).toEqual([true, true, true, true]);
    expect(t.following.map((f) => f.relinkedPow)).toEqual([false, false, false, false]);
    expect(t.following[0]!.parentHash).toBe(t.blockHash.after);
    expect(t.following[1]!.parentHash).toBe(t.following[0]!.relinked.after);
    expect(t.following.map((f) => f.height)).toEqual([6, 7, 8, 9]);
    // The originals are untouched (copies only).
    expect(block.txs[2]!.outputs[0]!.amount).toBe(1000n * 2n);
  });

  it('a new recipient breaks the same hashes', () => {
    const t = tamperBlock(block, 5, { tx: 0, output: 0, pubkey: bob.pubkey }, headers);
    expect(t.txid.changed && t.merkleRoot.changed && t.blockHash.changed).toBe(true);
    expect(t.tree.map((level) => level.map((n) => n.changed))).toEqual([
      [true, false, false, false],
      [true, false],
      [true],
    ]);
    expect(t.following.every((f) => !f.linked)).toBe(true);
  });

  it('an edit that changes nothing breaks nothing', () => {
    const same = block.txs[1]!.outputs[0]!.amount;
    const t = tamperBlock(block, 5, { tx: 1, output: 0, amount: same }, headers);
    expect([t.txid, t.wtxid, t.merkleRoot, t.blockHash].map((c) => c.changed)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(t.tree.flat().some((n) => n.changed)).toBe(false);
    expect(t.following.every((f) => f.linked && !f.relinked.changed && f.relinkedPow)).toBe(true);
  });

  it("for any edit, exactly the nodes on the edited leaf's path change", () => {
    fc.assert(
      fc.property(fc.nat(3), fc.bigInt({ min: 0n, max: 10n ** 12n }), (index, amount) => {
        fc.pre(amount !== block.txs[index]!.outputs[0]!.amount);
        const t = tamperBlock(block, 5, { tx: index, output: 0, amount }, []);
        t.tree.forEach((level, l) =>
          level.forEach((n, i) => expect(n.changed).toBe(i === index >> l)),
        );
        expect(t.otherTxids.every((c) => !c.changed)).toBe(true);
        expect(headerHash(t.block.header)).not.toEqual(headerHash(block.header));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses an edit outside the block and headers that do not chain', () => {
    expect(() => tamperBlock(block, 5, { tx: 9, output: 0 }, [])).toThrow(RangeError);
    expect(() => tamperBlock(block, 5, { tx: 0, output: 3 }, [])).toThrow(RangeError);
    expect(() => tamperBlock(block, 5, { tx: 0, output: 0 }, [headers[1]!])).toThrow(RangeError);
  });
});
