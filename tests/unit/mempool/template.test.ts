/** Block templates: fee-rate order with parents first, coinbase = subsidy + fees, and they connect. */
import { describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  MAX_BLOCK_BYTES,
  blockSubsidy,
  createBlockTemplate,
  estimateTxSize,
  projectBlocks,
  selectTransactions,
  templateTxBytes,
  txidHex,
} from '../../../core/index.js';
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
  carol,
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

describe('projectBlocks', () => {
  /** Six pending payments at different fee rates, one a child of another (CPFP). */
  async function busyNode() {
    const { node, reward } = await fundedNode(COINBASE_MATURITY + 6);
    const fees = [3_000n, 700n, 9_000n, 1_500n, 400n];
    const txs = fees.map((fee, i) =>
      pay(alice, [reward(i + 1)], [{ amount: subsidy - fee, pubkey: bob.pubkey }]),
    );
    const parent = txs[4]!;
    const child = pay(
      bob,
      [outputOf(parent)],
      [{ amount: subsidy - 400n - 30_000n, pubkey: carol.pubkey }],
    );
    for (const tx of [...txs, child]) expect((await node.acceptTx(tx, NOW)).ok).toBe(true);
    return node;
  }

  it('projected block 1 holds exactly the template transactions, in order', async () => {
    const node = await busyNode();
    const template = await node.template(miner.pubkey, NOW);
    const [first] = projectBlocks(node.mempool, 3);
    expect(first!.map((e) => e.id)).toEqual(template.block.txs.slice(1).map(txidHex));
    expect(first!.length).toBe(node.mempool.size);
  });

  it('fills each block as the template would, over what earlier blocks leave, parents first', async () => {
    const node = await busyNode();
    const room = 2 * estimateTxSize(1, 1);
    const maxBytes = room + (MAX_BLOCK_BYTES - templateTxBytes());
    expect(templateTxBytes(maxBytes)).toBe(room);
    const blocks = projectBlocks(node.mempool, 10, maxBytes);
    expect(blocks.map((b) => b.length)).toEqual([2, 2, 2]);
    const taken = new Set<string>();
    for (const block of blocks) {
      expect(block.map((e) => e.id)).toEqual(
        selectTransactions(node.mempool, room, taken).map((e) => e.id),
      );
      expect(block.reduce((sum, e) => sum + e.size, 0)).toBeLessThanOrEqual(room);
      for (const e of block) {
        for (const p of node.mempool.parentsOf(e))
          expect(taken.has(p.id) || block.indexOf(p) < block.indexOf(e)).toBe(true);
        taken.add(e.id);
      }
    }
    expect(taken.size).toBe(node.mempool.size);
    // Block 1 is what a template of that size mines.
    const small = createBlockTemplate(
      {
        params,
        parentHash: new Uint8Array(32),
        height: node.chain.height + 1,
        bits: node.chain.nextBits(),
        medianTimePast: node.chain.medianTimePast(),
        now: NOW,
        payTo: miner.pubkey,
        maxBytes,
      },
      node.mempool,
    );
    expect(blocks[0]!.map((e) => e.tx)).toEqual(small.block.txs.slice(1));
    expect(projectBlocks(node.mempool, 2, maxBytes)).toHaveLength(2);
  });
});
