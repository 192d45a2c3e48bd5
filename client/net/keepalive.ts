/**
 * Liveness of links (docs/protocol.md, "Misbehaviour"): a `ping` every `intervalMs` to each
 * ready peer, the round-trip time from its `pong`, and closing links that sent no `hello`, no
 * `pong` within `timeoutMs`, or did not deliver the blocks requested of them.
 */
import type { Peer } from './peer.js';

export interface KeepaliveOptions {
  intervalMs: number;
  timeoutMs: number;
  /** The block downloader's verdict: blocks requested of `peer` are overdue. */
  isStalled(peer: Peer, now: number): boolean;
  /** Uniform in [0, 1), for ping nonces. */
  random(): number;
}

/** Once a tick: close dead links, ping the live ones that are due. */
export function checkLinks(peers: Iterable<Peer>, now: number, options: KeepaliveOptions): void {
  for (const peer of [...peers]) {
    if (peer.state === 'handshaking' && now - peer.connectedAt > options.timeoutMs) {
      peer.close('no hello');
    } else if (peer.pingNonce !== undefined && now - peer.pingSentAt > options.timeoutMs) {
      peer.close('ping timeout');
    } else if (options.isStalled(peer, now)) {
      peer.close('stalled: blocks requested but not delivered');
    } else if (
      peer.state === 'ready' &&
      peer.pingNonce === undefined &&
      now - peer.pingSentAt >= options.intervalMs
    ) {
      peer.pingNonce = BigInt(Math.floor(options.random() * 2 ** 53));
      peer.pingSentAt = now;
      peer.send({ type: 'ping', nonce: peer.pingNonce });
    }
  }
}

/** A `pong`: the answer to our outstanding ping gives the round-trip time. */
export function receivePong(peer: Peer, nonce: bigint, now: number): void {
  if (nonce !== peer.pingNonce) return;
  peer.rttMs = now - peer.pingSentAt;
  peer.lastPongAt = now;
  peer.pingNonce = undefined;
}
