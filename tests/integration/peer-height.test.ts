/**
 * The height a node shows for a peer follows the blocks that peer took from it: a peer that
 * downloads our blocks never announces them back (we know it has them), so its height must
 * not stay at the height of its hello.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { link, makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { testKey } from '../helpers/regtest.js';
import { mineTo } from '../helpers/wallet-node.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

describe('peer height', () => {
  it('a peer that took our blocks shows our height, not its hello height', async () => {
    const a = await makeNode('a');
    const b = await makeNode('b');
    nodes.push(a, b);
    link(a, b);
    await expect.poll(() => a.p2p.peers.get('b')?.state).toBe('ready');
    expect(a.p2p.peers.get('b')?.stats().height).toBe(0);
    await mineTo(a, testKey(1).pubkey, 19);
    await expect.poll(() => b.state.chain.height).toBe(19);
    await expect.poll(() => a.p2p.peers.get('b')?.stats().height).toBe(19);
    // And the other way: b saw a announce them.
    expect(b.p2p.peers.get('a')?.stats().height).toBe(19);
  });
});
