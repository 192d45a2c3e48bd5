/**
 * The wallet follows a sync without work per block: while the node catches up, its history
 * catches up at most once per SYNC_PACE_MS (client/pacer.ts), and is complete when read.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toHex } from '../../core/index.js';
import { makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { buildBlock } from '../helpers/regtest.js';
import { childEntry } from '../helpers/tall-chain.js';
import { openWallet, payee } from '../helpers/wallet-node.js';
import { SYNC_PACE_MS } from '../../client/pacer.js';

const nodes: TestNode[] = [];
afterEach(() => {
  vi.useRealTimers();
  stopAll(nodes.splice(0));
});

describe('wallet during a sync', () => {
  it('catches up once for a run of 60 blocks, and a read in between sees every block', async () => {
    const node = await makeNode('syncing');
    nodes.push(node);
    const { wallet } = await openWallet(node);
    const me = payee(wallet.pubkey);
    const blocks = [];
    let parent = node.state.chain.tip;
    for (let i = 0; i < 60; i++) {
      const block = buildBlock(parent, { payTo: me });
      blocks.push(block);
      parent = childEntry(parent, block);
    }
    let changes = 0;
    wallet.on('changed', () => changes++);
    // Only the pacer's timers are faked: fake-indexeddb keeps its own scheduling.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await node.state.chain.acceptHeaders(
      blocks.map((b) => b.header),
      parent.header.time,
    );
    for (const block of blocks.slice(0, 40)) {
      const out = await node.p2p.submitBlock(block, 'local');
      expect(out.ok).toBe(true);
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(changes).toBe(0); // 40 blocks connected, the history waits for its turn
    const history = await wallet.history(); // a reader does not wait: it catches up now
    expect(history.filter((e) => e.coinbase)).toHaveLength(40);
    expect(changes).toBe(1);
    for (const block of blocks.slice(40)) await node.p2p.submitBlock(block, 'local');
    expect(changes).toBe(1); // the last 20 blocks too wait for one turn
    await vi.advanceTimersByTimeAsync(SYNC_PACE_MS); // the turn comes
    for (let i = 0; i < 10_000 && changes < 2; i++) await new Promise((r) => setImmediate(r));
    expect(changes).toBe(2);
    expect((await wallet.history()).filter((e) => e.coinbase)).toHaveLength(60);
    expect(toHex(wallet.pubkey)).toBe(toHex(me.pubkey));
    wallet.stop();
  });
});
