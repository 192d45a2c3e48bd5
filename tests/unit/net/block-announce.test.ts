import { describe, expect, it } from 'vitest';
import { headerId, type Chain, type WireMessage } from '../../../core/index.js';
import { SyncStart, announceHeaders, syncProgress } from '../../../client/net/block-announce.js';
import { blockKey } from '../../../client/net/p2p-types.js';
import type { Peer } from '../../../client/net/peer.js';
import { mineBlocks, openNode } from '../../helpers/regtest.js';

function fakePeer(id: string, known: string[] = []) {
  const sent: WireMessage[] = [];
  const peer = { id, known: new Set(known), send: (m: WireMessage) => sent.push(m) };
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
