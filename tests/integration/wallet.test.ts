/**
 * The wallet on in-process regtest nodes: keys from backup words (BIP39/BIP32 test vectors),
 * paying another tab (pending at once, then confirmed, with the fee), the refusals a user can
 * act on, a reorg moving a payment back to pending, and an unsigned send refused by peers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  COIN,
  COINBASE_MATURITY,
  blockSubsidy,
  encodeAddress,
  estimateTxSize,
  headerId,
  toHex,
  txidHex,
} from '../../core/index.js';
import { deriveKey } from '../../client/wallet/keys.js';
import { DEFAULT_FEE_RATE, type Wallet } from '../../client/wallet/wallet.js';
import { link, makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { buildBlock, params, testKey } from '../helpers/regtest.js';
import { TEST_MNEMONIC, mineTo, openWallet } from '../helpers/wallet-node.js';

const nodes: TestNode[] = [];
const wallets: Wallet[] = [];
const stranger = testKey(9).pubkey;
const REWARD = blockSubsidy(1, params);

async function node(name: string): Promise<TestNode> {
  const n = await makeNode(name);
  nodes.push(n);
  return n;
}

async function walletOn(n: TestNode): Promise<Wallet> {
  const { wallet } = await openWallet(n);
  wallets.push(wallet);
  return wallet;
}

/** The headline balance, checked to be the sum of the parts the UI shows under it. */
async function holdings(w: Wallet): Promise<bigint> {
  const b = await w.balances();
  expect(b.spendable + b.immature + b.incoming).toBe(b.total);
  return b.total;
}

afterEach(() => {
  for (const w of wallets.splice(0)) w.stop();
  stopAll(nodes.splice(0));
});

describe('keys from backup words', () => {
  it('derives the BIP86 test keys from the BIP39 test mnemonic', () => {
    // BIP86 test vector (account 0, first receiving address, coin type 0).
    expect(toHex(deriveKey(TEST_MNEMONIC, "m/86'/0'/0'/0/0").pubkey)).toBe(
      'cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115',
    );
    // Our path (coin type 1): the same key other wallets show for testnet taproot.
    expect(toHex(deriveKey(TEST_MNEMONIC).pubkey)).toBe(
      '55355ca83c973f1d97ce0e3843c85d78905af16b4dc531bc488e57212d230116',
    );
  });

  it('a new wallet has 12 words and keeps its address across a reopen; restore gives the same address anywhere', async () => {
    const n = await node('a');
    const { wallet, db } = await openWallet(n);
    wallets.push(wallet);
    expect(wallet.mnemonic().split(' ')).toHaveLength(12);
    expect(wallet.address).toMatch(/^tcrt1/);
    const again = await walletOn(n);
    expect(again.address).not.toBe(wallet.address); // another database: another wallet
    const reopened = (await openWallet(n, db)).wallet;
    wallets.push(reopened);
    expect(reopened.address).toBe(wallet.address);
    expect(reopened.mnemonic()).toBe(wallet.mnemonic());

    expect(await again.restore(`  ${TEST_MNEMONIC.toUpperCase().replace(/ /g, '   ')} `)).toEqual({
      ok: true,
      value: undefined,
    });
    expect(toHex(again.pubkey)).toBe(
      '55355ca83c973f1d97ce0e3843c85d78905af16b4dc531bc488e57212d230116',
    );
    expect(again.address).toBe(encodeAddress(again.pubkey, 'regtest'));
    expect(again.mnemonic()).toBe(TEST_MNEMONIC);
    const elsewhere = await walletOn(await node('b'));
    await elsewhere.restore(TEST_MNEMONIC);
    expect(elsewhere.address).toBe(again.address);
  });

  it('refuses backup words that cannot be right, saying why', async () => {
    const w = await walletOn(await node('a'));
    const before = w.address;
    const cases: [string, RegExp][] = [
      ['abandon '.repeat(12), /checksum/],
      [TEST_MNEMONIC.split(' ').slice(1).join(' '), /12 words; this has 11/],
      [TEST_MNEMONIC.replace('about', 'abuot'), /"abuot"/],
      ['', /enter the 12 backup words/],
    ];
    for (const [words, message] of cases) {
      const result = await w.restore(words);
      expect(result).toMatchObject({ ok: false, reason: 'bad-mnemonic' });
      expect(!result.ok && result.message).toMatch(message);
    }
    expect(w.address).toBe(before);
  });
});

