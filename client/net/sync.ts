/**
 * Headers-first block download (docs/protocol.md, "Sync"): the blocks on the most-work header
 * chain that we lack are requested in parallel from the peers that have them, at most `perPeer`
 * at a time each and no further than `window` blocks past our tip.
 *
 * The cost per block does not grow with the chain or the number of headers ahead (Bitcoin
 * Core's FindNextBlocksToDownload): a cursor walks forward once along the best header chain,
 * past blocks already requested or stored, fetching the entries ahead in batches through the
 * skip pointers (`ancestorAt`). A request that ends without the block (its peer left or
 * stalled, `notfound`, a body that failed its header) puts the block on a short retry list
 * that is served before the cursor moves on. A request unanswered for `timeoutMs` marks its
 * peer as stalled (the node drops it); the block right after our tip, in flight for `stallMs`
 * while the window is full, is asked of another peer as well.
 */
import {
  ancestorAt,
  findFork,
  hasData,
  hexToHash,
  type BlockEntry,
  type Chain,
  type InvKind,
} from '../../core/index.js';
import type { Peer } from './peer.js';

export interface DownloadOptions {
  /** Blocks past our tip that may be requested. */
  window: number;
  /** Requests in flight per peer. */
  perPeer: number;
  /** A request unanswered this long marks its peer as stalled. */
  timeoutMs: number;
  /** The block after our tip holding a full window back this long is asked of another peer. */
  stallMs: number;
}

export const DEFAULT_DOWNLOAD: DownloadOptions = {
  window: 1024,
  perPeer: 16,
  timeoutMs: 15_000,
  stallMs: 2_000,
};
/** After a peer's first `notfound` for a block, it is asked again no sooner than this. */
export const NOTFOUND_BACKOFF_MS = 2_000;
/** The backoff doubles with each `notfound` for the same block, up to this. */
export const MAX_NOTFOUND_BACKOFF_MS = 64_000;
/** Entries ahead of the cursor fetched at once (one `ancestorAt`, then parent links). */
const CURSOR_BATCH = 128;

interface Backoff {
  until: number;
  count: number;
}

interface Request {
  peer: Peer;
  at: number;
  /** A second peer asked because the first held the window back (see `unstall`). */
  second?: Peer;
}

export class BlockDownloader {
  /** Block id -> who it was requested from (until validated). */
  private readonly requested = new Map<string, Request>();
  /** Blocks whose request ended without the block, to be asked of someone else first. */
  private readonly retry = new Map<string, BlockEntry>();
  /** Peer -> block id -> when that peer may be asked for it again (it answered notfound). */
  private readonly backoff = new Map<Peer, Map<string, Backoff>>();
  /** The best header the cursor follows. */
  private followed: BlockEntry;
  /**
   * Every entry of `followed`'s chain up to this one is stored, requested, or on the retry
   * list: the cursor never walks it again.
   */
  private cursor: BlockEntry;
  /** The entries after `cursor` on `followed`'s chain, from `aheadAt` on (a batch). */
  private ahead: BlockEntry[] = [];
  private aheadAt = 0;
  /** Entries the cursor stepped over (a measure of its work, for tests and benches). */
  steps = 0;

  constructor(
    private readonly chain: Chain,
    readonly options: DownloadOptions = DEFAULT_DOWNLOAD,
  ) {
    this.followed = chain.tip;
    this.cursor = chain.tip;
  }

  /** Blocks requested and not yet validated. */
  get inFlight(): number {
    return this.requested.size;
  }

  /** Follow the best header; if it no longer builds on the cursor, restart at the fork. */
  private follow(): void {
    const best = this.chain.bestHeader;
    if (best === this.followed) return;
    this.followed = best;
    this.ahead = [];
    this.aheadAt = 0;
    if (ancestorAt(best, this.cursor.height) !== this.cursor) {
      this.cursor = findFork(best, this.cursor);
    }
  }

