/**
 * The simulator's one source of randomness: xoshiro128** seeded through splitmix32, so a run
 * is a pure function of its seed. Every random choice (topology, latencies, which nodes mine,
 * when blocks are found, ping nonces) draws from one `Prng` in event order.
 */

/** A seeded pseudo-random generator (xoshiro128**, 32-bit state words). */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /**
   * @example
   * const random = new Prng(1);
   * random.next(); // the same number for seed 1, every run
   */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be a u32, got ${seed}`);
    }
    // splitmix32 spreads any seed (even 0) over the four state words.
    let x = seed >>> 0;
    const mix = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`n must be a positive integer`);
    return Math.floor(this.next() * n);
  }

  /** Exponentially distributed with `rate` events per unit (mean 1 / rate). */
  exponential(rate: number): number {
    if (!(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
    return -Math.log(1 - this.next()) / rate;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
