/**
 * Headers-first sync (docs/protocol.md, "Sync"): asking a peer for headers from a locator,
 * accepting its `headers` answers into the block tree, following up while answers are full,
 * and penalising a peer whose headers keep failing to connect. Block bodies are the
 * downloader's job (sync.ts); this file only grows the header tree.
 *
 * While our best header is old (a joining node, or one back from a long sleep), the header
 * chain is asked of ONE peer at a time (Bitcoin Core's initial headers sync): the others are
 * asked only once that peer has caught us up, stalls (no answer for HEADERS_SYNC_TIMEOUT_MS) or
 * sends headers that fail. Once the best header is recent, every peer is asked as needed.
 */
import {
  MAX_HEADERS_PER_MESSAGE,
  blockLocator,
  hashToHex,
  headerId,
  hexToHash,
  type BlockEntry,
  type BlockHeader,
  type Chain,
  type HeadersOutcome,
  type Rejection,
} from '../../core/index.js';
import { MAX_UNCONNECTING_HEADERS, blockKey, type RefusedEvent } from './p2p-types.js';
import type { Peer } from './peer.js';

/** How long a getheaders counts as being answered (no second request meanwhile). */
export const HEADERS_ANSWER_MS = 10_000;
/** The initial-sync peer is replaced when a getheaders of ours stays unanswered this long. */
export const HEADERS_SYNC_TIMEOUT_MS = 15_000;
/** A best header younger than this many block spacings is recent: every peer may be asked. */
export const RECENT_HEADER_SPACINGS = 144;
/**
 * Headers validated per task, yielding to the page between slices: 2,000 at once took 120–570
 * ms of main thread on a busy 2-core machine, a long task that froze the sync view.
 */
export const HEADERS_PER_SLICE = 250;

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface HeaderSyncHost {
  readonly chain: Chain;
  /** Milliseconds since the epoch. */
  now(): number;
  /** The peers that completed the handshake (candidates for the initial header sync). */
  readyPeers(): readonly Peer[];
  penalise(peer: Peer, rejection: Rejection, kind: RefusedEvent['kind'], id?: string): void;
  /** New headers were accepted: report progress and request their blocks. */
  headersAccepted(): void;
}

export class HeaderSync {
  /** The one peer asked for headers while the best header is old. */
  private syncPeer: Peer | undefined = undefined;
  /** Peers that may have headers we lack, waiting for the sync peer to finish. */
  private readonly deferred = new Set<Peer>();
  /** Sync peers that stalled or sent failing headers: not chosen again while others remain. */
  private readonly failed = new WeakSet<Peer>();

  constructor(private readonly host: HeaderSyncHost) {}

  /** The peer doing the initial header sync, if one is. */
  get syncing(): Peer | undefined {
    return this.syncPeer;
  }

  /** True when our best header is recent: headers may be asked of every peer at once. */
  recent(): boolean {
    const { chain } = this.host;
    const window = RECENT_HEADER_SPACINGS * chain.params.targetSpacing * 1000;
    return chain.bestHeader.header.time * 1000 > this.host.now() - window;
  }

  /** Ask `peer` for the headers after `from` (a locator of `from`'s branch). */
  request(peer: Peer, from: BlockEntry): void {
    peer.headersRequestedAt = this.host.now();
    peer.send({
      type: 'getheaders',
      locator: blockLocator(from).map((id) => hexToHash(id)),
      stop: new Uint8Array(32),
    });
  }

  /**
   * `peer` may have headers we lack (its hello claims more work, it announced a block we do
   * not know, it sent an orphan or a header that does not connect): ask it for the headers after
   * our best header now, or once the peer doing the initial header sync is done.
   */
  want(peer: Peer): void {
    if (peer.state !== 'ready') return;
    if (!this.syncPeer && !this.recent()) this.syncPeer = peer;
    if (this.mayAsk(peer)) this.request(peer, this.host.chain.bestHeader);
    else this.deferred.add(peer);
  }

  private mayAsk(peer: Peer): boolean {
    return !this.syncPeer || this.syncPeer === peer || this.recent();
  }

  /** The sync peer is done, gone, stalled or lying: hand the header sync to the next peer. */
  private next(): void {
    this.syncPeer = undefined;
    const waiting = [...this.deferred].filter((p) => p.state === 'ready');
    this.deferred.clear();
    const bestWork = this.host.chain.bestHeader.chainWork;
    // After a failure, a peer that claimed more work than we have takes over even if it had
    // not been deferred (it was never asked: its claim was below the failed peer's).
    const claimants = this.host
      .readyPeers()
      .filter((p) => !waiting.includes(p) && (p.hello?.chainWork ?? 0n) > bestWork);
    const order = [...waiting, ...claimants].sort(
      (a, b) => Number(this.failed.has(a)) - Number(this.failed.has(b)),
    );
    for (const peer of order) this.want(peer);
  }

