/**
 * Difficulty: Bitcoin's compact "bits" <-> 256-bit target, chainwork, and the per-block
 * retarget (LWMA-1, zawy12's linearly weighted moving average), clamped.
 */

const TWO_256 = 1n << 256n;

/**
 * Target encoded by compact `bits` (Bitcoin's SetCompact). Negative or overflowing encodings,
 * which no valid block can carry, decode to 0n. Throws `RangeError` if `bits` is not a u32.
 */
export function bitsToTarget(bits: number): bigint {
  if (!Number.isInteger(bits) || bits < 0 || bits > 0xffffffff) {
    throw new RangeError(`bits must be a u32, got ${bits}`);
  }
  const size = bits >>> 24;
  const word = BigInt(bits & 0x007fffff);
  if (word === 0n) return 0n;
  if ((bits & 0x00800000) !== 0) return 0n; // negative
  const target = size <= 3 ? word >> BigInt(8 * (3 - size)) : word << BigInt(8 * (size - 3));
  return target >= TWO_256 ? 0n : target;
}

/** Compact encoding of `target` (Bitcoin's GetCompact); loses precision below 3 bytes. */
export function targetToBits(target: bigint): number {
  if (typeof target !== 'bigint' || target < 0n || target >= TWO_256) {
    throw new RangeError('target must be a bigint in [0, 2^256)');
  }
  let size = 0;
  for (let t = target; t > 0n; t >>= 8n) size++;
  let compact =
    size <= 3 ? Number(target << BigInt(8 * (3 - size))) : Number(target >> BigInt(8 * (size - 3)));
  if (compact & 0x00800000) {
    compact >>>= 8;
    size++;
  }
  return ((size << 24) | compact) >>> 0;
}

/** Expected hashes to find a block at `target`: 2^256 / (target + 1). */
export function workFromTarget(target: bigint): bigint {
  return target <= 0n ? 0n : TWO_256 / (target + 1n);
}

export function workFromBits(bits: number): bigint {
  return workFromTarget(bitsToTarget(bits));
}

export interface RetargetParams {
  /** Seconds the network aims for between blocks. */
  targetSpacing: number;
  /** Blocks the moving average looks back over. */
  window: number;
  /** Easiest allowed target. */
  powLimit: bigint;
}

export interface TimedBits {
  time: number;
  bits: number;
}

/**
 * Bits the next block must carry, given the last `window + 1` blocks (oldest first, the new
 * block's parent last). Clamps (docs/consensus.md): each solve time is taken as at least 1 s
 * after the previous (timestamps made monotonic) and at most 6 spacings; the weighted sum is at
 * least a tenth of its expected value (so difficulty rises at most 10x per block); the target
 * never exceeds `powLimit`.
 */
export function nextBitsLwma(recent: readonly TimedBits[], params: RetargetParams): number {
  const last = recent[recent.length - 1];
  if (!last) throw new RangeError('nextBitsLwma needs at least the parent block');
  const blocks = recent.slice(-(params.window + 1));
  const n = blocks.length - 1;
  if (n < 1) return last.bits;
  const spacing = BigInt(params.targetSpacing);
  let previousTime = blocks[0]!.time;
  let weighted = 0n;
  let sumTarget = 0n;
  for (let i = 1; i <= n; i++) {
    const block = blocks[i]!;
    const time = Math.max(block.time, previousTime + 1);
    const solveTime = BigInt(Math.min(time - previousTime, 6 * params.targetSpacing));
    previousTime = time;
    weighted += solveTime * BigInt(i);
    sumTarget += bitsToTarget(block.bits);
  }
  const k = (BigInt(n * (n + 1)) * spacing) / 2n;
  if (weighted < k / 10n) weighted = k / 10n;
  let next = ((sumTarget / BigInt(n)) * weighted) / k;
  if (next > params.powLimit) next = params.powLimit;
  if (next < 1n) next = 1n;
  return targetToBits(next);
}
