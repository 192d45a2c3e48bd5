/**
 * Per-peer budgets (docs/protocol.md, "Budgets"): what a peer that asks a lot, or stops reading,
 * can cost a node: getdata loses duplicates and blocks past 16, is served only as the link
 * drains, and a peer that keeps asking (or leaves 4 MiB unread) is dropped; getheaders waiting
 * behind each other collapse into one; `notfound` backs off; text frames are refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, hexToHash, type Block, type InvItem } from '../../core/index.js';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { MAX_SEND_QUEUE_BYTES, Peer } from '../../client/net/peer.js';
import { MAX_GETDATA_BLOCKS, MAX_QUEUED_BLOCKS } from '../../client/net/serve.js';
import type { RefusedEvent } from '../../client/net/p2p.js';
import { buildBlock, testKey } from '../helpers/regtest.js';
import {
  bigBlockNode,
  clock,
  makeNode,
  rawPeer,
  receivedOf,
  stopAll,
  type RawPeer,
  type TestNode,
} from '../helpers/net.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

async function minedNode(name: string, count: number): Promise<{ n: TestNode; blocks: Block[] }> {
  const n = await makeNode(name);
  nodes.push(n);
  const blocks: Block[] = [];
  for (let i = 0; i < count; i++) {
    const block = buildBlock(n.state.chain.tip, { payTo: testKey(1) });
    const result = await n.p2p.submitBlock(block, 'local');
    if (!result.ok) throw new Error(result.reason);
    blocks.push(block);
  }
  return { n, blocks };
}

const blockItem = (n: TestNode, height: number): InvItem => ({
  kind: 'block',
  hash: hexToHash(n.state.chain.entryAt(height)!.id),
});

async function connected(victim: TestNode, raw: RawPeer, name: string): Promise<void> {
  await raw.ready;
  await expect.poll(() => victim.p2p.peers.get(name)?.state).toBe('ready');
}

describe('getdata', () => {
  it('serves a block listed 1,000 times in one getdata once', async () => {
    const { n } = await minedNode('victim', 3);
    const raw = rawPeer(n, 'greedy');
    await connected(n, raw, 'greedy');
    raw.peer.send({ type: 'getdata', items: Array.from({ length: 1000 }, () => blockItem(n, 2)) });
    await expect.poll(() => receivedOf(raw, 'block').length).toBe(1);
    raw.peer.send({ type: 'ping', nonce: 7n }); // a later message proves the getdata is done
    await expect.poll(() => receivedOf(raw, 'pong').length).toBe(1);
    expect(receivedOf(raw, 'block')).toHaveLength(1);
    expect(n.p2p.peers.has('greedy')).toBe(true); // duplicates cost nothing: no penalty
  });

  it(`serves at most ${MAX_GETDATA_BLOCKS} blocks per getdata and answers notfound for the rest`, async () => {
    const { n } = await minedNode('victim', 20);
    const raw = rawPeer(n, 'greedy');
    await connected(n, raw, 'greedy');
    const items = Array.from({ length: 20 }, (_, i) => blockItem(n, i + 1));
    raw.peer.send({ type: 'getdata', items });
    await expect.poll(() => receivedOf(raw, 'block').length).toBe(MAX_GETDATA_BLOCKS);
    const notfound = receivedOf(raw, 'notfound').flatMap((m) => m.items);
    expect(notfound.map((i) => i.hash)).toEqual(items.slice(MAX_GETDATA_BLOCKS).map((i) => i.hash));
  });

  it('serves the next block only as the link drains, and drops a peer that keeps asking without reading', async () => {
    const { node: n, height } = await bigBlockNode('victim', 300_000);
    nodes.push(n);
    const raw = rawPeer(n, 'flooder');
    await connected(n, raw, 'flooder');
    const refused: RefusedEvent[] = [];
    n.p2p.on('refused', (r) => refused.push(r));
    const gone: string[] = [];
    n.p2p.on('peer-disconnected', ({ id, reason }) => gone.push(`${id}: ${reason}`));
    raw.victimSide.stallDelivery(); // the attacker stops reading
    const victimPeer = n.p2p.peers.get('flooder')!;
    const queued: number[] = [];
    for (let i = 0; i < MAX_QUEUED_BLOCKS + 8; i++) {
      raw.peer.send({
        type: 'getdata',
        items: Array.from({ length: 8 }, () => blockItem(n, height)),
      });
      await new Promise((resolve) => setTimeout(resolve, 1));
      queued.push(victimPeer.queuedBytes + raw.victimSide.bufferedAmount);
    }
    await expect.poll(() => gone).toEqual([expect.stringMatching(/^flooder: getdata-overflow/)]);
    expect(refused.map((r) => [r.reason, r.score])).toEqual([['getdata-overflow', 0]]);
    // Nothing queued beyond one answer at a time, however many were asked for.
    expect(Math.max(...queued)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(n.p2p.bans.get('flooder', clock.ms)).toBeUndefined(); // dropped, not banned
  });

  it('an honest downloader that reads gets every block it asks for, 16 at a time', async () => {
    const { n } = await minedNode('victim', 40);
    const raw = rawPeer(n, 'reader');
    await connected(n, raw, 'reader');
    for (let start = 1; start <= 40; start += 16) {
      const items = Array.from({ length: Math.min(16, 41 - start) }, (_, i) =>
        blockItem(n, start + i),
      );
      raw.peer.send({ type: 'getdata', items });
    }
    await expect.poll(() => receivedOf(raw, 'block').length).toBe(40);
    expect(n.p2p.peers.has('reader')).toBe(true);
  });
});

describe('getheaders', () => {
  it('answers getheaders in turn: those waiting behind an unread answer collapse into one', async () => {
    const { node: n, height } = await bigBlockNode('victim', 300_000);
    nodes.push(n);
    const raw = rawPeer(n, 'asker');
    await connected(n, raw, 'asker');
    raw.victimSide.stallDelivery();
    // A block bigger than the link's buffer: the answers after it wait in line.
    raw.peer.send({ type: 'getdata', items: [blockItem(n, height)] });
    for (let i = 0; i < 200; i++) {
      raw.peer.send({
        type: 'getheaders',
        locator: [hexToHash(n.state.params.genesisId)],
        stop: new Uint8Array(32),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    raw.victimSide.resumeDelivery();
    raw.peer.send({ type: 'ping', nonce: 1n });
    await expect.poll(() => receivedOf(raw, 'pong').length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receivedOf(raw, 'headers').length).toBeLessThanOrEqual(2);
    expect(receivedOf(raw, 'headers').length).toBeGreaterThanOrEqual(1);
    expect(receivedOf(raw, 'headers')[0]!.headers).toHaveLength(height);
  });
});

describe('send queue', () => {
  it(`closes a peer that leaves more than ${MAX_SEND_QUEUE_BYTES} bytes unread`, async () => {
    const { n, blocks } = await minedNode('victim', 2);
    const [ours, theirs] = memoryLinkPair('a', 'b');
    theirs.attach({ onFrame: () => undefined, onClose: () => undefined, onDrain: () => undefined });
    ours.stallDelivery();
    const closed: string[] = [];
    const peer = new Peer(
      ours,
      { onMessage: () => undefined, onInvalid: () => undefined, onClose: (_, r) => closed.push(r) },
      () => clock.ms,
    );
    const headers = Array.from({ length: 2000 }, () => blocks[0]!.header); // 160 KB a message
    let sent = 0;
    while (peer.state !== 'closed' && sent < 100) {
      peer.send({ type: 'headers', headers });
      sent++;
      expect(peer.queuedBytes).toBeLessThanOrEqual(MAX_SEND_QUEUE_BYTES + 170_000);
    }
    expect(closed).toEqual([expect.stringMatching(/^send-queue-full/)]);
    expect(sent).toBeLessThan(30);
    expect(n.p2p.peers.size).toBe(0);
  });
});

describe('notfound', () => {
  it('a peer that answers notfound is asked again only after a backoff that doubles', async () => {
    const { n: seed, blocks } = await minedNode('seed', 3);
    void seed;
    const syncing = await makeNode('syncing');
    nodes.push(syncing);
    const raw = rawPeer(syncing, 'liar');
    await connected(syncing, raw, 'liar');
    // The liar shows the headers of a chain, then answers every getdata with notfound.
    raw.peer.send({ type: 'headers', headers: blocks.map((b) => b.header) });
    const asked = () => receivedOf(raw, 'getdata').length;
    const answered = new Set<unknown>();
    const answer = setInterval(() => {
      for (const m of receivedOf(raw, 'getdata')) {
        if (answered.has(m)) continue;
        answered.add(m);
        raw.peer.send({ type: 'notfound', items: m.items });
      }
    }, 1);
    try {
      await expect.poll(asked).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300)); // time to answer many times over
      expect(asked()).toBe(1); // before: ~1,300 getdata a second
      const schedule: number[] = [];
      for (let second = 1; second <= 14; second++) {
        clock.ms += 1000;
        syncing.p2p.tick();
        await new Promise((resolve) => setTimeout(resolve, 20));
        schedule.push(asked());
      }
      // Asked again after 2 s, then 4 s later, then 8 s later.
      expect(schedule).toEqual([1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4]);
    } finally {
      clearInterval(answer);
    }
  });
});

describe('text frames', () => {
  it('refuses a text message as bad-frame-type, even one that spells a valid frame, and bans', async () => {
    const { n } = await minedNode('victim', 1);
    const raw = rawPeer(n, 'texter');
    await connected(n, raw, 'texter');
    const refused: RefusedEvent[] = [];
    n.p2p.on('refused', (r) => refused.push(r));
    // A whole frame holding `ping` with nonce 1, as characters.
    raw.attackerSide.sendText(String.fromCharCode(0, 2, 1, 0, 0, 0, 0, 0, 0, 0));
    await expect.poll(() => refused.map((r) => r.reason)).toEqual(['bad-frame-type']);
    expect(receivedOf(raw, 'pong')).toHaveLength(0);
    await expect
      .poll(() => n.p2p.bans.get('texter', clock.ms)?.reason ?? '')
      .toMatch(/^bad-frame-type/);
  });
});
