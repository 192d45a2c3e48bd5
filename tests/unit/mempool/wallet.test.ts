/** Wallet primitives: balances, spendable coins, coin selection with change and fee. */
import { describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  blockSubsidy,
  computeBalances,
  createPayment,
  estimateTxSize,
  signTx,
  spendableCoins,
  toHex,
  txSize,
} from '../../../core/index.js';
import {
  NOW,
  mineBlocks,
  openNode,
  outputOf,
  params,
  pay,
  testKey,
} from '../../helpers/regtest.js';

const alice = testKey(1);
const bob = testKey(2);
const carol = testKey(3);
const subsidy = blockSubsidy(1, params);

async function setup(blocks: number) {
  const { node } = await openNode();
  await mineBlocks(node, blocks, alice);
  const coins = async (key = alice) => node.chain.coinsByOwner(toHex(key.pubkey));
  return { node, coins };
}

describe('balances', () => {
  it('splits mature, immature (with blocks to maturity) and pending amounts', async () => {
    const { node, coins } = await setup(COINBASE_MATURITY + 1);
    // Coinbases at heights 1..11; the next block is 12, so heights 1 and 2 are mature.
    const balances = computeBalances(alice.pubkey, await coins(), node.mempool, node.chain.height);
    expect(balances.confirmed).toBe(2n * subsidy);
    expect(balances.immature).toBe(BigInt(COINBASE_MATURITY - 1) * subsidy);
    expect(balances.nextMaturityIn).toBe(1);
    expect(balances.pending).toBe(0n);

    const spendable = spendableCoins(alice.pubkey, await coins(), node.mempool, node.chain.height);
    const payment = createPayment({
      coins: spendable,
      to: bob.pubkey,
      amount: subsidy + 1n,
      feeRate: 2n,
      changeTo: alice.pubkey,
    });
    expect(payment.ok).toBe(true);
    if (!payment.ok) return;
    const tx = signTx(payment.value.tx, params.genesisHash, () => alice.secret);
    expect(txSize(tx)).toBe(estimateTxSize(2, 2));
    expect(payment.value.fee).toBe(2n * BigInt(txSize(tx)));
    expect((await node.acceptTx(tx, NOW)).ok).toBe(true);

    const after = computeBalances(alice.pubkey, await coins(), node.mempool, node.chain.height);
    expect(after.confirmed).toBe(0n);
    expect(after.pending).toBe(payment.value.change - 2n * subsidy);
    expect(after.spendable).toBe(payment.value.change);
    const bobs = computeBalances(bob.pubkey, await coins(bob), node.mempool, node.chain.height);
    expect(bobs.pending).toBe(subsidy + 1n);
    expect(bobs.confirmed).toBe(0n);
  });
});

describe('spendable pending coins', () => {
  it("counts only our own pending change, never a stranger's unconfirmed chain paying us", async () => {
    const { node } = await openNode();
    const [carolsBlock] = await mineBlocks(node, 1, carol);
    const [alicesBlock] = await mineBlocks(node, COINBASE_MATURITY, alice);
    const coins = async () => node.chain.coinsByOwner(toHex(alice.pubkey));
    // Carol pays herself, then pays Alice from that pending output: a stranger's chain.
    const carolCoin = outputOf(carolsBlock!.txs[0]!, 0, 1, true);
    const c1 = pay(carol, [carolCoin], [{ amount: subsidy - 1_000n, pubkey: carol.pubkey }]);
    const c2 = pay(carol, [outputOf(c1)], [{ amount: subsidy - 2_000n, pubkey: alice.pubkey }]);
    // Alice pays Bob with change, then pays Bob again from that pending change.
    const aliceCoin = outputOf(alicesBlock!.txs[0]!, 0, 2, true);
    const a1 = pay(
      alice,
      [aliceCoin],
      [
        { amount: 1_000_000n, pubkey: bob.pubkey },
        { amount: subsidy - 1_001_000n, pubkey: alice.pubkey },
      ],
    );
    const a2 = pay(
      alice,
      [outputOf(a1, 1)],
      [
        { amount: 1_000_000n, pubkey: bob.pubkey },
        { amount: subsidy - 2_002_000n, pubkey: alice.pubkey },
      ],
    );
    for (const tx of [c1, c2, a1, a2]) expect((await node.acceptTx(tx, NOW)).ok).toBe(true);
    const spendable = spendableCoins(alice.pubkey, await coins(), node.mempool, node.chain.height);
    expect(spendable.filter((c) => !c.confirmed).map((c) => c.key)).toEqual([outputOf(a2, 1).key]);
    const balances = computeBalances(alice.pubkey, await coins(), node.mempool, node.chain.height);
    expect(balances.spendable).toBe(subsidy - 2_002_000n);
    // Carol's payment is still shown as incoming.
    expect(balances.pending).toBe(subsidy - 2_000n - 2_002_000n);
  });
});

