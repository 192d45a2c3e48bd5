/**
 * Identity has a cost (docs/protocol.md, "Identity"): a node id is whatever its owner picks, so a
 * ban on the id alone is evaded by rejoining under a new one. The tracker tags every signal it
 * relays with an opaque `origin` (a keyed hash of the sender's network address); a ban records
 * the banned peer's origin, and while a ban on an origin is in force, new links from that origin
 * are admitted at most ORIGIN_LINKS_BURST at once and ORIGIN_LINKS_PER_MINUTE a minute. Origins
 * without a ban are never throttled, so a classroom of tabs on one machine joins at full speed.
 */
import { TokenBucket } from './token-bucket.js';

/** New links a node admits per minute from an origin it has banned a peer of. */
export const ORIGIN_LINKS_PER_MINUTE = 3;
/** ...and at once. */
export const ORIGIN_LINKS_BURST = 3;

export class OriginThrottle {
  /** Origin -> its token bucket; only origins with a ban in force have one. */
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perMinute = ORIGIN_LINKS_PER_MINUTE,
    private readonly burst = ORIGIN_LINKS_BURST,
  ) {}

  /**
   * Whether a link from a `banned` origin may be admitted now; `take` spends the token. Without
   * a ban in force the answer is always yes and the origin's bucket is forgotten.
   */
  admits(origin: string, banned: boolean, now: number, take: boolean): boolean {
    if (!banned) {
      this.buckets.delete(origin);
      return true;
    }
    let bucket = this.buckets.get(origin);
    if (!bucket) {
      bucket = new TokenBucket(this.perMinute / 60, this.burst, now);
      this.buckets.set(origin, bucket);
    }
    return take ? bucket.take(now) : bucket.has(now);
  }
}
