/**
 * The one place where a rejection becomes a penalty (docs/protocol.md, "Misbehaviour"): the
 * refusal is reported, its score (from core's category) is added to the peer's misbehaviour,
 * and at 100 the peer is sent a final `reject` with `banned: …`, banned for `banMs` and closed.
 * Also decides whether a new link may become a peer at all.
 */
import { MAX_REJECT_TEXT_BYTES, clampUtf8, hexToHash, type Rejection } from '../../core/index.js';
import { ORIGIN_LINKS_PER_MINUTE, type OriginThrottle } from './admission.js';
import type { Ban, BanList } from './bans.js';
import type { Link } from './link.js';
import { LOCAL, type RefusedEvent } from './p2p-types.js';
import type { Peer } from './peer.js';

/** Misbehaviour score at which a peer is banned. */
export const BAN_SCORE = 100;

export interface MisbehaviourHost {
  readonly bans: BanList;
  readonly throttle: OriginThrottle;
  readonly banMs: number;
  now(): number;
  refused(event: RefusedEvent): void;
  banned(ban: Ban): void;
}

/** Penalise `peer` for `rejection`; ban (and close) it once its score reaches BAN_SCORE. */
export function penalise(
  host: MisbehaviourHost,
  peer: Peer,
  rejection: Rejection,
  kind: RefusedEvent['kind'],
  id?: string,
): void {
  host.refused({
    kind,
    id,
    reason: rejection.reason,
    message: rejection.message,
    from: peer.id,
    score: rejection.score,
  });
  if (rejection.score <= 0) return;
  peer.misbehaviour += rejection.score;
  if (peer.misbehaviour < BAN_SCORE) return;
  const ban = host.bans.add(
    peer.id,
    host.now() + host.banMs,
    `${rejection.reason}: ${rejection.message}`,
    peer.origin,
  );
  peer.send({
    type: 'reject',
    message: kind,
    reason: rejection.reason,
    hash: id ? hexToHash(id) : new Uint8Array(32),
    detail: clampUtf8(`banned: ${rejection.message}`, MAX_REJECT_TEXT_BYTES),
  });
  host.banned(ban);
  peer.close(`banned: ${rejection.reason}`);
}

/**
 * Why a link from `remoteId` (whose signals the tracker tagged with `origin`) may not become a
 * peer, or undefined when it may. `admit` spends the origin's token (the link is being added);
 * without it this only asks (the mesh, before it answers an offer).
 */
export function linkRefusal(
  host: MisbehaviourHost,
  remoteId: string,
  self: { nodeId: string; peers: ReadonlyMap<string, unknown>; maxPeers: number },
  origin: string | undefined,
  admit: boolean,
): string | undefined {
  const now = host.now();
  const ban = host.bans.get(remoteId, now);
  if (ban) return `banned until ${new Date(ban.until).toISOString()}: ${ban.reason}`;
  if (self.peers.has(remoteId)) return 'already connected';
  if (remoteId === self.nodeId) return 'that is this node';
  if (remoteId === LOCAL) return `the node id "${LOCAL}" is reserved for this node's own blocks`;
  if (self.peers.size >= self.maxPeers) return 'too many peers';
  if (origin !== undefined) {
    const banned = host.bans.originBanned(origin, now);
    if (!host.throttle.admits(origin, banned, now, admit)) return ORIGIN_THROTTLED;
  }
  return undefined;
}

/** The refusal of a link from an origin whose peer is banned, past its budget. */
export const ORIGIN_THROTTLED = 'origin-throttled';

/** Admit `link` (spending its origin's token), or close it with the reason and return false. */
export function admitLink(
  host: MisbehaviourHost,
  link: Link,
  self: { nodeId: string; peers: ReadonlyMap<string, unknown>; maxPeers: number },
  origin: string | undefined,
): boolean {
  const refuse = linkRefusal(host, link.remoteId, self, origin, true);
  if (!refuse) return true;
  if (refuse === ORIGIN_THROTTLED) reportThrottled(host, link.remoteId);
  link.close(refuse);
  return false;
}

/** Report a link refused because its origin is over its budget. */
export function reportThrottled(host: MisbehaviourHost, remoteId: string): void {
  host.refused({
    kind: 'link',
    reason: ORIGIN_THROTTLED,
    message: `a peer from this origin is banned: at most ${ORIGIN_LINKS_PER_MINUTE} new links a minute`,
    from: remoteId,
    score: 0,
  });
}
