/** Chain state: fork choice, reorgs with undo data, pruning, orphans, reload from storage. */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Chain,
  COINBASE_MATURITY,
  MemoryStore,
  NodeState,
  PRUNE_DEPTH,
  blockSize,
  headerId,
  txidHex,
  type Block,
  type BlockEntry,
} from '../../../core/index.js';
import {
  NOW,
  buildBlock,
  mineBlocks,
  openNode,
  outputOf,
  params,
  pay,
  SUBSIDY,
  fundedNode,
  type FundedNode,
  alice,
  bob,
  carol,
  buildBranch,
} from '../../helpers/regtest.js';

const subsidy = SUBSIDY;

let node: NodeState;
let store: MemoryStore;
let rewards: Block[];
let reward: FundedNode['reward'];

beforeEach(async () => {
  ({ node, store, rewards, reward } = await fundedNode(COINBASE_MATURITY + 2));
});

/** `count` unprocessed blocks on `parent`, paying Carol (`tag` keeps branches distinct). */
const branch = (parent: BlockEntry, count: number, tag: number, first: Block['txs'] = []) =>
  buildBranch(parent, count, tag, carol, [...first]);

async function processAll(blocks: Block[]) {
  const results = [];
  for (const b of blocks) results.push(await node.processBlock(b, NOW));
  return results;
}

describe('fork choice and reorg', () => {
  it('keeps the first-seen block on a tie and reorganises to a heavier branch (3 blocks)', async () => {
    const fork = node.chain.tip;
    const t1 = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    expect((await node.acceptTx(t1, NOW)).ok).toBe(true);
    const a = branch(fork, 3, 1, [t1]);
    const b = branch(fork, 4, 2);
    await processAll(a);
    expect(node.mempool.has(txidHex(t1))).toBe(false);
    const sideResults = await processAll(b.slice(0, 3));
    expect(sideResults.map((r) => r.ok && r.status)).toEqual([
      'side-branch',
      'side-branch',
      'side-branch',
    ]);
    expect(node.chain.tip.id).toBe(headerId(a[2]!.header)); // equal work: first seen wins

    const reorg = await node.processBlock(b[3]!, NOW);
    expect(reorg.ok && reorg.status).toBe('active');
    expect(reorg.change.disconnected.map((x) => headerId(x.header))).toEqual(
      a.map((x) => headerId(x.header)).reverse(),
    );
    expect(reorg.change.connected).toHaveLength(4);
    expect(node.chain.tip.id).toBe(headerId(b[3]!.header));
    // The losing branch's payment is pending again, and the coins are as if A never happened.
    expect(node.mempool.has(txidHex(t1))).toBe(true);
    expect(reorg.mempool.returned.map((e) => e.id)).toEqual([txidHex(t1)]);
    expect(await store.getCoins([reward(1).key])).toEqual([reward(1).coin]);
    expect(await store.getCoins([outputOf(t1).key])).toEqual([undefined]);
  });

  it('leaves the UTXO set exactly as a node that only ever saw the winning branch', async () => {
    const fork = node.chain.tip;
    const t1 = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const t2 = pay(alice, [reward(2)], [{ amount: subsidy - 1000n, pubkey: carol.pubkey }]);
    const a = branch(fork, 2, 1, [t1]);
    const b = branch(fork, 3, 2, [t2]);
    await processAll([...a, ...b]);

    const { node: other, store: otherStore } = await openNode();
    for (const blk of [...rewards, ...b])
      expect((await other.processBlock(blk, NOW)).ok).toBe(true);
    expect(node.chain.tip.id).toBe(other.chain.tip.id);
    expect(new Map(store.coins)).toEqual(new Map(otherStore.coins));
  });

  it('falls back to the old branch when a heavier branch has an invalid block', async () => {
    const fork = node.chain.tip;
    const a = branch(fork, 1, 1);
    await processAll(a);
    const b1 = buildBlock(fork, { extraNonce: 2 });
    const b1Entry = {
      ...fork,
      id: headerId(b1.header),
      header: b1.header,
      height: fork.height + 1,
      parent: fork,
    };
    const b2 = buildBlock(b1Entry, { reward: subsidy * 3n });
    await node.processBlock(b1, NOW);
    const result = await node.processBlock(b2, NOW);
    expect(result.ok === false && result.reason).toBe('bad-cb-amount');
    expect(node.chain.tip.id).toBe(headerId(a[0]!.header));
    expect(node.chain.getEntry(headerId(b2.header))?.status).toBe('invalid');
  });

  it('survives a reload: the same tip, index and coins come back from storage', async () => {
    const fork = node.chain.tip;
    await processAll([...branch(fork, 1, 1), ...branch(fork, 2, 2)]);
    const reopened = await Chain.open(params, store);
    expect(reopened.tip.id).toBe(node.chain.tip.id);
    expect(reopened.height).toBe(node.chain.height);
    expect([...reopened.entries()].length).toBe([...node.chain.entries()].length);
    expect(reopened.locator()).toEqual(node.chain.locator());
  });

  it('refuses to open a store holding another network', async () => {
    const { MAIN } = await import('../../../core/index.js');
    await expect(Chain.open(MAIN, store)).rejects.toThrow(/another network/);
  });
});

