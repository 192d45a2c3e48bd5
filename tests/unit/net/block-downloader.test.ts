/**
 * The block download cursor (client/net/sync.ts) against a real chain of headers, with peers
 * reduced to what the downloader sees: blocks in flight, the announced tip, getdata sent.
 */
import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  NodeState,
  headerId,
  type Block,
  type BlockEntry,
  type WireMessage,
} from '../../../core/index.js';
import {
  BlockDownloader,
  DEFAULT_DOWNLOAD,
  type DownloadOptions,
} from '../../../client/net/sync.js';
import type { Peer } from '../../../client/net/peer.js';
import { NOW, buildBranch, params, testKey } from '../../helpers/regtest.js';

type FakePeer = Peer & { sent: WireMessage[] };

function fakePeer(best: BlockEntry | undefined): FakePeer {
  const sent: WireMessage[] = [];
  return {
    inFlight: new Map<string, number>(),
    bestAnnounced: best,
    state: 'ready',
    sent,
    send: (m: WireMessage) => sent.push(m),
  } as unknown as FakePeer;
}

/** A node that knows the headers of `count` blocks on genesis (bodies not yet), and the blocks. */
async function headersOnly(count: number, tag = 0) {
  const state = await NodeState.open(params, new MemoryStore());
  const blocks = buildBranch(state.chain.tip, count, tag, testKey(1));
  const { rejection } = await state.chain.acceptHeaders(
    blocks.map((b) => b.header),
    NOW,
  );
  expect(rejection).toBeUndefined();
  const byId = new Map(blocks.map((b) => [headerId(b.header), b]));
  return { state, blocks, byId };
}

function downloader(state: NodeState, options: Partial<DownloadOptions> = {}) {
  return new BlockDownloader(state.chain, { ...DEFAULT_DOWNLOAD, ...options });
}

const heightsOf = (state: NodeState, ids: readonly string[]) =>
  ids.map((id) => state.chain.getEntry(id)!.height);

/** Deliver and validate `ids` from `peer`, as p2p.ts does with a `block` message. */
async function deliver(
  d: BlockDownloader,
  state: NodeState,
  byId: Map<string, Block>,
  peer: Peer,
  ids: readonly string[],
) {
  for (const id of ids) {
    d.arrived(peer, id);
    await state.processBlock(byId.get(id)!, NOW);
    d.processed(id);
  }
}

