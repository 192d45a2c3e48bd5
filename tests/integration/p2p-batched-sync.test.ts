/**
 * A node syncing over the network with its writes batched (the browser node's setting): it
 * reaches the same tip, commits in far fewer writes than blocks, and once caught up nothing is
 * left in memory — storage holds the tip, and each new block at the tip is written at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_WRITE_CACHE, MemoryStore, NodeState } from '../../core/index.js';
import { buildBlock, params, testKey } from '../helpers/regtest.js';
import { link, makeNode, stopAll, type TestNode } from '../helpers/net.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

describe('batched sync', () => {
  it('syncs 1,500 blocks in few writes, flushes when caught up, then writes each new block at once', async () => {
    const source = await makeNode('source');
    nodes.push(source);
    for (let i = 0; i < 1500; i++) {
      const block = buildBlock(source.state.chain.tip, { payTo: testKey(1) });
      const out = await source.p2p.submitBlock(block, 'local');
      if (!out.ok) throw new Error(out.reason);
    }
    const store = new MemoryStore();
    const fresh = await makeNode('fresh', { store, chain: { writeCache: DEFAULT_WRITE_CACHE } });
    nodes.push(fresh);
    link(fresh, source);
    await expect.poll(() => fresh.state.chain.height, { timeout: 60_000, interval: 50 }).toBe(1500);
    expect(fresh.state.chain.tip.id).toBe(source.state.chain.tip.id);
    // Caught up: the last call flushed; storage alone reopens on the same tip.
    await expect
      .poll(() => store.tip, { timeout: 10_000, interval: 20 })
      .toBe(fresh.state.chain.tip.id);
    expect(fresh.state.chain.cache!.bytes).toBe(0);
    expect(store.writes).toBeLessThan(1500 / 10);
    const reopened = await NodeState.open(params, store);
    expect(reopened.chain.tip.id).toBe(source.state.chain.tip.id);

    const writes = store.writes;
    const next = buildBlock(source.state.chain.tip, { payTo: testKey(2) });
    await source.p2p.submitBlock(next, 'local');
    await expect
      .poll(() => store.tip, { timeout: 10_000, interval: 20 })
      .toBe(source.state.chain.tip.id);
    expect(store.writes - writes).toBeLessThanOrEqual(2); // its header, then its connect
  }, 120_000);
});