describe('orphans', () => {
  it('holds blocks that arrive before their parents and connects them when the parent comes', async () => {
    const blocks = branch(node.chain.tip, 3, 5);
    const late = await processAll([blocks[2]!, blocks[1]!]);
    expect(late.map((r) => r.ok && r.status)).toEqual(['orphan', 'orphan']);
    expect(node.chain.orphanCount).toBe(2);
    const result = await node.processBlock(blocks[0]!, NOW);
    expect(result.ok && result.change.connected).toHaveLength(3);
    expect(node.chain.tip.id).toBe(headerId(blocks[2]!.header));
    expect(node.chain.orphanCount).toBe(0);
  });

  it('bounds the orphan pool', async () => {
    const small = await NodeState.open(params, new MemoryStore(), { maxOrphans: 2 });
    const blocks = branch(small.chain.tip, 5, 6);
    for (const b of blocks.slice(1)) await small.processBlock(b, NOW);
    expect(small.chain.orphanCount).toBe(2);
  });

  it('bounds the orphan pool by bytes too, dropping the oldest', async () => {
    const blocks = branch(node.chain.tip, 5, 7);
    const size = blockSize(blocks[1]!);
    const small = await NodeState.open(params, new MemoryStore(), {
      maxOrphanBytes: 2 * size + size / 2,
    });
    for (const b of blocks.slice(1)) await small.processBlock(b, NOW);
    expect(small.chain.orphanCount).toBe(2);
    expect(small.chain.orphanBytes).toBeLessThanOrEqual(2 * size + size / 2);
    expect(small.chain.hasOrphan(headerId(blocks[4]!.header))).toBe(true);
    expect(small.chain.hasOrphan(headerId(blocks[1]!.header))).toBe(false);
  });
});

describe('pruning', () => {
  it(`prunes a stale branch once it is more than PRUNE_DEPTH (${PRUNE_DEPTH}) blocks behind the tip, returning its transactions`, async () => {
    const fork = node.chain.tip;
    const unique = pay(alice, [reward(3)], [{ amount: subsidy - 500n, pubkey: carol.pubkey }]);
    const [main1] = branch(fork, 1, 1);
    const [stale] = branch(fork, 1, 2, [unique]);
    await processAll([main1!, stale!]);
    expect(node.chain.getEntry(headerId(stale!.header))?.status).toBe('data');

    await mineBlocks(node, PRUNE_DEPTH); // the stale block is PRUNE_DEPTH behind the tip: kept
    expect(node.chain.tip.height - (fork.height + 1)).toBe(PRUNE_DEPTH);
    expect(node.chain.getEntry(headerId(stale!.header))).toBeDefined();

    const [last] = await mineBlocks(node, 1); // 7 behind: pruned
    const id = headerId(stale!.header);
    expect(node.chain.getEntry(id)).toBeUndefined();
    expect(await store.getBlock(id)).toBeUndefined();
    expect(node.mempool.has(txidHex(unique))).toBe(true);
    expect(headerId(last!.header)).toBe(node.chain.tip.id);
  });
});

describe('deep reorg', () => {
  it('keeps a competing branch announced by headers that forks deeper than PRUNE_DEPTH, and reorganises to it', async () => {
    const fork = node.chain.tip;
    const a = branch(fork, PRUNE_DEPTH + 4, 1);
    const b = branch(fork, PRUNE_DEPTH + 5, 2);
    await processAll(a);
    // Headers-first: the branch's headers arrive before its bodies.
    for (const block of b) expect((await node.chain.acceptHeader(block.header, NOW)).ok).toBe(true);
    expect(node.chain.bestHeader.id).toBe(headerId(b[b.length - 1]!.header));
    const results = await processAll(b);
    expect(results.slice(0, -1).every((r) => r.ok && r.status === 'side-branch')).toBe(true);
    const last = results[results.length - 1]!;
    expect(last.ok && last.change.disconnected).toHaveLength(a.length);
    expect(node.chain.tip.id).toBe(headerId(b[b.length - 1]!.header));
    // The losing branch is now the stale one, and goes once it falls far enough behind.
    await mineBlocks(node, PRUNE_DEPTH + 2);
    expect(node.chain.getEntry(headerId(a[a.length - 1]!.header))).toBeUndefined();
  });
});

describe('headers-first', () => {
  it('accepts headers ahead of bodies, tracks the best header and answers getheaders from a locator', async () => {
    const { node: fresh } = await openNode();
    for (const block of rewards)
      expect((await fresh.chain.acceptHeader(block.header, NOW)).ok).toBe(true);
    expect(fresh.chain.bestHeader.height).toBe(rewards.length);
    expect(fresh.chain.height).toBe(0);
    const headers = node.chain.headersAfter(fresh.chain.locator());
    expect(headers).toHaveLength(rewards.length);
    const partial = node.chain.headersAfter([headerId(rewards[4]!.header)]);
    expect(partial.map((h) => headerId(h))).toEqual(
      rewards.slice(5).map((b) => headerId(b.header)),
    );
    for (const block of rewards) await fresh.processBlock(block, NOW);
    expect(fresh.chain.tip.id).toBe(node.chain.tip.id);
  });
});

describe('reload after an interrupted connect', () => {
  it('connects a stored block that was never connected when the chain reopens', async () => {
    const block = buildBlock(node.chain.tip, { payTo: carol });
    const id = headerId(block.header);
    // Simulate "body saved, tab closed before the connect write": store the body only.
    const { toStored } = await import('../../../core/index.js');
    const entry = {
      ...node.chain.tip,
      id,
      header: block.header,
      height: node.chain.height + 1,
      chainWork:
        node.chain.tip.chainWork + (node.chain.tip.chainWork - node.chain.tip.parent!.chainWork),
      sequence: 999,
      parent: node.chain.tip,
      status: 'data' as const,
    };
    await store.write({ putEntries: [toStored(entry)], putBlocks: [{ id, block }] });
    const reopened = await Chain.open(params, store);
    expect(reopened.tip.id).toBe(id);
    expect(reopened.getEntry(id)?.status).toBe('valid');
  });
});