describe('block download cursor', () => {
  it('downloads 1,600 blocks with one cursor step per block, never past the window', async () => {
    const { state, byId } = await headersOnly(1600);
    const d = downloader(state, { window: 256 });
    const peer = fakePeer(state.chain.bestHeader);
    let calls = 0;
    while (state.chain.height < 1600) {
      const ids = d.assign(peer, 0);
      calls++;
      expect(ids.length).toBeGreaterThan(0);
      expect(Math.max(...heightsOf(state, ids))).toBeLessThanOrEqual(state.chain.height + 256);
      await deliver(d, state, byId, peer, ids);
    }
    expect(calls).toBe(1600 / 16);
    // The walk from the best header down to the tip on every call cost ~1,600 x 100 / 2 steps.
    expect(d.steps).toBe(1600);
    expect(d.inFlight).toBe(0);
  }, 60_000);

  it('gives a departed peer’s blocks to the next peer first', async () => {
    const { state } = await headersOnly(60);
    const d = downloader(state);
    const [a, b, c] = [1, 2, 3].map(() => fakePeer(state.chain.bestHeader));
    expect(heightsOf(state, d.assign(a!, 0))).toEqual(range(1, 16));
    expect(heightsOf(state, d.assign(b!, 0))).toEqual(range(17, 32));
    d.dropPeer(a!);
    expect(a!.inFlight.size).toBe(0);
    expect(heightsOf(state, d.assign(c!, 0))).toEqual(range(1, 16));
    expect(d.inFlight).toBe(32);
  });

  it('a notfound block goes to another peer, and back to the same one only after its backoff', async () => {
    const { state } = await headersOnly(40);
    const d = downloader(state, { perPeer: 4 });
    const [a, b] = [fakePeer(state.chain.bestHeader), fakePeer(state.chain.bestHeader)];
    const first = d.assign(a, 0);
    d.notFound(a, first[0]!, 0);
    expect(heightsOf(state, d.assign(a, 0))).toEqual([5]); // not block 1 again
    expect(heightsOf(state, d.assign(b, 0))).toEqual([1, 6, 7, 8]);
    d.notFound(b, first[0]!, 0);
    d.dropPeer(b); // frees b's slots: blocks 6-8 wait on the retry list
    expect(heightsOf(state, d.assign(a, 100)).sort((x, y) => x - y)).toEqual([]);
    const c = fakePeer(state.chain.bestHeader);
    expect(heightsOf(state, d.assign(c, 100)).sort((x, y) => x - y)).toEqual([1, 6, 7, 8]);
  });

  it('asks again for a block whose body did not make it into the chain', async () => {
    const { state, byId } = await headersOnly(20);
    const d = downloader(state, { perPeer: 2 });
    const peer = fakePeer(state.chain.bestHeader);
    const [h1, h2] = d.assign(peer, 0);
    const block = byId.get(h1!)!;
    d.arrived(peer, h1!);
    // A body that does not match its header (another coinbase): refused, the header stays good.
    const tampered = { ...block, txs: buildBranch(state.chain.tip, 1, 9, testKey(2))[0]!.txs };
    const result = await state.processBlock(tampered, NOW);
    expect(result.ok).toBe(false);
    d.processed(h1!);
    expect(state.chain.getEntry(h1!)!.status).toBe('header');
    expect(peer.inFlight.has(h2!)).toBe(true);
    expect(d.assign(peer, 0)).toEqual([h1]);
  });

  it('follows a heavier header branch that appears mid-download, from the fork', async () => {
    const { state, blocks } = await headersOnly(40, 1);
    const d = downloader(state);
    const a = fakePeer(state.chain.bestHeader);
    expect(heightsOf(state, d.assign(a, 0))).toEqual(range(1, 16));
    // Another branch from block 10, 50 blocks long, heavier: the best header moves to it.
    const fork = state.chain.getEntry(headerId(blocks[9]!.header))!;
    const other = buildBranch(fork, 50, 2, testKey(3));
    expect(
      (
        await state.chain.acceptHeaders(
          other.map((x) => x.header),
          NOW,
        )
      ).rejection,
    ).toBe(undefined);
    expect(state.chain.bestHeader.height).toBe(60);
    const b = fakePeer(state.chain.bestHeader);
    // Blocks 1-10 are common and already in flight from a; b starts where the branches part.
    expect(heightsOf(state, d.assign(b, 0))).toEqual(range(11, 26));
    expect([...b.inFlight.keys()][0]).toBe(headerId(other[0]!.header));
    // a announced only the old branch: nothing more of the new one is asked of it.
    a.inFlight.clear();
    expect(d.assign(a, 0)).toEqual([]);
  });

  it('asks a second peer for the block holding a full window back, then calls the first stalled', async () => {
    const { state, byId } = await headersOnly(30);
    const d = downloader(state, { window: 8, perPeer: 8, stallMs: 2_000, timeoutMs: 15_000 });
    const [a, b] = [fakePeer(state.chain.bestHeader), fakePeer(state.chain.bestHeader)];
    d.request([a, b], 0);
    expect(heightsOf(state, [...a.inFlight.keys()])).toEqual(range(1, 8));
    expect(b.inFlight.size).toBe(0); // the window is full
    // a delivers 2-8 but not 1: the window cannot move.
    const held = [...a.inFlight.keys()];
    for (const id of held.slice(1)) {
      d.arrived(a, id);
      await state.processBlock(byId.get(id)!, NOW);
      d.processed(id);
    }
    d.request([a, b], 1_000);
    expect(b.sent).toEqual([]);
    d.request([a, b], 2_001);
    expect(b.sent).toHaveLength(1);
    expect(heightsOf(state, [...b.inFlight.keys()])).toEqual([1]);
    expect(d.isStalled(a, 15_001)).toBe(true);
    // b delivers: the block connects, both peers' slots are free, the window moves on.
    await deliver(d, state, byId, b, [held[0]!]);
    expect(state.chain.height).toBe(8);
    expect(a.inFlight.size).toBe(0);
    expect(heightsOf(state, d.assign(a, 3_000))).toEqual(range(9, 16));
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
