/**
 * Cheap checks first (issue 12): a transaction the mempool refuses for policy (fee, full pool)
 * is refused before any signature is verified, since such a refusal costs its sender nothing.
 * Expiry is applied whenever the tip changes. Signature checks are counted through the
 * chain's signature cache, the one door every verification goes through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  Mempool,
  txidHex,
  type NodeState,
  type Tx,
} from '../../../core/index.js';
import {
  NOW,
  SUBSIDY,
  alice,
  bob,
  buildBlock,
  buildBranch,
  carol,
  fundedNode,
  nodeWithCoins,
  outputOf,
  pay,
} from '../../helpers/regtest.js';

/** Count signature verifications on `node` from now on. */
function countVerifies(node: NodeState): { count: number } {
  const counter = { count: 0 };
  const cache = node.chain.sigCache;
  const verify = cache.verify.bind(cache);
  cache.verify = (...args) => {
    counter.count++;
    return verify(...args);
  };
  return counter;
}

describe('policy before signatures', () => {
  let node: NodeState;
  let fanout: Tx;

  beforeAll(async () => {
    ({ node, fanout } = await nodeWithCoins(501));
  });

  it('refuses a zero-fee 500-input transaction without verifying one signature', async () => {
    const coins = Array.from({ length: 500 }, (_, i) => outputOf(fanout, i));
    const total = coins.reduce((sum, c) => sum + c.coin.amount, 0n);
    const tx = pay(alice, coins, [{ amount: total, pubkey: bob.pubkey }], true);
    const verifies = countVerifies(node);
    const result = await node.acceptTx(tx, NOW);
    expect(!result.ok && [result.reason, result.category, result.score]).toEqual([
      'min-relay-fee-not-met',
      'policy',
      0,
    ]);
    expect(verifies.count).toBe(0);
    // With a fee, the signatures are verified and the payment accepted.
    const some = coins.slice(0, 5);
    const paid = pay(
      alice,
      some,
      [{ amount: 5n * 100_000_000n - 10_000n, pubkey: bob.pubkey }],
      true,
    );
    const accepted = await node.acceptTx(paid, NOW);
    expect(accepted.ok).toBe(true);
    expect(verifies.count).toBe(5);
  });

  it('refuses a fee-paying transaction with a bad signature as consensus, after the fee check', async () => {
    const coin = outputOf(fanout, 500);
    const forged = pay(bob, [coin], [{ amount: coin.coin.amount - 1000n, pubkey: bob.pubkey }]);
    const result = await node.acceptTx(forged, NOW);
    expect(!result.ok && [result.reason, result.category]).toEqual(['bad-signature', 'consensus']);
  });
});

describe('a full pool', () => {
  it('refuses a fee rate it would evict first, without verifying its signature', async () => {
    const { node, reward } = await fundedNode(COINBASE_MATURITY + 3);
    const rich = pay(alice, [reward(1)], [{ amount: SUBSIDY - 50_000n, pubkey: bob.pubkey }]);
    const pool = new Mempool({ maxBytes: rich.inputs.length * 200 });
    const view = node.chainView();
    expect((await pool.accept(rich, view, NOW)).ok).toBe(true);
    const verifies = countVerifies(node);
    const poor = pay(alice, [reward(2)], [{ amount: SUBSIDY - 1_000n, pubkey: bob.pubkey }]);
    const result = await pool.accept(poor, view, NOW);
    expect(!result.ok && [result.reason, result.score]).toEqual(['mempool-full', 0]);
    expect(verifies.count).toBe(0);
    // A better fee rate is checked, accepted, and evicts the poorer entry.
    const richer = pay(alice, [reward(3)], [{ amount: SUBSIDY - 90_000n, pubkey: bob.pubkey }]);
    expect((await pool.accept(richer, view, NOW)).ok).toBe(true);
    expect(verifies.count).toBe(1);
    expect(pool.has(txidHex(rich))).toBe(false);
  });
});

describe('expiry', () => {
  it('drops transactions past the expiry when the tip changes, reported as expired', async () => {
    const { node, reward } = await fundedNode(COINBASE_MATURITY + 3);
    const old = pay(alice, [reward(1)], [{ amount: SUBSIDY - 1000n, pubkey: bob.pubkey }]);
    const child = pay(bob, [outputOf(old)], [{ amount: SUBSIDY - 2000n, pubkey: alice.pubkey }]);
    const fresh = pay(alice, [reward(2)], [{ amount: SUBSIDY - 1000n, pubkey: bob.pubkey }]);
    const expiry = node.mempool.expirySeconds;
    expect((await node.acceptTx(old, NOW)).ok).toBe(true);
    expect((await node.acceptTx(child, NOW + expiry)).ok).toBe(true);
    expect((await node.acceptTx(fresh, NOW + expiry)).ok).toBe(true);
    // A refused block changes no tip: nothing expires yet.
    const refused = await node.processBlock(
      buildBlock(node.chain.tip, { coinbaseHeight: 1 }),
      NOW + expiry + 1,
    );
    expect(refused.mempool.expired).toEqual([]);
    expect(node.mempool.size).toBe(3);
    const result = await node.processBlock(buildBlock(node.chain.tip), NOW + expiry + 1);
    expect(result.ok).toBe(true);
    expect(result.mempool.expired.map((e) => e.id).sort()).toEqual(
      [txidHex(old), txidHex(child)].sort(),
    );
    expect(node.mempool.has(txidHex(fresh))).toBe(true);
    expect(node.mempool.size).toBe(1);
  });

  it("keeps a pending transaction's arrival time through a reorg", async () => {
    const { node, reward } = await fundedNode(COINBASE_MATURITY + 2);
    const tx = pay(alice, [reward(1)], [{ amount: SUBSIDY - 1000n, pubkey: bob.pubkey }]);
    const expiry = node.mempool.expirySeconds;
    expect((await node.acceptTx(tx, NOW)).ok).toBe(true);
    const fork = node.chain.tip;
    const [a] = buildBranch(fork, 1, 1, carol);
    const b = buildBranch(fork, 2, 2, carol);
    await node.processBlock(a!, NOW + 10);
    await node.processBlock(b[0]!, NOW + 20);
    const reorg = await node.processBlock(b[1]!, NOW + expiry - 10);
    expect(reorg.change.disconnected).toHaveLength(1);
    expect(node.mempool.get(txidHex(tx))?.time).toBe(NOW);
    const next = await node.processBlock(buildBlock(node.chain.tip), NOW + expiry + 1);
    expect(next.mempool.expired.map((e) => e.id)).toEqual([txidHex(tx)]);
  });
});
