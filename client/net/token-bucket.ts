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
   * Tokens for the time since the last call. A clock that stepped back (a wall clock resynced)
   * refills nothing and counts on from its new reading: it never drains tokens, nor freezes the
   * bucket until the clock is back where it was.
   */
  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.perSecond);
    this.last = now;
  }

  /** True when a token is available now (nothing is spent). */
  has(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  /** Spend one token; false when the bucket is empty (the event should be dropped). */
  take(now: number): boolean {
    if (!this.has(now)) return false;
    this.tokens -= 1;
    return true;
  }
}
