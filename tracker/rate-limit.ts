/** A token bucket: `burst` events at once, refilled at `perSecond`. Time is passed in (ms). */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /**
   * Tokens for the time since the last call. A clock that stepped back refills nothing: it never
   * drains tokens (client/net/token-bucket.ts does the same; lint keeps tracker/ and client/
   * from sharing a file).
   */
  private refilled(now: number): number {
    const elapsed = Math.max(0, now - this.last);
    return Math.min(this.burst, this.tokens + (elapsed / 1000) * this.perSecond);
  }

  /** True when the bucket has refilled to its burst (it holds no information about the past). */
  full(now: number): boolean {
    return this.refilled(now) >= this.burst;
  }

  /** Take one token; false when the bucket is empty (the event should be dropped). */
  take(now: number): boolean {
    this.tokens = this.refilled(now);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
