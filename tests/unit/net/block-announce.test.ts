import { describe, expect, it } from 'vitest';
import { headerId, type Chain, type WireMessage } from '../../../core/index.js';
import {
  LOCAL_ANNOUNCE_HOLD_MS,
  LOCAL_LINK_RTT_MS,
  SyncStart,
  announceAfterPush,
  announceHeaders,
  syncProgress,
} from '../../../client/net/block-announce.js';
import { blockKey } from '../../../client/net/p2p-types.js';
import type { Peer } from '../../../client/net/peer.js';
import { mineBlocks, openNode } from '../../helpers/regtest.js';

function fakePeer(id: string, known: string[] = [], rttMs?: number) {
  const sent: WireMessage[] = [];
  const peer = {
    id,
    known: new Set(known),
    minRttMs: rttMs ?? Infinity,
    state: 'ready',
    send: (m: WireMessage) => sent.push(m),
  };
  return { peer: peer as unknown as Peer, sent };
}

describe('announceHeaders', () => {
  it('sends from the first header a peer lacks to the end, so the message connects', async () => {
    const { node } = await openNode();
    const blocks = await mineBlocks(node, 3);
    const ids = blocks.map((b) => headerId(b.header));
    // The peer was sent the last block early (a compact block) but lacks the one before it.
    const early = fakePeer('early', [blockKey(ids[0]!), blockKey(ids[2]!)]);
    const fresh = fakePeer('fresh');
    const current = fakePeer('current', ids.map(blockKey));
    announceHeaders([early.peer, fresh.peer, current.peer], blocks, 'local');
    const headersOf = (sent: WireMessage[]) =>
      sent.flatMap((m) => (m.type === 'headers' ? m.headers.map(headerId) : []));
    expect(headersOf(early.sent)).toEqual([ids[1], ids[2]]);
    expect(headersOf(fresh.sent)).toEqual(ids);
    expect(current.sent).toEqual([]);
  });

  it('never announces to the peer the blocks came from', async () => {
    const { node } = await openNode();
    const blocks = await mineBlocks(node, 1);
    const from = fakePeer('origin');
    announceHeaders([from.peer], blocks, 'origin');
    expect(from.sent).toEqual([]);
  });
});

describe('announceAfterPush', () => {
  /** Timers run by hand: what was held, and for how long. */
  function manualTimers() {
    const due: { fn: () => void; ms: number }[] = [];
    return { due, setTimeout: (fn: () => void, ms: number) => due.push({ fn, ms }) };
  }

  it("holds headers for local peers the block's finder pushed it to, then sends those still lacking it", async () => {
    const { node } = await openNode();
    const blocks = await mineBlocks(node, 1);
    const key = blockKey(headerId(blocks[0]!.header));
    const local = LOCAL_LINK_RTT_MS;
    const heard = fakePeer('heard', [], 1); // a finder's link that will announce it to us
    const silent = fakePeer('silent', [], local); // a finder's link that will not
    const gone = fakePeer('gone', [], 1); // a finder's link whose link closes meanwhile
    const far = fakePeer('far', [], local + 1); // a finder's link, but not local
    const other = fakePeer('other', [], 1); // local, not on the finder's list
    const unmeasured = fakePeer('unmeasured'); // on the list, no round trip measured yet
    const timers = manualTimers();
    announceAfterPush(
      [heard, silent, gone, far, other, unmeasured].map((p) => p.peer),
      blocks,
      'finder',
      new Set(['heard', 'silent', 'gone', 'far', 'unmeasured']),
      timers,
    );
    for (const p of [far, other, unmeasured])
      expect(p.sent.map((m) => m.type)).toEqual(['headers']);
    for (const p of [heard, silent, gone]) expect(p.sent).toEqual([]);
    expect(timers.due.map((t) => t.ms)).toEqual([LOCAL_ANNOUNCE_HOLD_MS]);
    heard.peer.known.add(key); // its headers (or cmpctblock) reached us during the hold
    (gone.peer as { state: string }).state = 'closed';
    timers.due[0]!.fn();
    expect(silent.sent.map((m) => m.type)).toEqual(['headers']);
    expect(heard.sent).toEqual([]);
    expect(gone.sent).toEqual([]);
  });

  it('announces to everyone at once when no finder pushed the block, or without timers', async () => {
    const { node } = await openNode();
    const blocks = await mineBlocks(node, 1);
    const a = fakePeer('a', [], 1);
    const timers = manualTimers();
    announceAfterPush([a.peer], blocks, 'x', new Set(), timers);
    const b = fakePeer('b', [], 1);
    announceAfterPush([b.peer], blocks, 'x', new Set(['b']));
    expect([a.sent.length, b.sent.length, timers.due.length]).toEqual([1, 1, 0]);
  });
});

describe('SyncStart', () => {
  const chain = (height: number, best: number) =>
    ({ height, bestHeader: { height: best } }) as unknown as Chain;

  it('moves with the node while it is caught up, and holds still while it syncs', () => {
    const start = new SyncStart(0);
    start.note(chain(5, 5), 1_000); // caught up: traffic so far is not the next sync's
    expect(start).toMatchObject({ height: 5, bytes: 1_000 });
    start.note(chain(5, 400), 9_000); // headers of a longer chain came: a sync began
    start.note(chain(300, 400), 50_000);
    expect(start).toMatchObject({ height: 5, bytes: 1_000 });
    const event = syncProgress(chain(300, 400), 16, start);
    expect(event).toMatchObject({ syncing: true, start: 5, startBytes: 1_000, done: 295 });
    start.note(chain(400, 400), 80_000); // caught up again
    expect(start).toMatchObject({ height: 400, bytes: 80_000 });
  });
});
