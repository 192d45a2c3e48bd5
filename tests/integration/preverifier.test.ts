/**
 * client/verify/preverifier.ts: blocks reach the chain in submission order whatever their
 * verification takes; only new bodies with valid proof of work go to the pool; a full backlog
 * and a missing pool leave blocks to the serial path, which still accepts or refuses them; a
 * block spending outputs of one not connected yet has those keys found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeVerifyWorker } from '../../client/verify/node-verify-worker.js';
import { Preverifier } from '../../client/verify/preverifier.js';
import { VerifyPool } from '../../client/verify/verify-pool.js';
import { headerId, type Block, type BlockEntry, type NodeState } from '../../core/index.js';
import {
  NOW,
  alice,
  bob,
  buildBlock,
  nodeWithCoins,
  outputOf,
  pay,
  unmineHeader,
} from '../helpers/regtest.js';

let pool: VerifyPool | undefined;
let node: NodeState;
let spend: (from: number, count: number) => ReturnType<typeof pay>[];

beforeAll(async () => {
  pool = await VerifyPool.start(createNodeVerifyWorker, 2, 'noble');
  const funded = await nodeWithCoins(120);
  node = funded.node;
  spend = (from, count) =>
    Array.from({ length: count }, (_, i) =>
      pay(
        alice,
        [outputOf(funded.fanout, from + i)],
        [{ amount: 99_000_000n, pubkey: bob.pubkey }],
      ),
    );
});

afterAll(() => pool?.close());

/** An entry for `block` on `parent`, enough to build its child before it connects. */
function entryOf(block: Block, parent: BlockEntry): BlockEntry {
  return { ...parent, id: headerId(block.header), header: block.header, height: parent.height + 1 };
}

describe('Preverifier', () => {
  it('hands blocks on in submission order, with a later block spending an earlier one', async () => {
    const preverifier = new Preverifier(node.chain, pool);
    const big = buildBlock(node.chain.tip, { txs: spend(0, 40) });
    const chained = pay(
      bob,
      [outputOf(big.txs[1]!, 0)],
      [{ amount: 1_000n, pubkey: alice.pubkey }],
    );
    const small = buildBlock(entryOf(big, node.chain.tip), { txs: [chained] });
    const order: string[] = [];
    const submit = (block: Block, name: string) =>
      preverifier.inOrder(block, () => {
        order.push(name);
        return node.processBlock(block, NOW);
      });
    const [a, b] = await Promise.all([submit(big, 'big'), submit(small, 'small')]);
    expect(order).toEqual(['big', 'small']);
    expect(a.ok && a.status).toBe('active');
    expect(b.ok && b.status).toBe('active');
    // The small block's key came from the big block's outputs before the big block connected.
    expect(preverifier.totals).toMatchObject({ blocks: 2, listed: 41, valid: 41, notValid: 0 });
  });

  it('sends only new bodies with valid proof of work to the pool', async () => {
    const preverifier = new Preverifier(node.chain, pool);
    const block = buildBlock(node.chain.tip, { txs: spend(40, 3) });
    const unmined = { ...block, header: unmineHeader(block.header) };
    const refused = await preverifier.inOrder(unmined, () => node.processBlock(unmined, NOW));
    expect(refused.ok || refused.reason).toBe('high-hash');
    expect(await preverifier.inOrder(block, () => node.processBlock(block, NOW))).toMatchObject({
      ok: true,
    });
    const again = await preverifier.inOrder(block, () => node.processBlock(block, NOW));
    expect(again.ok || again.category).toBe('duplicate');
    expect(preverifier.totals).toMatchObject({ blocks: 1, valid: 3, skipped: 2 });
  });

  it('leaves a block to the serial path when the backlog is full, or without a pool', async () => {
    const full = new Preverifier(node.chain, pool, { maxBacklog: 2, maxRecent: 10 });
    const block = buildBlock(node.chain.tip, { txs: spend(50, 3) });
    const result = await full.inOrder(block, () => node.processBlock(block, NOW));
    expect(result.ok && result.status).toBe('active');
    expect(full.totals).toMatchObject({ blocks: 0, valid: 0, skipped: 1, listed: 3 });

    const none = new Preverifier(node.chain, undefined);
    const bad = spend(60, 2);
    bad[1] = {
      ...bad[1]!,
      inputs: [{ ...bad[1]!.inputs[0]!, witness: bad[0]!.inputs[0]!.witness }],
    };
    const invalid = buildBlock(node.chain.tip, { txs: bad });
    const refused = await none.inOrder(invalid, () => node.processBlock(invalid, NOW));
    expect(refused.ok || refused.reason).toBe('bad-signature');
    expect(none.totals).toMatchObject({ blocks: 0, listed: 0, valid: 0 });
  });

  it('leaves the miners their cores, also when the pool attaches after mining started', () => {
    const preverifier = new Preverifier(node.chain);
    preverifier.onMining(1);
    preverifier.attach(pool, 2);
    expect(pool!.activeWorkers).toBe(1);
    preverifier.onMining(0);
    expect(pool!.activeWorkers).toBe(2);
    expect(preverifier.workers).toBe(pool);
  });

  it('skips a block made only of transactions the mempool admitted (their signatures are cached)', async () => {
    const txs = spend(90, 3);
    for (const tx of txs) expect((await node.acceptTx(tx, NOW)).ok).toBe(true);
    const admitted = (tx: Parameters<typeof node.mempool.admitted>[0]) => node.mempool.admitted(tx);
    const limits = { maxBacklog: 20_000, maxRecent: 50_000 };
    const preverifier = new Preverifier(node.chain, pool, limits, admitted);
    // The same transactions as other objects (decoded from a peer's block) were not admitted.
    const copies = txs.map((tx) => structuredClone(tx));
    expect(copies.map(admitted)).toEqual([false, false, false]);
    const other = new Preverifier(node.chain, pool, limits, admitted);
    await other.preverify(buildBlock(node.chain.tip, { txs: copies }));
    expect(other.totals).toMatchObject({ skipped: 0, listed: 3, cached: 3 });
    const block = buildBlock(node.chain.tip, { txs });
    const out = await preverifier.inOrder(block, () => node.processBlock(block, NOW));
    expect(out.ok && out.status).toBe('active');
    expect(preverifier.totals).toMatchObject({ skipped: 1, listed: 0, blocks: 0 });
  });

  it('keeps at most its bound of recent outputs', async () => {
    const small = new Preverifier(node.chain, pool, { maxBacklog: 1_000, maxRecent: 5 });
    const block = buildBlock(node.chain.tip, { txs: spend(70, 10) });
    await small.inOrder(block, () => node.processBlock(block, NOW));
    expect((small as unknown as { recent: Map<string, unknown> }).recent.size).toBe(5);
  });
});
