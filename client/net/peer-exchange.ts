/**
 * Peer exchange (docs/protocol.md, "Peer exchange and relayed signaling"): a node asks each
 * peer that speaks version 3 which nodes it is linked to (`getpeers`), once when the link is
 * ready and again once a minute (P2P's tick), so the lists follow the mesh (a request left
 * unanswered is given up after two minutes); the answer (`peers`)
 * lists at most 16 ids the peer is linked to right now, and replaces that peer's previous list.
 * The lists say which peer can relay a signal to whom (signal-relay.ts). What a node keeps is
 * bounded by its links: one list of at most MAX_PEX_IDS ids per linked peer, gone with the link.
 */
import { MAX_PEX_IDS, RELAY_PROTOCOL_VERSION, reject, type Rejection } from '../../core/index.js';
import type { Peer } from './peer.js';
import { linkVersion } from './serve.js';
import { TokenBucket } from './token-bucket.js';

/** A node asks one peer for its list at most this often. */
export const PEX_ASK_INTERVAL_MS = 60_000;
/** A request unanswered this long is given up, and the peer may be asked again. */
export const PEX_ANSWER_TIMEOUT_MS = 2 * PEX_ASK_INTERVAL_MS;
/** `getpeers` answered per peer: at once, and per minute after that. */
export const PEX_ANSWERS_BURST = 2;
export const PEX_ANSWERS_PER_MINUTE = 1;
/** Penalty for each `getpeers` over that rate (ten in a row ban the peer). */
export const PEX_FLOOD_SCORE = 10;

/** What peer exchange needs from the protocol (P2P). */
export interface ExchangeHost {
  readonly nodeId: string;
  readonly peers: ReadonlyMap<string, Peer>;
  now(): number;
  penalise(peer: Peer, rejection: Rejection): void;
}

/** Whether `peer` is ready and its link speaks version 3 (these messages may be sent to it). */
export function speaksRelay(peer: Peer | undefined): peer is Peer {
  return (
    peer?.state === 'ready' && !!peer.hello && linkVersion(peer.hello) >= RELAY_PROTOCOL_VERSION
  );
}

export class PeerExchange {
  /** Per linked peer: the ids it last said it is linked to. */
  private readonly lists = new Map<string, string[]>();
  private readonly askedAt = new Map<string, number>();
  /** Peers we sent `getpeers` and that have not answered yet. */
  private readonly waiting = new Set<string>();
  private readonly answers = new Map<string, TokenBucket>();

  constructor(private readonly host: ExchangeHost) {}

  /**
   * Ask `peer` for its list, unless it was asked within PEX_ASK_INTERVAL_MS, or has not answered
   * yet and was asked within PEX_ANSWER_TIMEOUT_MS (a peer may ignore a request over its rate).
   * A clock that stepped back behind the last request counts as time enough.
   */
  ask(peer: Peer): void {
    const now = this.host.now();
    if (!speaksRelay(peer)) return;
    const since = now - (this.askedAt.get(peer.id) ?? -Infinity);
    const wait = this.waiting.has(peer.id) ? PEX_ANSWER_TIMEOUT_MS : PEX_ASK_INTERVAL_MS;
    if (since >= 0 && since < wait) return;
    this.askedAt.set(peer.id, now);
    this.waiting.add(peer.id);
    peer.send({ type: 'getpeers' });
  }

  /** Ask every peer that may be asked again. */
  refresh(): void {
    for (const peer of this.host.peers.values()) this.ask(peer);
  }

  /**
   * The link to `id` closed: forget everything about it, and strike it from the other peers'
   * lists, which may predate its leaving (dialling it through them would only time out).
   */
  forget(id: string): void {
    this.lists.delete(id);
    this.askedAt.delete(id);
    this.waiting.delete(id);
    this.answers.delete(id);
    for (const [via, list] of this.lists)
      if (list.includes(id))
        this.lists.set(
          via,
          list.filter((other) => other !== id),
        );
  }

  /** A `getpeers`: answer with the ready version-3 peers but the asker, within the rate. */
  answer(peer: Peer): void {
    let bucket = this.answers.get(peer.id);
    if (!bucket) {
      bucket = new TokenBucket(PEX_ANSWERS_PER_MINUTE / 60, PEX_ANSWERS_BURST, this.host.now());
      this.answers.set(peer.id, bucket);
    }
    if (!bucket.take(this.host.now())) {
      const rate = `${PEX_ANSWERS_PER_MINUTE} a minute (bursts of ${PEX_ANSWERS_BURST})`;
      const message = `getpeers more often than ${rate}`;
      return this.host.penalise(
        peer,
        reject('getpeers-too-frequent', message, 'policy', PEX_FLOOD_SCORE),
      );
    }
    const ids = [...this.host.peers.values()]
      .filter((p) => p.id !== peer.id && speaksRelay(p))
      .map((p) => p.id)
      .slice(0, MAX_PEX_IDS);
    peer.send({ type: 'peers', ids });
  }

  /**
   * A `peers` answer: kept (replacing the previous list) only if we asked; returns the ids it
   * names that no peer had named before (to dial), never our own or our peers'.
   */
  receive(peer: Peer, ids: readonly string[]): string[] {
    if (!this.waiting.delete(peer.id)) return []; // unasked: ignored
    const before = new Set(this.candidates([]));
    const list = ids.filter((id) => id !== this.host.nodeId && id !== peer.id);
    this.lists.set(peer.id, list);
    return list.filter((id) => !before.has(id) && !this.host.peers.has(id));
  }

  /** Whether `peer` has answered us on this link before. */
  hasList(peer: string): boolean {
    return this.lists.has(peer);
  }

  /** The ids `peer` last said it is linked to (none if it never answered us). */
  linksOf(peer: string): readonly string[] {
    return this.lists.get(peer) ?? [];
  }

  /** Ids our peers are linked to that we are not, leaving out `exclude`. */
  candidates(exclude: readonly string[]): string[] {
    const skip = new Set(exclude);
    const out = new Set<string>();
    for (const list of this.lists.values())
      for (const id of list) if (!skip.has(id) && !this.host.peers.has(id)) out.add(id);
    return [...out];
  }

  /** Ready peers whose latest list names `id`: they can relay a signal to it. */
  relayersOf(id: string): Peer[] {
    const out: Peer[] = [];
    for (const [via, list] of this.lists) {
      const peer = this.host.peers.get(via);
      if (speaksRelay(peer) && list.includes(id)) out.push(peer);
    }
    return out;
  }
}