describe('paying another tab', () => {
  it('shows a payment pending at once, then confirmed, with its fee; the payer loses amount + fee', async () => {
    const [a, b] = [await node('a'), await node('b')];
    link(a, b);
    const [alice, bob] = [await walletOn(a), await walletOn(b)];
    await mineTo(a, alice.pubkey, COINBASE_MATURITY + 1);
    await expect.poll(() => b.state.chain.height).toBe(COINBASE_MATURITY + 1);
    // Rewards of blocks 1 and 2 can be spent in block 12; the other nine are maturing.
    expect(await alice.balances()).toEqual({
      total: 11n * REWARD,
      spendable: 2n * REWARD,
      immature: 9n * REWARD,
      nextMaturityIn: 1,
      incoming: 0n,
      outgoing: { count: 0, amount: 0n, fee: 0n },
    });
    const before = await holdings(alice);

    const amount = 150_000_000n; // 1.5 coins
    const request = { to: bob.address, amount, feeRate: DEFAULT_FEE_RATE, sign: true };
    const fee = DEFAULT_FEE_RATE * BigInt(estimateTxSize(1, 2));
    expect(await alice.preview(request)).toEqual({
      ok: true,
      value: {
        fee,
        change: REWARD - amount - fee,
        inputs: 1,
        total: amount + fee,
        recipient: bob.pubkey,
      },
    });
    const sent = await alice.send(request);
    expect(sent).toEqual({ ok: true, value: { txid: expect.any(String), fee } });
    const id = sent.ok ? sent.value.txid : '';

    // Pending at once on the payer's side, with the fee and the recipient.
    expect((await alice.history())[0]).toEqual({
      txid: id,
      direction: 'sent',
      amount: -amount,
      fee,
      net: -(amount + fee),
      height: undefined,
      confirmations: 0,
      time: expect.any(Number),
      counterparty: bob.address,
    });
    // The total drops by amount + fee at once; the change is spendable; the parts add up.
    expect(await holdings(alice)).toBe(before - amount - fee);
    expect(await alice.balances()).toMatchObject({
      spendable: 2n * REWARD - amount - fee,
      incoming: 0n,
      outgoing: { count: 1, amount, fee },
    });
    // Relayed: pending on the recipient's tab, from the payer's address.
    await expect.poll(async () => (await bob.history()).length).toBe(1);
    expect((await bob.history())[0]).toEqual({
      txid: id,
      direction: 'received',
      amount,
      fee: undefined,
      net: amount,
      height: undefined,
      confirmations: 0,
      time: expect.any(Number),
      counterparty: alice.address,
    });
    expect(await bob.balances()).toMatchObject({ total: amount, incoming: amount, spendable: 0n });
    expect(await holdings(bob)).toBe(amount);

    // A stranger mines it.
    await mineTo(a, stranger, 1, { withMempool: true });
    await expect
      .poll(async () => (await bob.history())[0])
      .toMatchObject({ txid: id, height: 12, confirmations: 1 });
    expect(await bob.balances()).toMatchObject({ total: amount, incoming: 0n, spendable: amount });
    expect((await alice.balances()).outgoing).toEqual({ count: 0, amount: 0n, fee: 0n });
    expect((await alice.history())[0]).toMatchObject({
      txid: id,
      height: 12,
      confirmations: 1,
      fee,
    });
    expect(await holdings(alice)).toBe(before - amount - fee);
    await mineTo(a, stranger, 1);
    await expect.poll(async () => (await bob.history())[0]?.confirmations).toBe(2);
    // The payer's history: the payment on top, then twelve mining rewards, newest first.
    const history = await alice.history();
    expect(history.map((e) => e.direction)).toEqual(['sent', ...Array(11).fill('received')]);
    expect(history.slice(1).map((e) => e.height)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(history[1]).toMatchObject({ amount: REWARD, coinbase: true, confirmations: 3 });
  });

  it('a payment to oneself costs only the fee; raw hex keys are accepted', async () => {
    const a = await node('a');
    const alice = await walletOn(a);
    await mineTo(a, alice.pubkey, COINBASE_MATURITY + 1);
    const before = await alice.balances();
    const sent = await alice.send({
      to: toHex(alice.pubkey),
      amount: COIN,
      feeRate: 3n,
      sign: true,
    });
    expect(sent.ok).toBe(true);
    const fee = 3n * BigInt(estimateTxSize(1, 2));
    expect((await alice.history())[0]).toMatchObject({
      direction: 'self',
      amount: 0n,
      fee,
      net: -fee,
    });
    expect((await alice.history())[0]?.counterparty).toBeUndefined();
    expect((await alice.balances()).spendable).toBe(before.spendable - fee);
    await mineTo(a, stranger, 1, { withMempool: true });
    expect(await holdings(alice)).toBe(before.total - fee);
  });
});

describe('refusals a user can act on', () => {
  it('bad address, wrong network, bad amount or fee, insufficient and immature funds', async () => {
    const a = await node('a');
    const [alice, bob] = [await walletOn(a), await walletOn(a)];
    const send = (to: string, amount: bigint, feeRate = DEFAULT_FEE_RATE) =>
      alice.send({ to, amount, feeRate, sign: true });

    // Nothing mature yet: the reward of block 1 can be spent in block 11, 9 blocks after this tip.
    await mineTo(a, alice.pubkey, 1);
    expect(await send(bob.address, COIN)).toMatchObject({
      ok: false,
      reason: 'immature-funds',
      message: expect.stringMatching(/only 0 coins are spendable now.*in 9 blocks/),
    });
    await mineTo(a, alice.pubkey, COINBASE_MATURITY); // tip 11: 2 rewards mature, 9 maturing
    const typo = bob.address.slice(0, -1) + (bob.address.endsWith('q') ? 'p' : 'q');
    expect(await send(typo, COIN)).toMatchObject({
      ok: false,
      reason: 'bad-address',
      message: expect.stringMatching(/checksum/),
    });
    expect(await send('bc1qxyz', COIN)).toMatchObject({ ok: false, reason: 'bad-address' });
    expect(await send(encodeAddress(bob.pubkey, 'main'), COIN)).toMatchObject({
      ok: false,
      reason: 'wrong-network',
      message: 'that address is for main, this node is on regtest',
    });
    expect(await send(bob.address, 0n)).toMatchObject({ ok: false, reason: 'bad-amount' });
    expect(await send(bob.address, COIN, 0n)).toMatchObject({ ok: false, reason: 'bad-fee' });
    // 200 coins: 100 spendable; rewards 3, 4 and 5 mature in 1, 2 and 3 blocks.
    expect(await send(bob.address, 200n * COIN)).toMatchObject({
      ok: false,
      reason: 'immature-funds',
      message: expect.stringMatching(/only 100 coins are spendable now.*in 3 blocks/),
    });
    expect(
      await alice.preview({ to: bob.address, amount: 1000n * COIN, feeRate: 2n, sign: true }),
    ).toMatchObject({
      ok: false,
      reason: 'insufficient-funds',
      message: expect.stringMatching(
        /^1000 plus a fee of about 0\.0000\d+ is more than the 550 coins this wallet holds \(100 spendable now\)/,
      ),
    });
    expect(await alice.history()).toHaveLength(11); // nothing was sent
    expect(a.state.mempool.size).toBe(0);
  });
});

describe('reorganisations', () => {
  it('a reorg moves a received payment back to pending and drops a reward that left the chain', async () => {
    const a = await node('a');
    const [alice, bob] = [await walletOn(a), await walletOn(a)];
    await mineTo(a, alice.pubkey, COINBASE_MATURITY + 1);
    const paid = await alice.send({ to: bob.address, amount: 2n * COIN, feeRate: 2n, sign: true });
    const id = paid.ok ? paid.value.txid : '';
    const fork = a.state.chain.tip;
    // Block 12 confirms the payment and pays bob its reward.
    const [b12] = await mineTo(a, bob.pubkey, 1, { withMempool: true });
    await expect
      .poll(async () => (await bob.history()).map((e) => [e.height, e.coinbase ?? false]))
      .toEqual([
        [12, false],
        [12, true],
      ]);
    expect(await bob.balances()).toMatchObject({ spendable: 2n * COIN, immature: REWARD });

    // A heavier branch from block 11 without either: the payment returns to the mempool.
    const x = buildBlock(fork, { payTo: testKey(9), extraNonce: 7 });
    expect(await a.p2p.submitBlock(x, 'local')).toMatchObject({ ok: true, status: 'side-branch' });
    const y = buildBlock(a.state.chain.getEntry(headerId(x.header))!, { extraNonce: 7 });
    expect(await a.p2p.submitBlock(y, 'local')).toMatchObject({ ok: true, status: 'active' });
    expect(a.state.chain.tip.id).toBe(headerId(y.header));
    expect(a.state.chain.isActive(a.state.chain.getEntry(headerId(b12!.header))!)).toBe(false);
    await expect.poll(async () => (await bob.history()).length).toBe(1);
    expect((await bob.history())[0]).toMatchObject({
      txid: id,
      direction: 'received',
      height: undefined,
      confirmations: 0,
    });
    expect(await bob.balances()).toMatchObject({
      spendable: 0n,
      incoming: 2n * COIN,
      immature: 0n,
    });
    expect((await alice.history())[0]).toMatchObject({ txid: id, height: undefined });

    // Mined again on the new branch: confirmed at its new height.
    await mineTo(a, stranger, 1, { withMempool: true });
    await expect
      .poll(async () => (await bob.history())[0])
      .toMatchObject({ txid: id, height: 14, confirmations: 1 });
    const tipBlock = await a.state.chain.getBlock(a.state.chain.tip.id);
    expect(tipBlock?.txs.map((tx) => txidHex(tx))).toContain(id);
  });
});

describe('reloads', () => {
  it('a reopened wallet catches up on blocks and a reorg that happened while it was closed', async () => {
    const a = await node('a');
    const { wallet, db } = await openWallet(a);
    await mineTo(a, wallet.pubkey, 3);
    expect((await wallet.history()).map((e) => e.height)).toEqual([3, 2, 1]);
    wallet.stop(); // the tab closes; the chain moves on without it
    // Four blocks on block 1 by a stranger: blocks 2 and 3 (our rewards) leave the chain.
    let parent = a.state.chain.entryAt(1)!;
    for (let i = 0; i < 4; i++) {
      const block = buildBlock(parent, { payTo: testKey(9), extraNonce: 5 });
      await a.p2p.submitBlock(block, 'local');
      parent = a.state.chain.getEntry(headerId(block.header))!;
    }
    expect(a.state.chain.height).toBe(5);
    await mineTo(a, wallet.pubkey, 1);

    const reopened = (await openWallet(a, db)).wallet;
    wallets.push(reopened);
    expect((await reopened.history()).map((e) => [e.height, e.confirmations])).toEqual([
      [6, 1],
      [1, 6],
    ]);
    expect(await reopened.balances()).toMatchObject({ immature: 2n * REWARD });
  });
});

describe('the sign switch', () => {
  it('an unsigned payment is refused by peers with bad-signature, who ban this tab; nothing changes here', async () => {
    const [a, b] = [await node('a'), await node('b')];
    link(a, b);
    const alice = await walletOn(a);
    const bob = await walletOn(b);
    await mineTo(a, alice.pubkey, COINBASE_MATURITY + 1);
    await expect.poll(() => a.p2p.peers.get('b')?.state).toBe('ready');
    await expect.poll(() => b.state.chain.height).toBe(COINBASE_MATURITY + 1);
    const refused: { reason: string; from: string }[] = [];
    const banned: string[] = [];
    const rejects: string[] = [];
    b.p2p.on('refused', (r) => refused.push({ reason: r.reason, from: r.from }));
    b.p2p.on('banned', (ban) => banned.push(ban.id));
    a.p2p.on('peer-reject', (r) => rejects.push(r.reason));
    const before = await alice.balances();
    const historyBefore = await alice.history();

    const result = await alice.send({ to: bob.address, amount: COIN, feeRate: 2n, sign: false });
    expect(result).toMatchObject({
      ok: true,
      value: { notice: expect.stringMatching(/to 1 peer.*bad-signature.*ban this tab/) },
    });
    await expect.poll(() => banned).toEqual(['a']);
    expect(refused).toEqual([{ reason: 'bad-signature', from: 'a' }]);
    await expect.poll(() => rejects).toContain('bad-signature');
    await expect.poll(() => a.p2p.peers.size).toBe(0);
    expect(a.state.mempool.size + b.state.mempool.size).toBe(0);
    expect(await alice.balances()).toEqual(before);
    expect(await alice.history()).toEqual(historyBefore);
    expect(await bob.history()).toEqual([]);

    // With nobody left to send to, the wallet says so.
    expect(
      await alice.send({ to: bob.address, amount: COIN, feeRate: 2n, sign: false }),
    ).toMatchObject({ ok: false, reason: 'no-peers' });
  });
});
