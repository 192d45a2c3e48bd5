/**
 * Nodes in one process over in-memory links: sync, convergence on the heavier branch, relay,
 * and banning of a peer that sends invalid data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  blockSubsidy,
  headerId,
  txidHex,
  type Block,
} from '../../core/index.js';
import { buildBlock, mineHeader, outputOf, params, pay, testKey } from '../helpers/regtest.js';
import { clock, link, makeNode, stopAll, type TestNode } from '../helpers/net.js';

const alice = testKey(1);
const bob = testKey(2);
const nodes: TestNode[] = [];

async function node(name: string): Promise<TestNode> {
  const n = await makeNode(name);
  nodes.push(n);
  return n;
}

afterEach(() => stopAll(nodes.splice(0)));

/** Mine `count` blocks on `n`'s tip locally (through the normal submit path). */
async function mine(
  n: TestNode,
  count: number,
  payTo = alice,
  txs: Block['txs'] = [],
): Promise<Block[]> {
  const blocks: Block[] = [];
  for (let i = 0; i < count; i++) {
    const block = buildBlock(n.state.chain.tip, {
      payTo,
      txs: i === 0 ? [...txs] : [],
      extraNonce: n.name.length,
    });
    const result = await n.p2p.submitBlock(block, 'local');
    if (!result.ok) throw new Error(`${n.name} refused its own block: ${result.reason}`);
    blocks.push(block);
  }
  return blocks;
}

describe('sync', () => {
  it('a new node syncs a 2,000-block chain headers-first, reporting progress', async () => {
    const a = await node('a');
    const b = await node('b');
    await mine(a, 2000);
    const c = await node('c');
    const progress: {
      done: number;
      total: number;
      headers: number;
      connected: number;
      inFlight: number;
    }[] = [];
    c.p2p.on('sync-progress', (p) => progress.push(p));
    link(c, a);
    link(c, b); // b has nothing: c must still finish from a
    await expect.poll(() => c.state.chain.height, { timeout: 60_000, interval: 50 }).toBe(2000);
    expect(c.state.chain.tip.id).toBe(a.state.chain.tip.id);
    expect(progress.at(-1)).toMatchObject({
      done: 2000,
      total: 2000,
      headers: 2000,
      connected: 2000,
    });
    // The counts the sync step view shows: headers lead, bodies fly in parallel, then connect.
    expect(progress.some((p) => p.headers === 2000 && p.connected < 2000 && p.inFlight > 1)).toBe(
      true,
    );
    expect(progress.every((p) => p.connected <= p.headers)).toBe(true);
    expect(progress.some((p) => p.done > 0 && p.done < 2000)).toBe(true);
    // b learns the chain from c or a as well.
    await expect.poll(() => b.state.chain.height, { timeout: 60_000, interval: 50 }).toBe(2000);
  }, 120_000);

  it('reports where a sync began, in bytes too, to a listener that began to listen late', async () => {
    const a = await node('a');
    await mine(a, 600);
    const c = await node('c');
    link(c, a);
    // A view that attaches once the first 100 blocks are in (a page still rendering).
    await expect
      .poll(() => c.state.chain.height, { timeout: 60_000, interval: 5 })
      .toBeGreaterThan(100);
    const seen: { startBytes: number; syncing: boolean; start: number }[] = [];
    c.p2p.on('sync-progress', (p) => seen.push(p));
    await expect.poll(() => c.state.chain.height, { timeout: 60_000, interval: 50 }).toBe(600);
    expect(seen.some((p) => p.syncing)).toBe(true); // it listened during the sync
    expect(seen.at(-1)!.syncing).toBe(false);
    // Every report names the start of the whole sync: height 0, and the byte count then, which
    // leaves every header and body this sync received after it.
    const received = c.p2p.traffic.of('headers').bytes + c.p2p.traffic.of('block').bytes;
    for (const p of seen) {
      expect(p.start).toBe(0);
      expect(c.p2p.traffic.bytes - p.startBytes).toBeGreaterThanOrEqual(received);
    }
    // Caught up: the next sync starts from here, and traffic while caught up (noted at each
    // tick) is not counted as the next sync's.
    c.p2p.tick();
    const caughtUpAt = c.p2p.traffic.bytes;
    await mine(a, 1);
    await expect.poll(() => c.state.chain.height).toBe(601);
    expect(seen.at(-1)).toMatchObject({ start: 600, syncing: false });
    expect(seen.at(-1)!.startBytes).toBeGreaterThanOrEqual(caughtUpAt);
    expect(caughtUpAt).toBeGreaterThanOrEqual(received);
  }, 120_000);
});

