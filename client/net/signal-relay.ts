/**
 * Relayed signaling (docs/protocol.md, "Peer exchange and relayed signaling"): the linked peers
 * as a signaling source for the mesh (signaling.ts). A node sends its offer, answer and ICE
 * candidates for `to` in a `signal` message to a peer that listed `to` in its peer exchange
 * (peer-exchange.ts); that peer forwards it once to `to`, its own peer. So links keep forming
 * while the tracker is unreachable. Abuse limits, all per this node:
 * - a relay forwards only a signal whose `from` is the peer it came from (it vouches for its
 *   neighbour, never for anyone further), with ttl 1, to a ready version-3 peer of its own;
 * - per link, at most SIGNALS_PER_SECOND (bursts of SIGNALS_BURST) signals of any kind, each
 *   over costs SIGNAL_FLOOD_SCORE; per destination, at most FORWARDS_PER_SECOND forwarded;
 * - per relaying peer, at most RELAYED_OFFERS_BURST new offers at once and one every
 *   RELAYED_OFFER_EVERY_MS after (each offer costs the receiver a connection attempt);
 * - at most MAX_RELAY_SIGNAL_BYTES of JSON per signal (the codec), duplicates dropped by
 *   (from, to, nonce) over the last DEDUP_SIGNALS signals.
 */
import {
  MAX_SIGNAL_TTL,
  reject,
  type Rejection,
  type SignalMessage,
  type WireMessage,
} from '../../core/index.js';
import { Emitter } from '../events.js';
import { KnownSet } from './known-set.js';
import {
  PEX_ANSWER_TIMEOUT_MS,
  PeerExchange,
  speaksRelay,
  type ExchangeHost,
} from './peer-exchange.js';
import type { P2PEvents } from './p2p-types.js';
import type { Peer } from './peer.js';
import type { SignalingEvents, SignalingSource } from './signaling.js';
import { TokenBucket } from './token-bucket.js';

export const SIGNALS_PER_SECOND = 10;
export const SIGNALS_BURST = 40;
/** Penalty for each signal over the per-link rate (ten in a row ban the peer). */
export const SIGNAL_FLOOD_SCORE = 10;
/** Signals forwarded to one destination, from all senders together: per second, and burst. */
export const FORWARDS_PER_SECOND = 20;
export const FORWARDS_BURST = 60;
/** New offers accepted through one relaying peer: at once, then one per this many ms. */
export const RELAYED_OFFERS_BURST = 4;
export const RELAYED_OFFER_EVERY_MS = 15_000;
/** (from, to, nonce) of signals remembered, so a repeated one is neither forwarded nor used. */
export const DEDUP_SIGNALS = 4096;
/** Nodes remembered with the peer their last signal came through (answers go back there). */
const MAX_ROUTES = 1024;

/** The origin tag (admission.ts) of links made through relaying peer `id`. */
export const relayOrigin = (id: string) => `peer:${id}`;

/** The protocol it runs in (P2P): its id, its peers and its events. */
export interface RelayP2P {
  readonly nodeId: string;
  readonly peers: ReadonlyMap<string, Peer>;
  on: Emitter<P2PEvents>['on'];
}

/** The clock (ms) and randomness (uniform in [0, 1), for the first nonce). */
export interface RelayEnv {
  now(): number;
  random(): number;
}

export class SignalRelay extends Emitter<SignalingEvents> implements SignalingSource {
  readonly exchange: PeerExchange;
  private readonly seen = new KnownSet(DEDUP_SIGNALS);
  private readonly inbound = new Map<string, TokenBucket>();
  private readonly forwards = new Map<string, TokenBucket>();
  private readonly offers = new Map<string, TokenBucket>();
  /** Node id -> the peer its latest signal came through. */
  private readonly routes = new Map<string, string>();
  private nonce: number;
  /** When the mesh last asked for candidates (it wants more links), ms. */
  private wantedAt = -Infinity;

  private readonly host: ExchangeHost;

  constructor(p2p: RelayP2P, env: RelayEnv, penalise: (peer: Peer, r: Rejection) => void) {
    super();
    const host = { nodeId: p2p.nodeId, peers: p2p.peers, now: () => env.now(), penalise };
    this.host = host;
    this.exchange = new PeerExchange(host);
    this.nonce = Math.floor(env.random() * 2 ** 32);
    p2p.on('peer-connected', ({ id }) => {
      const peer = host.peers.get(id);
      if (peer) this.exchange.ask(peer);
    });
    p2p.on('peer-disconnected', ({ id }) => {
      this.exchange.forget(id);
      for (const map of [this.inbound, this.forwards, this.offers]) map.delete(id);
    });
  }

  /** Usable while some ready peer speaks version 3. */
  get connected(): boolean {
    return [...this.host.peers.values()].some(speaksRelay);
  }

