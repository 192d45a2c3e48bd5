/** Block templates: fee-rate order with parents first, coinbase = subsidy + fees, and they connect. */
import { describe, expect, it } from 'vitest';
import { COINBASE_MATURITY, blockSubsidy, txidHex } from '../../../core/index.js';
import {
  NOW,
  mineHeader,
  openNode,
  outputOf,
  params,
  pay,
  testKey,
  SUBSIDY,
  fundedNode,
  alice,
  bob,
} from '../../helpers/regtest.js';

const miner = testKey(9);
const subsidy = SUBSIDY;

describe('createBlockTemplate', () => {
  it('puts higher fee rates first, keeps parents before children, pays subsidy + fees, and the block connects', async () => {
    const { node, reward } = await fundedNode(COINBASE_MATURITY + 3);
    const low = pay(alice, [reward(1)], [{ amount: subsidy - 1_000n, pubkey: bob.pubkey }]);
    const high = pay(alice, [reward(2)], [{ amount: subsidy - 9_000n, pubkey: bob.pubkey }]);
    // A cheap parent with a generous child: the package outranks `low`.
    const parent = pay(alice, [reward(3)], [{ amount: subsidy - 500n, pubkey: alice.pubkey }]);
    const child = pay(
      alice,
      [outputOf(parent)],
      [{ amount: subsidy - 20_500n, pubkey: bob.pubkey }],
    );
    for (const tx of [low, high, parent, child])
      expect((await node.acceptTx(tx, NOW)).ok).toBe(true);

    const template = await node.template(miner.pubkey, NOW);
    const order = template.block.txs.slice(1).map(txidHex);
    expect(order).toEqual([parent, child, high, low].map(txidHex));
    expect(template.fees).toBe(1_000n + 9_000n + 500n + 20_000n);
    const height = node.chain.height + 1;
    expect(template.block.txs[0]!.outputs[0]!.amount).toBe(
      blockSubsidy(height, params) + template.fees,
    );
    expect(template.block.header.time).toBeGreaterThan(node.chain.medianTimePast());

    const block = { ...template.block, header: mineHeader(template.block.header) };
    const result = await node.processBlock(block, NOW);
    expect(result.ok && result.status).toBe('active');
    expect(node.mempool.size).toBe(0);
  });

  it('makes an empty-mempool template that claims the subsidy only', async () => {
    const { node } = await openNode();
    const template = await node.template(miner.pubkey, NOW, 42);
    expect(template.block.txs).toHaveLength(1);
    expect(template.fees).toBe(0n);
    const result = await node.processBlock(
      { ...template.block, header: mineHeader(template.block.header) },
      NOW,
    );
    expect(result.ok).toBe(true);
  });
});