  /** The entry after the cursor on the followed chain, if any. */
  private peek(): BlockEntry | undefined {
    if (this.aheadAt >= this.ahead.length) {
      const to = Math.min(this.followed.height, this.cursor.height + CURSOR_BATCH);
      if (to <= this.cursor.height) return undefined;
      const batch: BlockEntry[] = [];
      for (let e = ancestorAt(this.followed, to); e && e !== this.cursor; e = e.parent)
        batch.push(e);
      this.ahead = batch.reverse();
      this.aheadAt = 0;
    }
    return this.ahead[this.aheadAt];
  }

  private advance(): void {
    this.cursor = this.ahead[this.aheadAt++]!;
    this.steps++;
  }

  /** The height up to which `peer` has the followed chain (-1 if none of it). */
  private reach(peer: Peer): number {
    const best = peer.bestAnnounced;
    if (!best || best.status === 'invalid') return -1;
    if (best.height <= this.followed.height && ancestorAt(this.followed, best.height) === best)
      return best.height;
    return findFork(best, this.followed).height;
  }

  private backedOff(peer: Peer, id: string, now: number): boolean {
    return (this.backoff.get(peer)?.get(id)?.until ?? 0) > now;
  }

  /** Worth requesting: on the followed chain, body unknown, not invalid, not yet requested. */
  private wanted(entry: BlockEntry): boolean {
    return (
      !hasData(entry) &&
      entry.status !== 'invalid' &&
      !this.requested.has(entry.id) &&
      this.chain.getEntry(entry.id) === entry &&
      ancestorAt(this.followed, entry.height) === entry
    );
  }

  /** Block ids to request from `peer` now (recorded as in flight). */
  assign(peer: Peer, now: number): string[] {
    const room = this.options.perPeer - peer.inFlight.size;
    if (room <= 0 || !peer.bestAnnounced) return [];
    this.follow();
    const reach = this.reach(peer);
    const limit = Math.min(reach, this.chain.height + this.options.window);
    const ids: string[] = [];
    const take = (entry: BlockEntry) => {
      this.requested.set(entry.id, { peer, at: now });
      peer.inFlight.set(entry.id, now);
      ids.push(entry.id);
    };
    // First the blocks whose request ended without them (bounded by what was in flight).
    for (const [id, entry] of this.retry) {
      if (ids.length >= room) break;
      if (!this.wanted(entry)) {
        this.retry.delete(id); // stored, requested again, or off the best chain now
        continue;
      }
      if (entry.height > limit || this.backedOff(peer, id, now)) continue;
      this.retry.delete(id);
      take(entry);
    }
    // Then the cursor: each entry is passed once, whatever the number of calls.
    while (ids.length < room) {
      const entry = this.peek();
      if (!entry || entry.height > limit || entry.status === 'invalid') break;
      this.advance();
      if (hasData(entry) || this.requested.has(entry.id)) continue;
      if (this.backedOff(peer, entry.id, now)) this.retry.set(entry.id, entry);
      else take(entry);
    }
    return ids;
  }

  /**
   * A block arrived from `peer`: its slot with the peer is free, but the block stays claimed
   * until `processed`, so it is not fetched again while it waits for validation.
   */
  arrived(peer: Peer, id: string): void {
    peer.inFlight.delete(id);
  }

  /**
   * The block was validated (or refused). If it is still missing (a body that did not match
   * its header, a failure on our side) it goes back on the retry list.
   */
  processed(id: string): void {
    const request = this.requested.get(id);
    if (!request) return;
    this.requested.delete(id);
    request.peer.inFlight.delete(id);
    request.second?.inFlight.delete(id);
    const entry = this.chain.getEntry(id);
    if (entry && !hasData(entry) && entry.status !== 'invalid') this.retry.set(id, entry);
  }

  /** A request of `peer` ended without the block: it may go to someone else. */
  private releaseRequest(peer: Peer, id: string): void {
    const request = this.requested.get(id);
    if (!request) return;
    if (request.second === peer) {
      request.second = undefined;
      return;
    }
    if (request.peer !== peer) return;
    if (request.second) {
      this.requested.set(id, { peer: request.second, at: request.at });
      return;
    }
    this.requested.delete(id);
    const entry = this.chain.getEntry(id);
    if (entry) this.retry.set(id, entry);
  }

