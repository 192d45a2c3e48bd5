/**
 * Which peer to ask for an announced transaction (docs/protocol.md, "Relay"): one request per
 * txid at a time, like Bitcoin Core's TxRequestTracker, simplified. The first peer to announce a
 * txid we lack is asked for it; later announcers are remembered, in announcement order, as
 * alternates, and the next one is asked only when the request ends without the transaction: the
 * peer answered `notfound`, disconnected, or did not answer within TX_REQUEST_TIMEOUT_MS.
 *
 * Pure bookkeeping: the caller says what it wants, passes the clock, and sends the `getdata`
 * messages. `P` is whatever identifies one connection (a `Peer`; a string in tests).
 *
 * Bounds, per peer: at most MAX_PEER_TX_ANNOUNCEMENTS txids tracked (asked of it or remembered as
 * an alternate), at most MAX_PEER_TX_IN_FLIGHT of them asked of it. So the whole tracker holds at
 * most MAX_PEER_TX_ANNOUNCEMENTS entries per connected peer. Every call costs O(its items)
 * (amortised: see `ask`), except `dropPeer`, O(that peer's entries), and `expire`, O(requests
 * that timed out).
 */

/**
 * A request unanswered this long goes to the next announcer. Tabs answer a `getdata` for a
 * transaction in well under 100 ms; 2 s leaves room for a peer busy sending us a block first
 * (its answers are queued behind it) or validating one, while a peer that announces and never
 * answers holds the transaction back by 2–3 s at most (expiry is checked once a second). An
 * honest answer later than this costs one duplicate download, nothing more.
 */
export const TX_REQUEST_TIMEOUT_MS = 2_000;
/**
 * Txids one peer may have tracked (in flight from it, or it is an alternate): Bitcoin Core's
 * MAX_PEER_TX_ANNOUNCEMENTS (5,000) scaled down to our smaller mempools. Announcements past it
 * are ignored.
 */
export const MAX_PEER_TX_ANNOUNCEMENTS = 1_000;
/**
 * Requests in flight to one peer. Well under what a server queues for one peer before dropping
 * it (MAX_QUEUED_ITEMS, 2,000, serve.ts); at one round trip (≤ 100 ms) per batch, still 2,000
 * transactions a second from each peer. An announcement that would be asked of a peer at this
 * cap is ignored; an alternate at this cap is passed over (and forgotten for that txid).
 */
export const MAX_PEER_TX_IN_FLIGHT = 200;
/** Ended requests the timeout queue may hold beyond twice the live ones before it is compacted. */
const QUEUE_SLACK = 1_024;

/** Requests to send: peer -> txids to ask it for. */
export type TxRequestBatches<P> = Map<P, string[]>;

interface Entry<P> {
  id: string;
  /** The peer asked, when, and the number of that request (0 once the entry is forgotten). */
  peer: P;
  at: number;
  seq: number;
  /** The other announcers, in announcement order. */
  alternates: Set<P>;
}

interface PeerEntries {
  /** Txids this peer announced that are tracked: in flight from it, or it is an alternate. */
  ids: Set<string>;
  inFlight: number;
}

/** A request as sent; stale once its entry's `seq` moved on (answered, re-asked, forgotten). */
interface Sent<P> {
  entry: Entry<P>;
  seq: number;
}

export class TxRequests<P> {
  private readonly entries = new Map<string, Entry<P>>();
  private readonly byPeer = new Map<P, PeerEntries>();
  /** Requests in the order they were sent, so in the order they time out. */
  private queue: Sent<P>[] = [];
  private head = 0;
  private seq = 0;
  private inFlightTotal = 0;

  /** Txids tracked (each has one request in flight). */
  get size(): number {
    return this.entries.size;
  }

  /** Records in the timeout queue, live or stale (for tests of its bound). */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Requests in flight to `peer`. */
  inFlight(peer: P): number {
    return this.byPeer.get(peer)?.inFlight ?? 0;
  }

  /** Txids `peer` announced that are tracked. */
  tracked(peer: P): number {
    return this.byPeer.get(peer)?.ids.size ?? 0;
  }

