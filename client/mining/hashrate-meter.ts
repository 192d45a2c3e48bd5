/**
 * Smoothed hashrate: hashes reported by the workers are summed between samples, and each
 * sample's rate moves an exponential moving average with a half-life in wall time, so the
 * figure neither jumps with every chunk nor lags for long after the worker count changes.
 *
 * @example
 * const meter = new HashrateMeter(5_000, 0);
 * meter.add(1_000_000);
 * meter.sample(1_000); // 1,000,000 H/s: the first sample is taken as it is
 */
export class HashrateMeter {
  private pending = 0;
  private smoothed = 0;
  private sampled = false;

  constructor(
    private readonly halfLifeMs: number,
    private lastSampleMs: number,
  ) {}

  /** Hashes done since the last report. */
  add(hashes: number): void {
    this.pending += hashes;
  }

  /** Close the current interval at `nowMs`; returns the smoothed rate (hashes per second). */
  sample(nowMs: number): number {
    const elapsed = nowMs - this.lastSampleMs;
    if (elapsed <= 0) return this.smoothed;
    const rate = (this.pending * 1000) / elapsed;
    const weight = this.sampled ? 1 - 2 ** (-elapsed / this.halfLifeMs) : 1;
    this.smoothed += weight * (rate - this.smoothed);
    this.sampled = true;
    this.pending = 0;
    this.lastSampleMs = nowMs;
    return this.smoothed;
  }

  /** The smoothed rate in hashes per second (0 before the first sample). */
  get rate(): number {
    return this.smoothed;
  }

  /** Start over (mining restarted) from `nowMs`. */
  reset(nowMs: number): void {
    this.pending = 0;
    this.smoothed = 0;
    this.sampled = false;
    this.lastSampleMs = nowMs;
  }
}
