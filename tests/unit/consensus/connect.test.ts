/** Connecting and disconnecting: undo data restores the UTXO view exactly (property test). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MapCoinView,
  SignatureCache,
  connectBlockTxs,
  disconnectBlockTxs,
  externalSpends,
  type Coin,
  type Tx,
} from '../../../core/index.js';
import {
  buildBlock,
  mineBlocks,
  openNode,
  outputOf,
  params,
  pay,
  testKey,
  type Spendable,
} from '../../helpers/regtest.js';

const keys = [testKey(1), testKey(2), testKey(3)];

describe('connectBlockTxs / disconnectBlockTxs', () => {
  it('round-trips random blocks, including chains of transactions inside the block', async () => {
    const { node, store } = await openNode();
    const rewards = await mineBlocks(node, 14, keys[0]);
    const base = new Map<string, Coin>(store.coins);
    const sigCache = new SignatureCache();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            fromPending: fc.boolean(),
            split: fc.integer({ min: 1, max: 3 }),
            to: fc.nat(2),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        async (plan) => {
          const mature = rewards.slice(0, 4).map((b, i) => outputOf(b.txs[0]!, 0, i + 1, true));
          const pending: { spend: Spendable; owner: number }[] = [];
          const txs: Tx[] = [];
          for (const step of plan) {
            const source = step.fromPending && pending.length > 0 ? pending.shift()! : undefined;
            const spend = source?.spend ?? mature.shift();
            if (!spend) break;
            const owner = keys[source?.owner ?? 0]!;
            const part = (spend.coin.amount - 1000n) / BigInt(step.split);
            const outputs = Array.from({ length: step.split }, () => ({
              amount: part,
              pubkey: keys[step.to]!.pubkey,
            }));
            const tx = pay(owner, [spend], outputs);
            txs.push(tx);
            pending.push(
              ...outputs.map((_, vout) => ({ spend: outputOf(tx, vout), owner: step.to })),
            );
          }
          const block = buildBlock(node.chain.tip, { txs, mine: false });
          const view = new MapCoinView(new Map(base));
          const result = connectBlockTxs(block, node.chain.height + 1, view, params, sigCache);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          expect(externalSpends(block).sort()).toEqual([...result.value.spent].sort());
          const after = new Map(base);
          for (const key of result.value.spent) after.delete(key);
          for (const [key, coin] of result.value.added) after.set(key, coin);
          const undo = disconnectBlockTxs(block, result.value.undo);
          for (const key of undo.remove) {
            expect(after.has(key)).toBe(true);
            after.delete(key);
          }
          for (const [key, coin] of undo.restore) after.set(key, coin);
          expect(after).toEqual(base);
        },
      ),
      { numRuns: 30, seed: 42 },
    );
  });

  it('refuses undo data that does not match the block', async () => {
    const { node } = await openNode();
    const rewards = await mineBlocks(node, 12, keys[0]);
    const tx = pay(
      keys[0]!,
      [outputOf(rewards[0]!.txs[0]!, 0, 1, true)],
      [{ amount: 1n, pubkey: keys[1]!.pubkey }],
    );
    const block = buildBlock(node.chain.tip, { txs: [tx], mine: false });
    expect(() => disconnectBlockTxs(block, [])).toThrow(RangeError);
  });
});
