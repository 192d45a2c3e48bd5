/** Mempool: conflicts, unconfirmed chains, fee-rate order, size cap, expiry, block updates. */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  Mempool,
  signTx,
  txidHex,
  txSize,
  type Block,
  type NodeState,
} from '../../../core/index.js';
import {
  NOW,
  params,
  buildBlock,
  outputOf,
  pay,
  SUBSIDY,
  fundedNode,
  type FundedNode,
  alice,
  bob,
  carol,
} from '../../helpers/regtest.js';

const subsidy = SUBSIDY;

let node: NodeState;
let rewards: Block[];
let reward: FundedNode['reward'];

beforeEach(async () => {
  ({ node, rewards, reward } = await fundedNode(COINBASE_MATURITY + 4));
});

describe('acceptance', () => {
  it('accepts a valid payment and refuses the same one twice', async () => {
    const tx = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const first = await node.acceptTx(tx, NOW);
    expect(first.ok && first.value.fee).toBe(1000n);
    const again = await node.acceptTx(tx, NOW);
    expect(again.ok === false && [again.reason, again.category]).toEqual([
      'txn-already-in-mempool',
      'duplicate',
    ]);
  });

  it('refuses a double spend of a pending coin (one spender per outpoint)', async () => {
    const a = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const b = pay(alice, [reward(1)], [{ amount: subsidy - 2000n, pubkey: carol.pubkey }]);
    expect((await node.acceptTx(a, NOW)).ok).toBe(true);
    const result = await node.acceptTx(b, NOW);
    expect(result.ok === false && result.reason).toBe('txn-mempool-conflict');
    expect(node.mempool.size).toBe(1);
  });

  it('allows chains of unconfirmed transactions (spending pending change)', async () => {
    const parent = pay(
      alice,
      [reward(1)],
      [
        { amount: 10n * 100_000_000n, pubkey: bob.pubkey },
        { amount: subsidy - 10n * 100_000_000n - 1000n, pubkey: alice.pubkey },
      ],
    );
    const child = pay(alice, [outputOf(parent, 1)], [{ amount: 1_000_000n, pubkey: carol.pubkey }]);
    expect((await node.acceptTx(parent, NOW)).ok).toBe(true);
    expect((await node.acceptTx(child, NOW)).ok).toBe(true);
    const entry = node.mempool.get(txidHex(child))!;
    expect(node.mempool.parentsOf(entry).map((e) => e.id)).toEqual([txidHex(parent)]);
  });

  it('reports unknown inputs as missing-inputs (not a ban) and refuses coinbases, overspends and bad signatures', async () => {
    const orphanChild = pay(
      bob,
      [outputOf(pay(alice, [reward(1)], [{ amount: 5n, pubkey: bob.pubkey }]))],
      [{ amount: 1n, pubkey: bob.pubkey }],
    );
    const missing = await node.acceptTx(orphanChild, NOW);
    expect(missing.ok === false && [missing.reason, missing.category, missing.score]).toEqual([
      'missing-inputs',
      'missing-parent',
      0,
    ]);
    const coinbase = await node.acceptTx(rewards[0]!.txs[0]!, NOW);
    expect(coinbase.ok === false && coinbase.reason).toBe('coinbase');
    const over = await node.acceptTx(
      pay(alice, [reward(1)], [{ amount: subsidy + 1n, pubkey: bob.pubkey }]),
      NOW,
    );
    expect(over.ok === false && over.reason).toBe('bad-txns-in-belowout');
    const forged = await node.acceptTx(
      pay(bob, [reward(1)], [{ amount: 1n, pubkey: bob.pubkey }]),
      NOW,
    );
    expect(forged.ok === false && [forged.reason, forged.score]).toEqual(['bad-signature', 100]);
    const young = await node.acceptTx(
      pay(alice, [reward(node.chain.height)], [{ amount: 1n, pubkey: bob.pubkey }]),
      NOW,
    );
    expect(young.ok === false && young.reason).toBe('bad-txns-premature-spend-of-coinbase');
  });

  it('refuses a fee below the minimum relay fee rate', async () => {
    const cheap = pay(alice, [reward(1)], [{ amount: subsidy - 10n, pubkey: bob.pubkey }]);
    const result = await node.acceptTx(cheap, NOW);
    expect(result.ok === false && [result.reason, result.category]).toEqual([
      'min-relay-fee-not-met',
      'policy',
    ]);
  });

  it('refuses a transaction not yet final by lock time', async () => {
    const unsigned = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const locked = signTx(
      { ...unsigned, lockTime: node.chain.height + 5 },
      params.genesisHash,
      () => alice.secret,
    );
    const result = await node.acceptTx(locked, NOW);
    expect(result.ok === false && result.reason).toBe('non-final');
  });
});

