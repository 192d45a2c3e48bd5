/**
 * Headers-first sync (docs/protocol.md, "Sync"): asking a peer for headers from a locator,
 * accepting its `headers` answers into the block tree, following up while answers are full,
 * and penalising a peer whose headers keep failing to connect. Block bodies are the
 * downloader's job (sync.ts); this file only grows the header tree.
 */
import {
  MAX_HEADERS_PER_MESSAGE,
  blockLocator,
  headerId,
  hexToHash,
  type BlockEntry,
  type BlockHeader,
  type Chain,
  type Rejection,
} from '../../core/index.js';
import { MAX_UNCONNECTING_HEADERS, blockKey, type RefusedEvent } from './p2p-types.js';
import type { Peer } from './peer.js';

/** How long a getheaders counts as being answered (no second request meanwhile). */
export const HEADERS_ANSWER_MS = 10_000;

export interface HeaderSyncHost {
  readonly chain: Chain;
  /** Milliseconds since the epoch. */
  now(): number;
  penalise(peer: Peer, rejection: Rejection, kind: RefusedEvent['kind'], id?: string): void;
  /** New headers were accepted: report progress and request their blocks. */
  headersAccepted(): void;
}

export class HeaderSync {
  constructor(private readonly host: HeaderSyncHost) {}

  /** Ask `peer` for the headers after `from` (a locator of `from`'s branch). */
  request(peer: Peer, from: BlockEntry): void {
    peer.headersRequestedAt = this.host.now();
    peer.send({
      type: 'getheaders',
      locator: blockLocator(from).map((id) => hexToHash(id)),
      stop: new Uint8Array(32),
    });
  }

  /** Ask for headers after our best header (an announcement we could not place). */
  requestBest(peer: Peer): void {
    this.request(peer, this.host.chain.bestHeader);
  }

  async receive(peer: Peer, headers: readonly BlockHeader[]): Promise<void> {
    const { chain } = this.host;
    if (headers.length === 0) {
      peer.headersRequestedAt = undefined; // the answer: nothing more to give
      return;
    }
    const { accepted, rejection } = await chain.acceptHeaders(
      headers,
      Math.floor(this.host.now() / 1000),
    );
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
        if (peer.state === 'ready' && !answering) this.requestBest(peer);
        return;
      }
      this.host.penalise(peer, rejection, 'headers', headerId(headers[accepted.length]!));
      if (peer.state === 'closed') return;
    } else {
      peer.unconnectingHeaders = 0;
      peer.headersRequestedAt = undefined;
    }
    if (headers.length === MAX_HEADERS_PER_MESSAGE && last) this.request(peer, last);
    this.host.headersAccepted();
  }
}