  /**
   * The peer answered notfound: someone else may provide the block; this peer is not asked for
   * it again before its backoff (2 s, doubling to 64 s) ends. Only blocks we asked it for count.
   */
  notFound(peer: Peer, id: string, now: number): void {
    if (!peer.inFlight.delete(id)) return;
    this.releaseRequest(peer, id);
    let backoff = this.backoff.get(peer);
    if (!backoff) this.backoff.set(peer, (backoff = new Map()));
    const count = (backoff.get(id)?.count ?? 0) + 1;
    const delay = Math.min(NOTFOUND_BACKOFF_MS * 2 ** (count - 1), MAX_NOTFOUND_BACKOFF_MS);
    backoff.set(id, { until: now + delay, count });
    // Bounded by the download window: forget blocks that are no longer missing.
    if (backoff.size > this.options.window) {
      for (const key of backoff.keys()) {
        const entry = this.chain.getEntry(key);
        if (!entry || hasData(entry)) backoff.delete(key);
      }
      for (const key of backoff.keys()) if (backoff.size > this.options.window) backoff.delete(key);
    }
  }

  /**
   * The block right after our tip holds the window back (everything up to the window's end is
   * stored or requested) and has been in flight for `stallMs`: ask a second peer for it too,
   * as Bitcoin Core does before it disconnects the staller.
   */
  private unstall(peers: readonly Peer[], now: number): void {
    const next = this.chain.tip.height + 1;
    if (
      this.cursor.height < Math.min(this.followed.height, this.chain.height + this.options.window)
    )
      return;
    const entry = ancestorAt(this.followed, next);
    const request = entry && this.requested.get(entry.id);
    if (!entry || !request || request.second || now - request.at < this.options.stallMs) return;
    if (!request.peer.inFlight.has(entry.id)) return; // delivered, being validated
    for (const peer of peers) {
      if (peer === request.peer || peer.inFlight.size >= this.options.perPeer) continue;
      if (this.backedOff(peer, entry.id, now) || this.reach(peer) < next) continue;
      request.second = peer;
      peer.inFlight.set(entry.id, now);
      peer.send({ type: 'getdata', items: [{ kind: 'block', hash: hexToHash(entry.id) }] });
      return;
    }
  }

  /** How to ask `peer` for block `id` (compact-relay.ts picks `cmpct` for a new tip's child). */
  kindFor: (peer: Peer, id: string) => InvKind = () => 'block';

  /** A block arrived unrequested (a compact block): claimed until `processed`, never fetched meanwhile. */
  claim(peer: Peer, id: string, now: number): void {
    if (!this.requested.has(id)) this.requested.set(id, { peer, at: now });
  }

  /** The block came by another route or is given up with `peer`: it may be requested again. */
  release(peer: Peer, id: string): void {
    if (peer.inFlight.delete(id)) this.releaseRequest(peer, id);
  }

  /** Ask each of `peers` for the missing blocks it can give us now. */
  request(peers: readonly Peer[], now: number): void {
    for (const peer of peers) {
      const ids = this.assign(peer, now);
      if (ids.length === 0) continue;
      peer.send({
        type: 'getdata',
        items: ids.map((id) => ({ kind: this.kindFor(peer, id), hash: hexToHash(id) })),
      });
    }
    this.unstall(peers, now);
  }

  /** Forget everything in flight from a peer that went away (its blocks go to others). */
  dropPeer(peer: Peer): void {
    for (const id of peer.inFlight.keys()) this.releaseRequest(peer, id);
    peer.inFlight.clear();
    this.backoff.delete(peer);
  }

  /** True when `peer` has had a request outstanding for longer than the timeout. */
  isStalled(peer: Peer, now: number): boolean {
    for (const at of peer.inFlight.values()) if (now - at > this.options.timeoutMs) return true;
    return false;
  }
}