describe('spendableCoins of a chain of own payments', () => {
  it('counts only change of our own pending payments, not unconfirmed coins others pay us', async () => {
    const { node, coins } = await setup(COINBASE_MATURITY + 1);
    const pay = async (amount: bigint) => {
      const payment = createPayment({
        coins: spendableCoins(alice.pubkey, await coins(), node.mempool, node.chain.height),
        to: bob.pubkey,
        amount,
        feeRate: 1n,
        changeTo: alice.pubkey,
      });
      if (!payment.ok) throw new Error(payment.message);
      expect(
        (
          await node.acceptTx(
            signTx(payment.value.tx, params.genesisHash, () => alice.secret),
            NOW,
          )
        ).ok,
      ).toBe(true);
    };
    // Two payments to bob, the second spending the first's pending change (a chain in the pool).
    await pay(2n * subsidy - 10_000n);
    await pay(1_000n);
    expect(node.mempool.size).toBe(2);
    const bobs = spendableCoins(bob.pubkey, await coins(bob), node.mempool, node.chain.height);
    expect(bobs).toEqual([]);
    const alices = spendableCoins(alice.pubkey, await coins(), node.mempool, node.chain.height);
    expect(alices.map((c) => c.confirmed)).toEqual([false]);
  });
});

describe('createPayment', () => {
  it('spends pending change in a second payment (unconfirmed chain)', async () => {
    const { node, coins } = await setup(COINBASE_MATURITY + 1);
    const first = createPayment({
      coins: spendableCoins(alice.pubkey, await coins(), node.mempool, node.chain.height),
      to: bob.pubkey,
      amount: 2n * subsidy - 10_000n,
      feeRate: 1n,
      changeTo: alice.pubkey,
    });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(
      (
        await node.acceptTx(
          signTx(first.value.tx, params.genesisHash, () => alice.secret),
          NOW,
        )
      ).ok,
    ).toBe(true);
    const spendable = spendableCoins(alice.pubkey, await coins(), node.mempool, node.chain.height);
    expect(spendable.map((c) => c.confirmed)).toEqual([false]);
    const second = createPayment({
      coins: spendable,
      to: bob.pubkey,
      amount: 1_000n,
      feeRate: 1n,
      changeTo: alice.pubkey,
    });
    expect(second.ok).toBe(true);
    if (second.ok)
      expect(
        (
          await node.acceptTx(
            signTx(second.value.tx, params.genesisHash, () => alice.secret),
            NOW,
          )
        ).ok,
      ).toBe(true);
  });

  it('explains a shortfall: immature funds vs insufficient funds, and bad amounts', async () => {
    const { node, coins } = await setup(COINBASE_MATURITY + 1);
    const all = await coins();
    const spendable = spendableCoins(alice.pubkey, all, node.mempool, node.chain.height);
    const immature = computeBalances(alice.pubkey, all, node.mempool, node.chain.height).immature;
    const base = {
      coins: spendable,
      to: bob.pubkey,
      feeRate: 1n,
      changeTo: alice.pubkey,
      immature,
    };
    const maturing = createPayment({ ...base, amount: 3n * subsidy });
    expect(maturing.ok === false && maturing.reason).toBe('immature-funds');
    const broke = createPayment({ ...base, amount: 100n * subsidy });
    expect(broke.ok === false && broke.reason).toBe('insufficient-funds');
    const zero = createPayment({ ...base, amount: 0n });
    expect(zero.ok === false && zero.reason).toBe('bad-amount');
  });

  it('omits the change output when the coins match amount + fee exactly', async () => {
    const { node, coins } = await setup(COINBASE_MATURITY + 1);
    const spendable = spendableCoins(
      alice.pubkey,
      await coins(),
      node.mempool,
      node.chain.height,
    ).slice(0, 1);
    const fee = BigInt(estimateTxSize(1, 1));
    const exact = createPayment({
      coins: spendable,
      to: bob.pubkey,
      amount: subsidy - fee,
      feeRate: 1n,
      changeTo: alice.pubkey,
    });
    expect(exact.ok && exact.value.tx.outputs).toHaveLength(1);
    expect(exact.ok && exact.value.change).toBe(0n);
  });
});
