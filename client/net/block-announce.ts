/**
 * Announcing blocks after validation (docs/protocol.md, "Relay"): the new headers go to every
 * ready peer not known to have them (a compact block sent before validation, compact-relay.ts,
 * counts as known), and the sync progress the UI shows.
 */
import { MAX_HEADERS_PER_MESSAGE, headerId, type Block, type Chain } from '../../core/index.js';
import { blockKey, type P2PEnv, type P2PEvents, type Source } from './p2p-types.js';
import type { Peer } from './peer.js';

/**
 * Send `blocks`' headers (the last 2,000) to each of `peers` but `from` that lacks any of them:
 * from the first it lacks to the last.
 */
export function announceHeaders(
  peers: readonly Peer[],
  blocks: readonly Block[],
  from: Source,
): void {
  if (blocks.length === 0) return;
  const headers = blocks.map((b) => b.header).slice(-MAX_HEADERS_PER_MESSAGE);
  // Each header's id is hashed once, not once per peer, and every peer's known set holds
  // the same key strings.
  const keys = headers.map((h) => blockKey(headerId(h)));
  for (const peer of peers) {
    if (peer.id === from) continue;
    // From the first header the peer lacks to the end, so the message connects: a later block
    // it was already sent (a compact block relayed early) cannot be used without its parent.
    const first = keys.findIndex((key) => !peer.known.has(key));
    if (first < 0) continue;
    for (const key of keys.slice(first)) peer.known.add(key);
    peer.send({ type: 'headers', headers: headers.slice(first) });
  }
}

/** A link whose least ping round trip was at most this is local: one machine, or a LAN. */
export const LOCAL_LINK_RTT_MS = 20;
/** How long headers to a local peer that the block's finder pushed it to wait (see below). */
export const LOCAL_ANNOUNCE_HOLD_MS = 250;

/**
 * `announceHeaders`, except to `pushedTo`'s peers over a local link: the block came to us as
 * its finder's push, and the finder pushed it at the same moment to them (the last `peers`
 * answers link them to it: `CompactRelay.finderLinks`), so our headers would reach them after
 * the block. Sent at once they only
 * take the cores that the tabs of one machine share while the block is still crossing; so they
 * wait LOCAL_ANNOUNCE_HOLD_MS and go then to those that have not announced the block to us
 * meanwhile. A false or stale list costs such a peer the hold, never the block. Without
 * timers every peer is announced to at once.
 */
export function announceAfterPush(
  peers: readonly Peer[],
  blocks: readonly Block[],
  from: Source,
  pushedTo: ReadonlySet<string>,
  timers: Pick<P2PEnv, 'setTimeout'> = {},
): void {
  const later = timers.setTimeout;
  const local = (p: Peer) => p.minRttMs <= LOCAL_LINK_RTT_MS;
  const held = peers.filter((p) => pushedTo.has(p.id) && local(p));
  if (!later || held.length === 0) return announceHeaders(peers, blocks, from);
  announceHeaders(
    peers.filter((p) => !held.includes(p)),
    blocks,
    from,
  );
  const ready = () => held.filter((p) => p.state === 'ready');
  later(() => announceHeaders(ready(), blocks, from), LOCAL_ANNOUNCE_HOLD_MS);
}

/**
 * Where the next (or current) sync starts: the chain's height and the bytes received in all
 * when the node was last caught up (its best header no higher than its tip), noted at each
 * progress report and each tick while caught up, so that traffic long before a sync is not
 * counted as the sync's.
 */
export class SyncStart {
  bytes = 0;
  constructor(public height: number) {}

  /** Note `chain` and the running byte count if the node is caught up. */
  note(chain: Chain, bytes: number): void {
    if (chain.bestHeader.height > chain.height) return;
    this.height = chain.height;
    this.bytes = bytes;
  }
}

/**
 * The `sync-progress` event for a sync that began at height `began.height`, when the node had
 * received `began.bytes` bytes in all (both as of when it was last caught up).
 */
export function syncProgress(
  chain: Chain,
  inFlight: number,
  began: { height: number; bytes: number },
): P2PEvents['sync-progress'] {
  const start = began.height;
  const best = chain.bestHeader.height;
  const tip = chain.height;
  const syncing = best > tip;
  const total = Math.max(0, best - start);
  const done = Math.max(0, tip - start);
  return {
    done,
    total,
    syncing,
    start,
    startBytes: began.bytes,
    headers: best,
    connected: tip,
    inFlight,
  };
}
