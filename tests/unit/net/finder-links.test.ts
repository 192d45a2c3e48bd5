/**
 * Which of our peers a block's finder pushed it to (CompactRelay.finderLinks): those on the
 * finder's last `peers` answer, and those whose own answer names the finder (lists are taken
 * when a link opens, so either side's may be the older), and only for the finder's push.
 */
import { describe, expect, it } from 'vitest';
import { COMPACT_VERSION, PROTOCOL_VERSION } from '../../../core/index.js';
import { CompactRelay, type CompactRelayHost } from '../../../client/net/compact-relay.js';
import type { Peer } from '../../../client/net/peer.js';

function relay(lists: Record<string, string[]>, quiet: string[] = []): CompactRelay {
  const peers = ['finder', 'a', 'b', 'c', 'd'].map(
    (id) => ({ id, state: 'ready', hello: { version: PROTOCOL_VERSION } }) as unknown as Peer,
  );
  const host = {
    enabled: true,
    readyPeers: () => peers,
    linksOf: (id: string) => lists[id] ?? [],
  } as unknown as CompactRelayHost;
  const r = new CompactRelay(host);
  // Each peer but the `quiet` ones has said it speaks compact blocks (`sendcmpct`).
  for (const peer of peers.filter((p) => !quiet.includes(p.id)))
    void r.receive(peer, { type: 'sendcmpct', highBandwidth: false, version: COMPACT_VERSION });
  return r;
}

/** As while `complete` delivers block `id` rebuilt from `from`'s cmpctblock. */
function delivering(r: CompactRelay, from: string, id: string, unasked: boolean): void {
  (r as unknown as { delivering: Map<string, { unasked: boolean }> }).delivering.set(
    `${from} ${id}`,
    { unasked },
  );
}

describe('CompactRelay.finderLinks', () => {
  it("joins the finder's list and the peers whose list names the finder", () => {
    const r = relay({ finder: ['a'], b: ['finder', 'c'], c: ['b'] });
    delivering(r, 'finder', 'blk', true);
    expect([...r.finderLinks('finder', 'blk')].sort()).toEqual(['a', 'b']);
  });

  it('leaves out a linked peer that never said it speaks compact blocks (it got no push)', () => {
    const r = relay({ finder: ['a', 'd'] }, ['d']);
    delivering(r, 'finder', 'blk', true);
    expect([...r.finderLinks('finder', 'blk')]).toEqual(['a']);
  });

  it('is empty for a block that was not its finder’s push', () => {
    const r = relay({ finder: ['a'], b: ['finder'] });
    delivering(r, 'finder', 'asked', false);
    expect(r.finderLinks('finder', 'asked').size).toBe(0);
    expect(r.finderLinks('finder', 'unknown').size).toBe(0);
  });
});
