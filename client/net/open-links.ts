/**
 * What the mesh keeps about a link after its attempt ended and the link opened: its route
 * (direct or relayed through TURN), read again while ICE settles, and the ICE candidates of its
 * attempt that trickle in after it opened. Both end when the link closes; both are bounded per
 * link (ROUTE_RECHECK_MS, LATE_CANDIDATE_MS and MAX_LATE_CANDIDATES).
 */
import type { LinkRoute, PeerConnection } from './link-attempt.js';
import type { Link } from './link.js';
import type { MeshTimers } from './mesh-types.js';
import type { Introducer } from './signaling.js';

/**
 * A new link's route is read as it opens and again this long after (ms): ICE may open on one
 * pair and move to a better one a moment later (a TURN pair can succeed before a host pair
 * whose mDNS name is still resolving), and a remote candidate first learned from a check is
 * peer-reflexive until the peer's trickled candidate says it is a relay.
 */
export const ROUTE_RECHECK_MS = [1_000, 3_000, 10_000, 30_000] as const;
/**
 * ICE candidates that come after a link opened still reach its connection (a TURN relay's
 * allocation can finish after a check from it opened the link): for this long after it
 * opened, at most MAX_LATE_CANDIDATES of them, over the attempt's own source and origin.
 */
export const LATE_CANDIDATE_MS = 30_000;
export const MAX_LATE_CANDIDATES = 16;

export interface OpenLinksHost {
  timers: MeshTimers;
  /** Whether `link` is still the open link to `remoteId`. */
  isCurrent(remoteId: string, link: Link): boolean;
  /** The route of the link to `peer` is known for the first time, or changed. */
  routeChanged(peer: string, route: LinkRoute): void;
}

/** An open link's connection, still taking the late candidates of its attempt. */
interface LateCandidates {
  connection: PeerConnection;
  link: Link;
  via: Introducer;
  origin?: string;
  left: number;
}

export class OpenLinks {
  private readonly routes = new Map<string, LinkRoute>();
  private readonly late = new Map<string, LateCandidates>();

  constructor(private readonly host: OpenLinksHost) {}

  /** The link to `remoteId` opened on `connection`, whose signals came over `via` (`origin`). */
  opened(
    remoteId: string,
    connection: PeerConnection,
    link: Link,
    via: Introducer,
    origin: string | undefined,
  ): void {
    const late = { connection, link, via, origin, left: MAX_LATE_CANDIDATES };
    this.late.set(remoteId, late);
    this.host.timers.setTimeout(() => {
      if (this.late.get(remoteId) === late) this.late.delete(remoteId);
    }, LATE_CANDIDATE_MS);
    this.watchRoute(remoteId, connection, link);
  }

  /** The link to `remoteId` closed; true if its route was known (the status changed). */
  closed(remoteId: string): boolean {
    this.late.delete(remoteId);
    return this.routes.delete(remoteId);
  }

  /** The routes known, one per open link. */
  list(): { peer: string; route: LinkRoute }[] {
    return [...this.routes].map(([peer, route]) => ({ peer, route }));
  }

  /**
   * A signal from `from` with no attempt under way: a candidate for its open link goes to the
   * link's connection; anything else, or from another source or origin, or too late or too
   * many, is dropped (a stray for an attempt we gave up).
   */
  lateSignal(from: string, data: unknown, origin: string | undefined, via: Introducer): void {
    const open = this.late.get(from);
    if (!open || open.via !== via || (open.origin && open.origin !== origin)) return;
    if ((data as { type?: unknown } | null | undefined)?.type !== 'candidate') return;
    if (!this.host.isCurrent(from, open.link)) return void this.late.delete(from);
    if (--open.left <= 0) this.late.delete(from);
    open.connection.signal(data);
  }

  /** Read the route now and at ROUTE_RECHECK_MS; say so when it is new or changed. */
  private watchRoute(remoteId: string, connection: PeerConnection, link: Link): void {
    const read = connection.route?.bind(connection);
    if (!read) return;
    const check = () => {
      if (!this.host.isCurrent(remoteId, link)) return;
      void read().then((route) => {
        if (!route || !this.host.isCurrent(remoteId, link)) return;
        if (this.routes.get(remoteId) === route) return;
        this.routes.set(remoteId, route);
        this.host.routeChanged(remoteId, route);
      });
    };
    check();
    for (const ms of ROUTE_RECHECK_MS) this.host.timers.setTimeout(check, ms);
  }
}