describe('relay and convergence', () => {
  it('spreads a transaction to every node through a line of peers', async () => {
    const [a, b, c] = [await node('a'), await node('b'), await node('c')];
    link(a, b);
    link(b, c);
    const rewards = await mine(a, COINBASE_MATURITY + 1);
    await expect.poll(() => c.state.chain.height).toBe(COINBASE_MATURITY + 1);
    const tx = pay(
      alice,
      [outputOf(rewards[0]!.txs[0]!, 0, 1, true)],
      [{ amount: blockSubsidy(1, params) - 1000n, pubkey: bob.pubkey }],
    );
    expect(await c.p2p.submitTx(tx, 'local')).toBeUndefined();
    await expect.poll(() => a.state.mempool.has(txidHex(tx))).toBe(true);
    expect(b.state.mempool.has(txidHex(tx))).toBe(true);
    // It is mined by a and the block confirms it everywhere.
    await mine(a, 1, alice, [tx]);
    await expect.poll(() => c.state.mempool.size).toBe(0);
    expect(c.state.chain.tip.id).toBe(a.state.chain.tip.id);
  });

  it('two miners fork; every node converges on the heavier branch with the losing transactions back in mempools', async () => {
    const [a, b, c] = [await node('a'), await node('b'), await node('c')];
    link(a, c);
    link(b, c);
    const rewards = await mine(a, COINBASE_MATURITY + 2);
    await expect.poll(() => b.state.chain.height).toBe(COINBASE_MATURITY + 2);
    // Partition: a and b mine apart (c keeps hearing both, but only b's branch will win).
    for (const peer of [...c.p2p.peers.values()]) peer.close('partition');
    await expect.poll(() => a.p2p.peers.size + b.p2p.peers.size).toBe(0);
    const spend = pay(
      alice,
      [outputOf(rewards[0]!.txs[0]!, 0, 1, true)],
      [{ amount: blockSubsidy(1, params) - 2000n, pubkey: bob.pubkey }],
    );
    const aBranch = await mine(a, 2, alice, [spend]);
    await mine(b, 3, bob);
    expect(a.state.chain.tip.id).toBe(headerId(aBranch[1]!.header));
    link(a, c);
    link(b, c);
    const winner = () => b.state.chain.tip.id;
    await expect
      .poll(() => [a, b, c].map((n) => n.state.chain.tip.id), { timeout: 20_000 })
      .toEqual([winner(), winner(), winner()]);
    // The payment confirmed only on the losing branch is pending again on a and relayed on.
    await expect.poll(() => a.state.mempool.has(txidHex(spend))).toBe(true);
    await expect.poll(() => c.state.mempool.has(txidHex(spend))).toBe(true);
  });
});

describe('misbehaviour', () => {
  it('bans a peer that sends an invalid block and keeps every honest tip', async () => {
    const [honest1, honest2, attacker] = [await node('h1'), await node('h2'), await node('evil')];
    link(honest1, honest2);
    link(attacker, honest1);
    link(attacker, honest2);
    await mine(honest1, 3);
    await expect.poll(() => attacker.state.chain.height).toBe(3);
    const tip = honest1.state.chain.tip.id;
    const banned: string[] = [];
    honest1.p2p.on('banned', (ban) => banned.push(ban.reason));
    // An inflated coinbase on top of the honest tip, sent straight to honest1.
    const greedy = buildBlock(attacker.state.chain.tip, { reward: blockSubsidy(4, params) * 100n });
    const toHonest = attacker.p2p.peers.get('h1')!;
    toHonest.send({ type: 'block', block: { ...greedy, header: mineHeader(greedy.header) } });
    await expect.poll(() => banned).toHaveLength(1);
    expect(banned[0]).toMatch(/^bad-cb-amount/);
    expect(honest1.p2p.peers.has('evil')).toBe(false);
    expect(honest1.p2p.bans.get('evil', clock.ms + 1)?.reason).toMatch(/^bad-cb-amount/);
    expect([honest1, honest2].map((n) => n.state.chain.tip.id)).toEqual([tip, tip]);
    // The attacker cannot come straight back.
    link(attacker, honest1);
    expect(honest1.p2p.peers.has('evil')).toBe(false);
  });

  it('bans a peer that sends malformed wire data', async () => {
    const [a, b] = [await node('a'), await node('b')];
    link(a, b);
    await expect.poll(() => a.p2p.peers.get('b')?.state).toBe('ready');
    const refused: string[] = [];
    a.p2p.on('refused', (r) => refused.push(r.reason));
    b.p2p.peers.get('a')!.link.send(Uint8Array.of(0, 0xee, 1, 2, 3)); // a whole-message frame with an unknown tag
    await expect.poll(() => a.p2p.peers.has('b')).toBe(false);
    expect(refused[0]).toMatch(/^bad-/);
  });
});
