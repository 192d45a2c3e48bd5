/**
 * Money that adds up: the headline balance is the sum of its parts before, during and after a
 * payment; "send everything" leaves exactly the fee; a refusal names its real cause (the fee,
 * coins still waiting for a block, maturing rewards); the fee rate suggested from the mempool.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  COIN,
  COINBASE_MATURITY,
  MAX_BLOCK_BYTES,
  Mempool,
  blockSubsidy,
  estimateTxSize,
  type MempoolEntry,
} from '../../core/index.js';
import { DEFAULT_FEE_RATE, type Wallet } from '../../client/wallet/wallet.js';
import { suggestFeeRate } from '../../client/wallet/fee-rate.js';
import { link, makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { params, testKey } from '../helpers/regtest.js';
import { mineTo, openWallet } from '../helpers/wallet-node.js';

const nodes: TestNode[] = [];
const wallets: Wallet[] = [];
const stranger = testKey(9).pubkey;
const REWARD = blockSubsidy(1, params);

async function walletOnNewNode(name: string): Promise<{ n: TestNode; w: Wallet }> {
  const n = await makeNode(name);
  nodes.push(n);
  const { wallet } = await openWallet(n);
  wallets.push(wallet);
  return { n, w: wallet };
}

/** The balance, asserting that its parts add up to the headline total. */
async function balance(w: Wallet) {
  const b = await w.balances();
  expect(b.spendable + b.immature + b.incoming).toBe(b.total);
  return b;
}

afterEach(() => {
  for (const w of wallets.splice(0)) w.stop();
  stopAll(nodes.splice(0));
});

describe('send everything', () => {
  it('spends every spendable coin into one output and leaves exactly the fee', async () => {
    const { n: a, w: alice } = await walletOnNewNode('a');
    const { w: bob } = await walletOnNewNode('b');
    await mineTo(a, alice.pubkey, COINBASE_MATURITY + 2); // three mature rewards
    const before = await balance(alice);
    expect(before.spendable).toBe(3n * REWARD);

    const all = await alice.sendableAll(DEFAULT_FEE_RATE);
    const fee = DEFAULT_FEE_RATE * BigInt(estimateTxSize(3, 1));
    expect(all).toEqual({ amount: 3n * REWARD - fee, fee, inputs: 3 });
    // One unit more cannot be paid: the refusal names the fee and the most that can be sent.
    const tooMuch = await alice.preview({
      to: bob.address,
      amount: all.amount + 1n,
      feeRate: DEFAULT_FEE_RATE,
      sign: true,
    });
    expect(tooMuch).toMatchObject({ ok: false, reason: 'fee-not-covered' });
    expect(!tooMuch.ok && tooMuch.message).toContain(`at most ${Number(all.amount) / 1e8} coins`);

    const request = { to: bob.address, amount: all.amount, feeRate: DEFAULT_FEE_RATE, sign: true };
    expect(await alice.preview(request)).toMatchObject({
      ok: true,
      value: { fee, change: 0n, inputs: 3, total: 3n * REWARD },
    });
    const sent = await alice.send(request);
    expect(sent).toMatchObject({ ok: true, value: { fee } });
    const [entry] = a.state.mempool.entries();
    expect(entry?.tx.inputs).toHaveLength(3);
    expect(entry?.tx.outputs.map((o) => o.amount)).toEqual([all.amount]);
    expect(entry?.fee).toBe(fee);
    expect(await balance(alice)).toMatchObject({
      total: before.total - 3n * REWARD,
      spendable: 0n,
      outgoing: { count: 1, amount: all.amount, fee },
    });
    expect(await alice.sendableAll(DEFAULT_FEE_RATE)).toEqual({ amount: 0n, fee: 0n, inputs: 0 });

    await mineTo(a, stranger, 1, { withMempool: true });
    expect(await balance(alice)).toMatchObject({
      total: before.immature,
      spendable: 1n * REWARD,
    });
  });
});

