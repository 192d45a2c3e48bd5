/**
 * Headers-first block download: the blocks on the most-work header chain that we lack are
 * requested in parallel from the peers that have them, at most `perPeer` at a time each and no
 * further than `window` blocks past our tip. A request unanswered for `timeoutMs` marks its
 * peer as stalled (the node drops it and the block goes to another peer). A peer that answers
 * `notfound` for a block is not asked for it again before a backoff that doubles each time.
 */
import {
  ancestorAt,
  hasData,
  hexToHash,
  type BlockEntry,
  type Chain,
  type InvKind,
} from '../../core/index.js';
import type { Peer } from './peer.js';

export interface DownloadOptions {
  window: number;
  perPeer: number;
  timeoutMs: number;
}

export const DEFAULT_DOWNLOAD: DownloadOptions = { window: 1024, perPeer: 16, timeoutMs: 15_000 };
/** After a peer's first `notfound` for a block, it is asked again no sooner than this. */
export const NOTFOUND_BACKOFF_MS = 2_000;
/** The backoff doubles with each `notfound` for the same block, up to this. */
export const MAX_NOTFOUND_BACKOFF_MS = 64_000;

interface Backoff {
  until: number;
  count: number;
}

export class BlockDownloader {
  /** Block id -> peer id it was requested from. */
  private readonly requested = new Map<string, string>();
  /** Peer -> block id -> when that peer may be asked for it again (it answered notfound). */
  private readonly backoff = new Map<Peer, Map<string, Backoff>>();

  constructor(
    private readonly chain: Chain,
    readonly options: DownloadOptions = DEFAULT_DOWNLOAD,
  ) {}

  get inFlight(): number {
    return this.requested.size;
  }

  /** Blocks we lack on the best header chain, lowest first, within the window. */
  private missing(): BlockEntry[] {
    const best = this.chain.bestHeader;
    const tip = this.chain.tip;
    if (best.chainWork <= tip.chainWork) return [];
    const limit = tip.height + this.options.window;
    const out: BlockEntry[] = [];
    for (let e: BlockEntry | undefined = best; e && !this.chain.isActive(e); e = e.parent) {
      if (e.height <= limit && !hasData(e) && e.status !== 'invalid') out.push(e);
    }
    return out.reverse();
  }

  /** Block ids to request from `peer` now (recorded as in flight). */
  assign(peer: Peer, now: number): string[] {
    const room = this.options.perPeer - peer.inFlight.size;
    if (room <= 0 || !peer.bestAnnounced) return [];
    const ids: string[] = [];
    const backoff = this.backoff.get(peer);
    for (const entry of this.missing()) {
      if (ids.length >= room) break;
      if (this.requested.has(entry.id)) continue;
      if ((backoff?.get(entry.id)?.until ?? 0) > now) continue;
      if (ancestorAt(peer.bestAnnounced, entry.height) !== entry) continue;
      this.requested.set(entry.id, peer.id);
      peer.inFlight.set(entry.id, now);
      ids.push(entry.id);
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

  /** The block was validated (or refused): it may be requested again if still missing. */
  processed(id: string): void {
    this.requested.delete(id);
  }

  /**
   * The peer answered notfound: someone else may provide the block; this peer is not asked for
   * it again before its backoff (2 s, doubling to 64 s) ends. Only blocks we asked it for count.
   */
  notFound(peer: Peer, id: string, now: number): void {
    if (!peer.inFlight.delete(id)) return;
    if (this.requested.get(id) === peer.id) this.requested.delete(id);
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

  /** How to ask `peer` for block `id` (compact-relay.ts picks `cmpct` for a new tip's child). */
  kindFor: (peer: Peer, id: string) => InvKind = () => 'block';

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
  }

  /** A block arrived unrequested (a compact block): claimed until `processed`, never fetched meanwhile. */
  claim(peer: Peer, id: string): void {
    if (!this.requested.has(id)) this.requested.set(id, peer.id);
  }

  /** The block came by another route or is given up with `peer`: it may be requested again. */
  release(peer: Peer, id: string): void {
    if (!peer.inFlight.delete(id)) return;
    if (this.requested.get(id) === peer.id) this.requested.delete(id);
  }

  /** Forget everything in flight from a peer that went away. */
  dropPeer(peer: Peer): void {
    for (const id of peer.inFlight.keys()) {
      if (this.requested.get(id) === peer.id) this.requested.delete(id);
    }
    peer.inFlight.clear();
    this.backoff.delete(peer);
  }

  /** True when `peer` has had a request outstanding for longer than the timeout. */
  isStalled(peer: Peer, now: number): boolean {
    for (const at of peer.inFlight.values()) if (now - at > this.options.timeoutMs) return true;
    return false;
  }
}
