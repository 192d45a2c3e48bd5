/**
 * Explainers' pure models: a transaction's flow (inputs with origin, change, fee that adds
 * up), a wallet's coins (their sum is the headline balance), expected waits, sync steps.
 */
import { describe, expect, it } from 'vitest';
import { COINBASE_MATURITY, toHex } from '../../../core/index.js';
import { buildTxFlow } from '../../../client/ui/explain/tx-flow.js';
import { walletCoins } from '../../../client/ui/explain/coins.js';
import { nextBlocks, rateBand, waitLabel } from '../../../client/ui/explain/next-blocks.js';
import { syncSteps } from '../../../client/ui/explain/sync-steps.js';
import { walletBalance } from '../../../client/wallet/balance.js';
import {
  NOW,
  SUBSIDY,
  alice,
  bob,
  carol,
  fundedNode,
  outputOf,
  pay,
} from '../../helpers/regtest.js';

describe('buildTxFlow', () => {
  it('lists spent coins with origin, marks change, and the fee is inputs minus outputs', async () => {
    const { reward } = await fundedNode(3);
    const a = reward(1);
    const b = reward(2);
    const tx = pay(
      alice,
      [a, b],
      [
        { amount: 150_000_000n, pubkey: bob.pubkey },
        { amount: 2n * SUBSIDY - 150_000_000n - 5_000n, pubkey: alice.pubkey },
      ],
    );
    const flow = buildTxFlow(tx, [a.coin, b.coin]);
    expect(flow.coinbase).toBe(false);
    expect(flow.inputs.map((i) => [i.origin, i.height, i.coinbase, i.owner])).toEqual([
      [`${fundedTx(a)}:0`, 1, true, toHex(alice.pubkey)],
      [`${fundedTx(b)}:0`, 2, true, toHex(alice.pubkey)],
    ]);
    expect(flow.outputs.map((o) => o.change)).toEqual([false, true]);
    expect(flow.inTotal).toBe(2n * SUBSIDY);
    expect(flow.fee).toBe(5_000n);
    expect(flow.inTotal).toBe(flow.outTotal + flow.fee!);
  });

  it('leaves the fee unknown when a spent coin is unknown, and a coinbase has no inputs', async () => {
    const { reward, rewards } = await fundedNode(2);
    const tx = pay(alice, [reward(1)], [{ amount: SUBSIDY - 1n, pubkey: bob.pubkey }]);
    const flow = buildTxFlow(tx, [undefined]);
    expect(flow.inputs[0]!.amount).toBeUndefined();
    expect(flow.fee).toBeUndefined();
    expect(flow.outputs[0]!.change).toBe(false);
    const cb = buildTxFlow(rewards[0]!.txs[0]!, []);
    expect(cb.coinbase).toBe(true);
    expect(cb.inputs).toEqual([]);
    expect(cb.fee).toBeUndefined();
    expect(cb.outTotal).toBe(SUBSIDY);
  });
});

/** Display txid of the transaction a reward coin comes from. */
function fundedTx(s: { prevout: { txid: Uint8Array } }): string {
  return toHex(s.prevout.txid.slice().reverse());
}

describe('walletCoins', () => {
  it('shows maturing, spendable, spending and pending coins whose sum is the balance total', async () => {
    const { node, reward } = await fundedNode(COINBASE_MATURITY + 2);
    const spend = pay(
      alice,
      [reward(1)],
      [
        { amount: 100_000n, pubkey: bob.pubkey },
        { amount: SUBSIDY - 100_000n - 2_000n, pubkey: alice.pubkey },
      ],
    );
    expect((await node.acceptTx(spend, NOW)).ok).toBe(true);
    // Bob pays alice from the pending output: an incoming pending coin for alice.
    const incoming = pay(bob, [outputOf(spend, 0)], [{ amount: 90_000n, pubkey: alice.pubkey }]);
    expect((await node.acceptTx(incoming, NOW)).ok).toBe(true);
    const tip = node.chain.height;
    const confirmed = await node.chain.coinsByOwner(toHex(alice.pubkey));
    const coins = walletCoins(alice.pubkey, confirmed, node.mempool, tip);
    const byState = (s: string) => coins.filter((c) => c.state === s);
    expect(byState('spending').map((c) => c.key)).toEqual([reward(1).key]);
    expect(byState('pending').map((c) => c.amount)).toEqual([90_000n]);
    expect(
      byState('spendable')
        .filter((c) => c.change)
        .map((c) => c.amount),
    ).toEqual([SUBSIDY - 102_000n]);
    // Block h is spendable from block h + COINBASE_MATURITY: at tip 12, heights 4..12 still mature.
    const maturing = byState('maturing');
    expect(maturing).toHaveLength(COINBASE_MATURITY - 1);
    for (const c of maturing) expect(c.maturesIn).toBe(c.height! + COINBASE_MATURITY - tip - 1);
    const first = coins.find((c) => c.key === reward(2).key)!;
    expect(first.confirmations).toBe(tip - 1);
    const balance = walletBalance(alice.pubkey, confirmed, node.mempool, tip);
    const held = coins.filter((c) => c.state !== 'spending').reduce((s, c) => s + c.amount, 0n);
    expect(held).toBe(balance.total);
  });
});

describe('next blocks', () => {
  it('packs the template order and labels waits', async () => {
    const { node, reward } = await fundedNode(COINBASE_MATURITY + 3);
    for (const [i, fee] of [1_000n, 9_000n].entries()) {
      const tx = pay(alice, [reward(i + 1)], [{ amount: SUBSIDY - fee, pubkey: carol.pubkey }]);
      expect((await node.acceptTx(tx, NOW)).ok).toBe(true);
    }
    const [block] = nextBlocks(node.mempool, 4);
    const template = await node.template(bob.pubkey, NOW);
    expect(block!.entries.map((e) => e.tx)).toEqual(template.block.txs.slice(1));
    expect(block!.fees).toBe(template.fees);
    expect(block!.maxRate).toBeGreaterThan(block!.minRate);
    expect(nextBlocks(node.mempool, 4)).toHaveLength(1);
    expect([0, 1, 4, -1].map((i) => waitLabel(i, 4))).toEqual([
      'next block',
      'in ~2 blocks',
      'in ~5 blocks',
      'more than 4 blocks',
    ]);
    expect([1, 2, 9.9, 10, 500].map(rateBand)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('syncSteps', () => {
  it('walks headers, bodies, validated, connected', () => {
    const states = (h: number, c: number, f: number) =>
      syncSteps({ headers: h, connected: c, inFlight: f, start: 0 }).map((s) => s.state);
    expect(states(0, 0, 0)).toEqual(['active', 'waiting', 'waiting', 'waiting']);
    expect(states(150, 0, 16)).toEqual(['done', 'active', 'waiting', 'waiting']);
    expect(states(150, 40, 16)).toEqual(['done', 'active', 'active', 'active']);
    expect(states(150, 150, 0)).toEqual(['done', 'done', 'done', 'done']);
    const steps = syncSteps({ headers: 150, connected: 40, inFlight: 16, start: 0 });
    expect(steps[0]!.detail).toBe('150 headers known (150 new)');
    expect(steps[1]!.detail).toBe('40 of 150 downloaded, 16 in flight');
    expect(steps[3]!.detail).toBe('height 40 of 150');
  });
});