  /**
   * `peer` announced `id`, which we want. True when the caller should ask `peer` for it now
   * (nothing in flight for it); false when it is already asked of someone (`peer` becomes an
   * alternate), already announced by `peer`, or `peer` is over a cap (ignored).
   *
   * @example
   * if (requests.announced(peer, id, now)) getdata.push(id);
   */
  announced(peer: P, id: string, now: number): boolean {
    let mine = this.byPeer.get(peer);
    if (mine && (mine.ids.has(id) || mine.ids.size >= MAX_PEER_TX_ANNOUNCEMENTS)) return false;
    const entry = this.entries.get(id);
    if (!entry && mine && mine.inFlight >= MAX_PEER_TX_IN_FLIGHT) return false;
    if (!mine) this.byPeer.set(peer, (mine = { ids: new Set(), inFlight: 0 }));
    mine.ids.add(id);
    if (entry) {
      entry.alternates.add(peer);
      return false;
    }
    const created: Entry<P> = { id, peer, at: now, seq: 0, alternates: new Set() };
    this.entries.set(id, created);
    this.ask(created, peer, mine, now);
    return true;
  }

  /** A transaction `id` arrived (from anyone) or we no longer want it: forget it. */
  received(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.release(entry);
    for (const alternate of entry.alternates) this.untrack(alternate, id);
    this.forget(entry);
  }

  /**
   * `peer` answered `notfound` for `id`: if we asked it, ask the next alternate (added to
   * `batches`, so that one message's items make one batch). A `notfound` for something not
   * asked of `peer` changes nothing.
   */
  notFound(
    peer: P,
    id: string,
    now: number,
    batches: TxRequestBatches<P> = new Map(),
  ): TxRequestBatches<P> {
    const entry = this.entries.get(id);
    if (entry?.peer === peer) this.next(entry, now, batches);
    return batches;
  }

  /** `peer` disconnected: forget its announcements, re-ask elsewhere what was asked of it. */
  dropPeer(peer: P, now: number): TxRequestBatches<P> {
    const batches: TxRequestBatches<P> = new Map();
    const mine = this.byPeer.get(peer);
    if (!mine) return batches;
    for (const id of mine.ids) {
      const entry = this.entries.get(id)!;
      if (entry.peer === peer) this.next(entry, now, batches);
      else entry.alternates.delete(peer);
    }
    this.byPeer.delete(peer);
    return batches;
  }

  /** Requests older than TX_REQUEST_TIMEOUT_MS go to the next alternate. `now` never goes back. */
  expire(now: number): TxRequestBatches<P> {
    const batches: TxRequestBatches<P> = new Map();
    while (this.head < this.queue.length) {
      const sent = this.queue[this.head]!;
      const live = sent.entry.seq === sent.seq;
      if (live && now - sent.entry.at < TX_REQUEST_TIMEOUT_MS) break;
      this.head++;
      if (live) this.next(sent.entry, now, batches);
    }
    if (this.head > QUEUE_SLACK && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batches;
  }

  /**
   * Record a request. Records of ended requests stay in the queue until they reach its front;
   * once they outnumber the live ones by QUEUE_SLACK, they are dropped in one pass, which costs
   * no more than the records it drops (amortised O(1) per request).
   */
  private ask(entry: Entry<P>, peer: P, mine: PeerEntries, now: number): void {
    entry.peer = peer;
    entry.at = now;
    entry.seq = ++this.seq;
    mine.inFlight++;
    this.inFlightTotal++;
    this.queue.push({ entry, seq: entry.seq });
    if (this.queued > 2 * this.inFlightTotal + QUEUE_SLACK) {
      this.queue = this.queue.slice(this.head).filter((s) => s.entry.seq === s.seq);
      this.head = 0;
    }
  }

  /** The request in flight for `entry` ended without the transaction: ask the next alternate. */
  private next(entry: Entry<P>, now: number, batches: TxRequestBatches<P>): void {
    this.release(entry);
    this.untrack(entry.peer, entry.id);
    for (const alternate of entry.alternates) {
      entry.alternates.delete(alternate);
      const theirs = this.byPeer.get(alternate)!;
      if (theirs.inFlight >= MAX_PEER_TX_IN_FLIGHT) {
        this.untrack(alternate, entry.id);
        continue;
      }
      this.ask(entry, alternate, theirs, now);
      const ids = batches.get(alternate);
      if (ids) ids.push(entry.id);
      else batches.set(alternate, [entry.id]);
      return;
    }
    this.forget(entry);
  }

  /** End the request in flight for `entry` (its queue record goes stale). */
  private release(entry: Entry<P>): void {
    const mine = this.byPeer.get(entry.peer);
    if (mine) mine.inFlight--;
    this.inFlightTotal--;
    entry.seq = 0;
  }

  private forget(entry: Entry<P>): void {
    this.untrack(entry.peer, entry.id);
    this.entries.delete(entry.id);
  }

  private untrack(peer: P, id: string): void {
    const mine = this.byPeer.get(peer);
    if (!mine) return;
    mine.ids.delete(id);
    if (mine.ids.size === 0 && mine.inFlight === 0) this.byPeer.delete(peer);
  }
}
