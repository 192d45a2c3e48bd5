/**
 * Nodes on fake-indexeddb and under faults: a node restarted on the same database resumes and
 * catches up, and a peer that stalls a download is dropped while the others finish it.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { headerId, type Block } from '../../core/index.js';
import { openNodeDb } from '../../client/storage/db.js';
import { IdbChainStore } from '../../client/storage/idb-chain-store.js';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { buildBlock, testKey } from '../helpers/regtest.js';
import { clock, link, makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { freshDbName } from '../helpers/idb-store.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

async function mine(n: TestNode, count: number): Promise<Block[]> {
  const blocks: Block[] = [];
  for (let i = 0; i < count; i++) {
    const block = buildBlock(n.state.chain.tip, { payTo: testKey(1), extraNonce: n.name.length });
    const result = await n.p2p.submitBlock(block, 'local');
    if (!result.ok) throw new Error(result.reason);
    blocks.push(block);
  }
  return blocks;
}

describe('restart', () => {
  it('a node restarted on the same database resumes where it was and catches up', async () => {
    const name = freshDbName('restart');
    const miner = await makeNode('miner');
    nodes.push(miner);
    const db1 = await openNodeDb(name);
    const first = await makeNode('tab', { store: new IdbChainStore(db1) });
    nodes.push(first);
    link(first, miner);
    await mine(miner, 30);
    await expect.poll(() => first.state.chain.height, { timeout: 20_000 }).toBe(30);
    const tipBefore = first.state.chain.tip.id;
    first.p2p.stop();
    db1.close();
    await expect.poll(() => miner.p2p.peers.size).toBe(0);

    await mine(miner, 5); // the network moves on while the tab is closed
    const db2 = await openNodeDb(name);
    const second = await makeNode('tab', { store: new IdbChainStore(db2) });
    nodes.push(second);
    expect(second.state.chain.height).toBe(30);
    expect(second.state.chain.tip.id).toBe(tipBefore);
    link(second, miner);
    await expect
      .poll(() => second.state.chain.tip.id, { timeout: 20_000 })
      .toBe(miner.state.chain.tip.id);
    db2.close();
  });
});

describe('stalled peers', () => {
  it('drops a peer that does not deliver requested blocks and finishes from another', async () => {
    const honest = await makeNode('honest');
    const syncing = await makeNode('syncing', { download: { timeoutMs: 5_000, perPeer: 4 } });
    nodes.push(honest, syncing);
    const blocks = await mine(honest, 40);
    // A "staller" announces the honest chain's headers, then never answers getdata.
    const [toStaller, stallerSide] = memoryLinkPair('syncing', 'staller');
    const { Peer } = await import('../../client/net/peer.js');
    const staller = new Peer(
      stallerSide,
      {
        onMessage: (peer, message) => {
          if (message.type === 'hello') {
            peer.send({
              ...message,
              nodeId: 'staller',
              chainWork: honest.state.chain.tip.chainWork,
            });
          }
          if (message.type === 'getheaders')
            peer.send({ type: 'headers', headers: blocks.map((b) => b.header) });
        },
        onInvalid: () => undefined,
        onClose: () => undefined,
      },
      () => clock.ms,
    );
    syncing.p2p.addLink(toStaller);
    await expect.poll(() => syncing.state.chain.bestHeader.height).toBe(40);
    expect(syncing.state.chain.height).toBe(0); // nothing delivered
    const dropped: string[] = [];
    syncing.p2p.on('peer-disconnected', ({ id, reason }) => dropped.push(`${id}: ${reason}`));
    clock.ms += 6_000;
    syncing.p2p.tick();
    expect(dropped).toEqual(['staller: stalled: blocks requested but not delivered']);
    link(syncing, honest);
    await expect
      .poll(() => syncing.state.chain.tip.id, { timeout: 20_000 })
      .toBe(headerId(blocks[39]!.header));
    staller.close('test over');
  });
});

describe('a peer closed mid-sync', () => {
  it('the syncing node finishes from the others', async () => {
    const [seed1, seed2] = [await makeNode('seed1'), await makeNode('seed2')];
    nodes.push(seed1, seed2);
    link(seed1, seed2);
    const blocks = await mine(seed1, 400);
    await expect.poll(() => seed2.state.chain.height, { timeout: 30_000 }).toBe(400);
    const syncing = await makeNode('syncing');
    nodes.push(syncing);
    let closed = false;
    syncing.p2p.on('sync-progress', ({ done }) => {
      if (!closed && done >= 100) {
        closed = true;
        syncing.p2p.peers.get('seed1')?.close('tab closed mid-sync');
      }
    });
    link(syncing, seed1);
    link(syncing, seed2);
    await expect.poll(() => syncing.state.chain.height, { timeout: 30_000 }).toBe(400);
    expect(closed).toBe(true);
    expect(syncing.p2p.peers.has('seed1')).toBe(false);
    expect(syncing.state.chain.tip.id).toBe(headerId(blocks[399]!.header));
  }, 60_000);
});

describe('header download', () => {
  it('a joining node fetches the header chain once, not again per peer or tip announcement', async () => {
    const [seed1, seed2] = [await makeNode('hseed1'), await makeNode('hseed2')];
    nodes.push(seed1, seed2);
    link(seed1, seed2);
    await mine(seed1, 60);
    await expect.poll(() => seed2.state.chain.height).toBe(60);
    const joining = await makeNode('joining');
    nodes.push(joining);
    const chain = joining.state.chain;
    const original = chain.acceptHeaders.bind(chain);
    let headersReceived = 0;
    chain.acceptHeaders = (headers, now) => {
      headersReceived += headers.length;
      return original(headers, now);
    };
    link(joining, seed1);
    link(joining, seed2);
    await expect.poll(() => chain.height, { timeout: 20_000 }).toBe(60);
    // 60 headers from the one header-sync peer, plus at most one tip announcement each.
    expect(headersReceived).toBeLessThanOrEqual(60 + 2);
  });
});