  async requestPeers(exclude: string[]): Promise<string[]> {
    this.wantedAt = this.host.now();
    this.exchange.refresh();
    return this.exchange.candidates(exclude);
  }

  /** Send `data` to `to` through the peer it was last heard through, or one that lists it. */
  signal(to: string, data: unknown): boolean {
    const last = this.host.peers.get(this.routes.get(to) ?? '');
    const relay = speaksRelay(last) && last.id !== to ? last : this.exchange.relayersOf(to)[0];
    if (!relay) return false;
    const text = JSON.stringify(data);
    if (typeof text !== 'string') return false;
    this.nonce = (this.nonce + 1) >>> 0;
    const message: SignalMessage = {
      type: 'signal',
      from: this.host.nodeId,
      to,
      ttl: MAX_SIGNAL_TTL,
      nonce: this.nonce,
      data: text,
    };
    relay.send(message); // one over the size limit is not sent (peer.ts): the attempt times out
    return true;
  }

  /** A version-3 message from `peer` (p2p.ts hands over getpeers, peers and signal). */
  receive(peer: Peer, message: Extract<WireMessage, { type: 'getpeers' | 'peers' | 'signal' }>) {
    // From a peer whose link does not speak version 3: it should not have been sent; ignored.
    if (!speaksRelay(peer)) return;
    if (message.type === 'getpeers') return this.exchange.answer(peer);
    if (message.type === 'peers') {
      // New ids are taken from a link's first answer and while the mesh wants links; the
      // once-a-minute answers otherwise only keep our view of the peer's links current (a
      // peer could fill our known nodes with 16 made-up ids a minute).
      const first = !this.exchange.hasList(peer.id);
      const fresh = this.exchange.receive(peer, message.ids);
      const wanted = this.host.now() - this.wantedAt < PEX_ANSWER_TIMEOUT_MS;
      if (fresh.length > 0 && (first || wanted)) this.emit('introduced', fresh);
      return;
    }
    if (!this.take(this.inbound, peer.id, SIGNALS_PER_SECOND, SIGNALS_BURST)) {
      const text = `more than ${SIGNALS_PER_SECOND} signals a second (bursts of ${SIGNALS_BURST})`;
      return this.host.penalise(
        peer,
        reject('signal-too-frequent', text, 'policy', SIGNAL_FLOOD_SCORE),
      );
    }
    // ttl 1 means "sent by `from` itself": only the peer can be that, whoever it is for.
    if (message.ttl === MAX_SIGNAL_TTL && message.from !== peer.id) {
      return this.host.penalise(peer, badRelay(`signal from ${message.from} sent by ${peer.id}`));
    }
    if (message.to === this.host.nodeId) return this.deliver(peer, message);
    if (message.ttl === 0)
      return this.host.penalise(peer, badRelay(`signal for ${message.to} with no hop left`));
    this.forward(peer, message);
  }

  private firstTime(message: SignalMessage): boolean {
    const key = `${message.from}>${message.to}:${message.nonce}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  private deliver(peer: Peer, message: SignalMessage): void {
    if (message.from === this.host.nodeId || !this.firstTime(message)) return;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return; // not a signal object: nothing to use (the relay does not parse what it forwards)
    }
    const isOffer = (data as { type?: unknown } | null)?.type === 'offer';
    if (
      isOffer &&
      !this.take(this.offers, peer.id, 1000 / RELAYED_OFFER_EVERY_MS, RELAYED_OFFERS_BURST)
    )
      return;
    this.routes.delete(message.from);
    this.routes.set(message.from, peer.id);
    if (this.routes.size > MAX_ROUTES) this.routes.delete(this.routes.keys().next().value!);
    this.emit('signal', { from: message.from, data, origin: relayOrigin(peer.id) });
  }

  /** Forward to `to` if it is our ready version-3 peer (not back to the sender), once. */
  private forward(peer: Peer, message: SignalMessage): void {
    const target = this.host.peers.get(message.to);
    if (!speaksRelay(target) || target === peer || !this.firstTime(message)) return;
    if (!this.take(this.forwards, target.id, FORWARDS_PER_SECOND, FORWARDS_BURST)) return;
    target.send({ ...message, ttl: message.ttl - 1 });
  }

  private take(map: Map<string, TokenBucket>, id: string, perSecond: number, burst: number) {
    const now = this.host.now();
    let bucket = map.get(id);
    if (!bucket) map.set(id, (bucket = new TokenBucket(perSecond, burst, now)));
    return bucket.take(now);
  }
}

/** A signal that breaks the relay rules: no honest version-3 node sends it. */
function badRelay(message: string): Rejection {
  return reject('bad-relay-signal', message, 'consensus');
}
