/**
 * Headers from one peer first (client/net/header-sync.ts): a joining node takes the header
 * chain from one peer, not from each; a header peer that lies or stalls is replaced; once the
 * best header is recent every peer is asked. Bytes are counted by the node's traffic counter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  MemoryStore,
  NodeState,
  encodeHeader,
  type Block,
  type BlockHeader,
} from '../../core/index.js';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { Peer } from '../../client/net/peer.js';
import { HEADERS_SYNC_TIMEOUT_MS } from '../../client/net/header-sync.js';
import { buildBlock, params, testKey, unmineHeader } from '../helpers/regtest.js';
import { clock, link, makeNode, stopAll, type TestNode } from '../helpers/net.js';

const nowS = () => Math.floor(clock.ms / 1000);
const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

/** `count` blocks on genesis (time `from + 10 i` when given, else the regtest default). */
async function chainOf(count: number, from?: number): Promise<Block[]> {
  const state = await NodeState.open(params, new MemoryStore());
  const blocks: Block[] = [];
  for (let i = 0; i < count; i++) {
    const time = from === undefined ? undefined : from + 10 * (i + 1);
    const block = buildBlock(state.chain.tip, { payTo: testKey(1), time });
    const result = await state.processBlock(block, nowS());
    if (!result.ok) throw new Error(result.reason);
    blocks.push(block);
  }
  return blocks;
}

async function nodeWith(name: string, blocks: readonly Block[]): Promise<TestNode> {
  const node = await makeNode(name);
  nodes.push(node);
  for (const block of blocks) await node.state.processBlock(block, nowS());
  return node;
}

/** A hand-driven peer of `victim` claiming `chainWork`; `getheaders` go to `onGetheaders`. */
function scriptedPeer(
  victim: TestNode,
  name: string,
  chainWork: bigint,
  onGetheaders: (peer: Peer) => void,
): Peer {
  const [toPeer, peerSide] = memoryLinkPair(victim.name, name);
  const peer = new Peer(
    peerSide,
    {
      onMessage: (p, message) => {
        if (message.type === 'hello') p.send({ ...message, nodeId: name, chainWork });
        if (message.type === 'getheaders') onGetheaders(p);
      },
      onInvalid: () => undefined,
      onClose: () => undefined,
    },
    () => clock.ms,
  );
  victim.p2p.addLink(toPeer);
  return peer;
}

const headerBytes = (headers: readonly BlockHeader[]) =>
  headers.reduce((sum, h) => sum + encodeHeader(h).length, 0);

describe('headers from one peer first', () => {
  it('a joining node takes the header chain from one of 3 peers, then blocks from all', async () => {
    const blocks = await chainOf(300);
    const seeds = [
      await nodeWith('s1', blocks),
      await nodeWith('s2', blocks),
      await nodeWith('s3', blocks),
    ];
    const joining = await nodeWith('joining', []);
    for (const seed of seeds) link(joining, seed);
    await expect.poll(() => joining.state.chain.height, { timeout: 30_000 }).toBe(300);
    const one = headerBytes(blocks.map((b) => b.header));
    const got = joining.p2p.traffic.of('headers').bytes;
    // One copy of the chain's headers plus message overhead (each peer once sent 300 of them).
    expect(got).toBeGreaterThanOrEqual(one);
    expect(got).toBeLessThan(one * 1.1);
    // Bodies still came from more than one peer.
    const served = seeds.map((s) => s.p2p.traffic.of('getdata').messages);
    expect(served.filter((n) => n > 0).length).toBeGreaterThan(1);
  });

  it('a header peer that lies is banned and the header chain comes from the next peer', async () => {
    const blocks = await chainOf(120);
    const honest = await nodeWith('honest', blocks);
    const joining = await nodeWith('joining', []);
    let lie: (() => void) | undefined;
    const liar = scriptedPeer(joining, 'liar', honest.state.chain.tip.chainWork * 2n, (p) => {
      const headers = blocks.map((b) => b.header);
      headers[5] = unmineHeader(headers[5]!); // proof of work fails
      lie = () => p.send({ type: 'headers', headers });
    });
    await expect.poll(() => lie).toBeDefined();
    link(joining, honest);
    await expect.poll(() => joining.p2p.peers.get('honest')?.state).toBe('ready');
    // While the liar is the header-sync peer, the honest peer is not asked.
    expect(honest.p2p.traffic.of('getheaders').messages).toBe(0);
    const bans: string[] = [];
    joining.p2p.on('banned', (ban) => bans.push(`${ban.id}: ${ban.reason}`));
    lie!();
    await expect.poll(() => joining.state.chain.height, { timeout: 20_000 }).toBe(120);
    expect(bans).toHaveLength(1);
    expect(bans[0]).toMatch(/^liar: high-hash/);
    expect(honest.p2p.traffic.of('getheaders').messages).toBe(1);
    liar.close('test over');
  });

  it(`a header peer silent for ${HEADERS_SYNC_TIMEOUT_MS / 1000} s is replaced by the next`, async () => {
    const blocks = await chainOf(50);
    const honest = await nodeWith('honest2', blocks);
    const joining = await nodeWith('joining2', []);
    let asked = 0;
    const staller = scriptedPeer(joining, 'staller', honest.state.chain.tip.chainWork, () => {
      asked++;
    });
    await expect.poll(() => asked).toBe(1);
    link(joining, honest);
    await expect.poll(() => joining.p2p.peers.get('honest2')?.state).toBe('ready');
    joining.p2p.tick();
    expect(honest.p2p.traffic.of('getheaders').messages).toBe(0);
    clock.ms += HEADERS_SYNC_TIMEOUT_MS + 1;
    joining.p2p.tick();
    await expect.poll(() => joining.state.chain.height, { timeout: 20_000 }).toBe(50);
    expect(honest.p2p.traffic.of('getheaders').messages).toBe(1);
    expect(joining.p2p.peers.has('staller')).toBe(true); // replaced, not punished
    staller.close('test over');
  });

  it('once the best header is recent, a node asks every peer that has more', async () => {
    const recent = await chainOf(40, nowS() - 400);
    const joining = await nodeWith('joining3', recent.slice(0, 30));
    const seeds = [await nodeWith('r1', recent), await nodeWith('r2', recent)];
    for (const seed of seeds) link(joining, seed);
    await expect.poll(() => joining.state.chain.height, { timeout: 20_000 }).toBe(40);
    expect(seeds.map((s) => s.p2p.traffic.of('getheaders').messages)).toEqual([1, 1]);
  });
});