  /** Once a tick: replace an initial-sync peer that leaves our getheaders unanswered. */
  tick(): void {
    const peer = this.syncPeer;
    const asked = peer?.headersRequestedAt;
    if (!peer || asked === undefined || this.host.now() - asked <= HEADERS_SYNC_TIMEOUT_MS) return;
    peer.headersRequestedAt = undefined;
    this.failed.add(peer);
    this.next();
  }

  /** A peer went away. */
  dropPeer(peer: Peer): void {
    this.deferred.delete(peer);
    if (this.syncPeer === peer) this.next();
  }

  async receive(peer: Peer, headers: readonly BlockHeader[]): Promise<void> {
    if (headers.length === 0) {
      peer.headersRequestedAt = undefined; // the answer: nothing more to give
      if (peer === this.syncPeer) this.next();
      return;
    }
    const { accepted, rejection } = await this.acceptInSlices(headers);
    for (const entry of accepted) peer.known.add(blockKey(entry.id));
    const last = accepted[accepted.length - 1];
    if (last && (!peer.bestAnnounced || last.chainWork > peer.bestAnnounced.chainWork))
      peer.bestAnnounced = last;
    if (rejection) {
      if (rejection.category === 'missing-parent') {
        // Headers that do not connect: ask for the way there, within reason.
        peer.unconnectingHeaders++;
        if (peer.unconnectingHeaders > MAX_UNCONNECTING_HEADERS) {
          this.host.penalise(
            peer,
            { ...rejection, reason: 'headers-dont-connect', score: 20 },
            'headers',
          );
        }
        // Unless our getheaders is still being answered (a tip announcement can overtake the
        // answer): asking again would download the whole header chain twice.
        const asked = peer.headersRequestedAt;
        const answering = asked !== undefined && this.host.now() - asked < HEADERS_ANSWER_MS;
        if (peer.state === 'ready' && !answering) this.want(peer);
        return;
      }
      this.host.penalise(peer, rejection, 'headers', headerId(headers[accepted.length]!));
      if (peer === this.syncPeer && peer.state !== 'closed') {
        this.failed.add(peer); // lied: the header chain goes to another peer
        this.next();
      }
      if (peer.state === 'closed') return;
    } else {
      peer.unconnectingHeaders = 0;
      peer.headersRequestedAt = undefined;
    }
    if (headers.length === MAX_HEADERS_PER_MESSAGE && last) {
      if (this.mayAsk(peer)) this.request(peer, last);
      else this.deferred.add(peer);
    } else if (peer === this.syncPeer && !rejection) this.next(); // it has caught us up
    if (accepted.length > 0) this.placeTips();
    this.host.headersAccepted();
  }

  /** `chain.acceptHeaders` a slice at a time, stopping at the first rejection. */
  private async acceptInSlices(headers: readonly BlockHeader[]): Promise<HeadersOutcome> {
    const accepted: BlockEntry[] = [];
    for (let from = 0; from < headers.length; from += HEADERS_PER_SLICE) {
      if (from > 0) await yieldToPage();
      const slice = headers.slice(from, from + HEADERS_PER_SLICE);
      const outcome = await this.host.chain.acceptHeaders(
        slice,
        Math.floor(this.host.now() / 1000),
      );
      accepted.push(...outcome.accepted);
      if (outcome.rejection) return { accepted, rejection: outcome.rejection };
    }
    return { accepted, rejection: undefined };
  }

  /**
   * Peers whose hello tip was unknown may have it in our tree now (headers from another peer):
   * their announced chain is then known, so blocks can be asked of them without their sending
   * the same headers again (Bitcoin Core's ProcessBlockAvailability). O(peers) per message.
   */
  private placeTips(): void {
    for (const peer of this.host.readyPeers()) {
      const hello = peer.hello;
      if (!hello || (peer.bestAnnounced && peer.bestAnnounced.chainWork >= hello.chainWork))
        continue;
      const entry = this.host.chain.getEntry(hashToHex(hello.tip));
      if (
        entry &&
        entry.status !== 'invalid' &&
        entry.chainWork > (peer.bestAnnounced?.chainWork ?? -1n)
      )
        peer.bestAnnounced = entry;
    }
  }
}