describe('refusals name the real cause', () => {
  it('the fee on top of all spendable coins, coins waiting for a block, maturing rewards', async () => {
    const { n: a, w: alice } = await walletOnNewNode('a');
    const { n: b, w: bob } = await walletOnNewNode('b');
    link(a, b);
    await mineTo(a, alice.pubkey, COINBASE_MATURITY + 1);
    await expect.poll(() => b.state.chain.height).toBe(COINBASE_MATURITY + 1);
    const send = (w: Wallet, to: string, amount: bigint) =>
      w.preview({ to, amount, feeRate: DEFAULT_FEE_RATE, sign: true });

    // Exactly the spendable figure: what is missing is the fee, not coins.
    const spendable = (await balance(alice)).spendable;
    const whole = await send(alice, bob.address, spendable);
    expect(whole).toMatchObject({ ok: false, reason: 'fee-not-covered' });
    expect(!whole.ok && whole.message).toMatch(/^the fee of about 0\.0000\d+ comes on top/);

    // Bob's coins are incoming until a block confirms them.
    expect(
      (await alice.send({ to: bob.address, amount: 5n * COIN, feeRate: 2n, sign: true })).ok,
    ).toBe(true);
    await expect.poll(async () => (await balance(bob)).incoming).toBe(5n * COIN);
    const early = await send(bob, alice.address, COIN);
    expect(early).toMatchObject({ ok: false, reason: 'unconfirmed-funds' });
    expect(!early.ok && early.message).toMatch(/5 coins paid to you are waiting for a block/);

    // More than spendable, covered once rewards mature: maturity is the cause.
    const maturing = await send(alice, bob.address, 150n * COIN);
    expect(maturing).toMatchObject({ ok: false, reason: 'immature-funds' });
    expect(!maturing.ok && maturing.message).toMatch(/mining rewards need 10 blocks/);

    // Zero says what is wrong in words.
    expect(await send(alice, bob.address, 0n)).toMatchObject({
      ok: false,
      reason: 'bad-amount',
      message: 'the amount must be more than 0 (the smallest is 0.00000001 coins)',
    });
  });
});

describe('suggested fee rate', () => {
  const entry = (feeRate: number, size: number, sequence: number) =>
    ({
      id: `e${sequence}`,
      feeRate,
      size,
      sequence,
      fee: BigInt(feeRate * size),
    }) as unknown as MempoolEntry;
  /** A mempool stand-in holding `entries` (only what suggestFeeRate reads). */
  function poolOf(entries: MempoolEntry[]): Mempool {
    const sorted = [...entries].sort((x, y) => y.feeRate - x.feeRate);
    const bytes = entries.reduce((sum, e) => sum + e.size, 0);
    return {
      minFeeRate: 1n,
      byFeeRate: () => sorted,
      entries: () => entries,
      parentsOf: () => [],
      size: entries.length,
      bytes,
    } as unknown as Mempool;
  }

  it('is the default while the next block has room, else just above the cheapest that fits', () => {
    expect(suggestFeeRate(new Mempool())).toMatchObject({
      rate: DEFAULT_FEE_RATE,
      reason: expect.stringMatching(/mempool is empty/),
    });
    expect(suggestFeeRate(poolOf([entry(5, 200, 0)])).reason).toMatch(
      /1 transaction .*room for all/,
    );
    // 1.2 MB waiting: the block fills with the 10/byte transactions and half of the 7/byte ones.
    const full = poolOf([
      entry(10, 600_000, 0),
      entry(7, 300_000, 1),
      entry(7, 200_000, 2),
      entry(3, 100_000, 3),
    ]);
    expect(MAX_BLOCK_BYTES).toBe(1_000_000);
    expect(suggestFeeRate(full)).toMatchObject({ rate: 8n, reason: expect.stringMatching(/full/) });
  });
});