describe('ordering, cap and expiry', () => {
  it('orders by fee rate and evicts the lowest fee rate (with descendants) past the size cap', async () => {
    const txs = [1, 2, 3].map((i) =>
      pay(alice, [reward(i)], [{ amount: subsidy - BigInt(i) * 1000n, pubkey: bob.pubkey }]),
    );
    const size = txSize(txs[0]!);
    const pool = new Mempool({ maxBytes: size * 2 + 10 });
    const view = node.chainView();
    expect((await pool.accept(txs[1]!, view, NOW)).ok).toBe(true); // 2000 fee
    expect((await pool.accept(txs[0]!, view, NOW)).ok).toBe(true); // 1000 fee
    expect(pool.byFeeRate().map((e) => e.fee)).toEqual([2000n, 1000n]);
    expect((await pool.accept(txs[2]!, view, NOW)).ok).toBe(true); // 3000 fee evicts 1000
    expect(pool.byFeeRate().map((e) => e.fee)).toEqual([3000n, 2000n]);
    const low = pay(alice, [reward(4)], [{ amount: subsidy - 900n, pubkey: bob.pubkey }]);
    const full = await pool.accept(low, view, NOW);
    expect(full.ok === false && full.reason).toBe('mempool-full');
    expect(pool.bytes).toBeLessThanOrEqual(pool.maxBytes);
  });

  it('expires old transactions with their descendants', async () => {
    const parent = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: alice.pubkey }]);
    const child = pay(alice, [outputOf(parent)], [{ amount: subsidy - 2000n, pubkey: bob.pubkey }]);
    await node.acceptTx(parent, NOW);
    await node.acceptTx(child, NOW + 100);
    const expired = node.mempool.expire(NOW + node.mempool.expirySeconds + 1);
    expect(expired.map((e) => e.id).sort()).toEqual([txidHex(parent), txidHex(child)].sort());
    expect(node.mempool.size).toBe(0);
  });
});

describe('updates on blocks', () => {
  it('removes confirmed transactions and conflicting double spends (with their descendants)', async () => {
    const pending = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const pendingChild = pay(
      bob,
      [outputOf(pending)],
      [{ amount: subsidy - 2000n, pubkey: carol.pubkey }],
    );
    const other = pay(alice, [reward(2)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    for (const tx of [pending, pendingChild, other])
      expect((await node.acceptTx(tx, NOW)).ok).toBe(true);
    const doubleSpend = pay(
      alice,
      [reward(1)],
      [{ amount: subsidy - 5000n, pubkey: carol.pubkey }],
    );
    const result = await node.processBlock(
      buildBlock(node.chain.tip, { txs: [doubleSpend, other] }),
      NOW,
    );
    expect(result.ok).toBe(true);
    expect(result.mempool.confirmed.map((e) => e.id)).toEqual([txidHex(other)]);
    expect(result.mempool.conflicts.map((e) => e.id).sort()).toEqual(
      [txidHex(pending), txidHex(pendingChild)].sort(),
    );
    expect(node.mempool.size).toBe(0);
  });
});
