/** core/consensus/difficulty.ts: compact bits (Bitcoin Core cases), chainwork and the LWMA retarget. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bitsToTarget,
  nextBitsLwma,
  targetToBits,
  workFromBits,
  workFromTarget,
  type RetargetParams,
  type TimedBits,
} from '../../../core/consensus/difficulty.js';
import { MAIN, MAIN_GENESIS_BITS } from '../../../core/consensus/params.js';

const TWO_256 = 1n << 256n;
const hex64 = (n: bigint) => n.toString(16).padStart(64, '0');

describe('bitsToTarget / targetToBits: known Bitcoin compact values', () => {
  const known: [number, string][] = [
    // Bitcoin's powLimit / genesis bits (difficulty 1).
    [0x1d00ffff, '00000000ffff0000000000000000000000000000000000000000000000000000'],
    // The Bitcoin wiki's "Difficulty" example.
    [0x1b0404cb, '00000000000404cb000000000000000000000000000000000000000000000000'],
    // Bitcoin's regtest powLimit (also ours).
    [0x207fffff, '7fffff0000000000000000000000000000000000000000000000000000000000'],
    // Block 100000 and block 840000.
    [0x1b04864c, '000000000004864c000000000000000000000000000000000000000000000000'],
    [0x17034219, '0000000000000000000342190000000000000000000000000000000000000000'],
  ];

  it.each(known)('0x%s decodes to the known target and encodes back', (bits, target) => {
    expect(hex64(bitsToTarget(bits))).toBe(target);
    expect(targetToBits(BigInt('0x' + target))).toBe(bits);
  });
});

describe("Bitcoin Core's SetCompact / GetCompact cases (arith_uint256_tests.cpp)", () => {
  // [compact, target Core decodes, GetCompact of that target]
  const positive: [number, string, number][] = [
    [0, '0', 0],
    [0x00123456, '0', 0],
    [0x01003456, '0', 0],
    [0x02000056, '0', 0],
    [0x03000000, '0', 0],
    [0x04000000, '0', 0],
    [0x01123456, '12', 0x01120000],
    [0x02123456, '1234', 0x02123400],
    [0x03123456, '123456', 0x03123456],
    [0x04123456, '12345600', 0x04123456],
    [0x05009234, '92340000', 0x05009234],
    [0x20123456, '1234560000000000000000000000000000000000000000000000000000000000', 0x20123456],
  ];

  it.each(positive)('SetCompact(0x%s) = 0x%s, GetCompact = 0x%s', (bits, target, compact) => {
    expect(bitsToTarget(bits)).toBe(BigInt('0x' + target));
    expect(targetToBits(BigInt('0x' + target))).toBe(compact);
  });

  // Core reports fNegative for these (or a zero word with the sign bit); they decode to 0n.
  it.each([0x00923456, 0x01803456, 0x02800056, 0x03800000, 0x04800000, 0x01fedcba, 0x04923456])(
    'negative encoding 0x%s decodes to 0n',
    (bits) => expect(bitsToTarget(bits)).toBe(0n),
  );

  it('overflowing encodings decode to 0n (0xff123456 and the boundaries of fOverflow)', () => {
    expect(bitsToTarget(0xff123456)).toBe(0n);
    // nSize > 34 with any word, nSize > 33 with word > 0xff, nSize > 32 with word > 0xffff.
    expect(bitsToTarget(0x23000001)).toBe(0n);
    expect(bitsToTarget(0x22000100)).toBe(0n);
    expect(bitsToTarget(0x21010000)).toBe(0n);
    expect(bitsToTarget(0x22000101)).toBe(0n); // not just the low 256 bits (2^248)
    expect(bitsToTarget(0x21123456)).toBe(0n);
    // ...while the largest non-overflowing forms decode to their value.
    expect(bitsToTarget(0x220000ff)).toBe(0xffn << 248n);
    expect(bitsToTarget(0x2100ffff)).toBe(0xffffn << 240n);
    expect(bitsToTarget(0x207fffff)).toBe(0x7fffffn << 232n);
  });

  it('never produces a compact with the sign bit set (0x80 -> 0x02008000)', () => {
    expect(targetToBits(0x80n)).toBe(0x02008000);
    expect(targetToBits(0x7en)).toBe(0x017e0000); // 0x01fedcba's magnitude, without the sign
    expect(targetToBits(0x12345600n)).toBe(0x04123456); // 0x04923456's magnitude
  });
});

describe('compact encoding properties', () => {
  const targetArb = fc.bigInt({ min: 1n, max: TWO_256 - 1n });

  it('truncates a target to its leading 16-24 bits, never rounding up', () => {
    fc.assert(
      fc.property(targetArb, (t) => {
        const bits = targetToBits(t);
        const back = bitsToTarget(bits);
        expect(bits & 0x00800000).toBe(0);
        expect(back <= t).toBe(true);
        expect((t - back) * 32768n < t).toBe(true);
        expect(targetToBits(back)).toBe(bits);
      }),
    );
  });

  it('is exact for targets below 2^16', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0xffffn }), (t) => bitsToTarget(targetToBits(t)) === t),
    );
  });

  it('refuses out-of-range inputs with RangeError', () => {
    expect(() => bitsToTarget(-1)).toThrow(RangeError);
    expect(() => bitsToTarget(2 ** 32)).toThrow(RangeError);
    expect(() => bitsToTarget(1.5)).toThrow(RangeError);
    expect(() => targetToBits(-1n)).toThrow(RangeError);
    expect(() => targetToBits(TWO_256)).toThrow(RangeError);
  });
});

describe('work', () => {
  it("gives Bitcoin's genesis chainwork 0x100010001 for 0x1d00ffff", () => {
    expect(workFromBits(0x1d00ffff)).toBe(0x100010001n);
  });

  it('is 2^256 / (target + 1), and zero for invalid targets', () => {
    expect(workFromTarget(TWO_256 - 1n)).toBe(1n);
    expect(workFromTarget(0n)).toBe(0n);
    expect(workFromBits(0x01fedcba)).toBe(0n);
    expect(workFromTarget(1n)).toBe(1n << 255n);
  });

  it('grows as the target shrinks', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: TWO_256 - 2n }),
        (t) => workFromTarget(t) >= workFromTarget(t + 1n),
      ),
    );
  });
});

describe('nextBitsLwma', () => {
  const params: RetargetParams = { targetSpacing: 10, window: 30, powLimit: MAIN.powLimit };
  const START = 1_800_000_000;

  /** Parent-last history: one block at START, then one per solve time, all carrying `bits`. */
  function history(solveTimes: number[], bits = MAIN_GENESIS_BITS): TimedBits[] {
    const out: TimedBits[] = [{ time: START, bits }];
    for (const solve of solveTimes) out.push({ time: out[out.length - 1]!.time + solve, bits });
    return out;
  }
  const steady = (n: number) => Array<number>(n).fill(params.targetSpacing);
  /** New target / old target, in millionths. */
  const ratio = (next: number, bits = MAIN_GENESIS_BITS) =>
    Number((bitsToTarget(next) * 1_000_000n) / bitsToTarget(bits)) / 1e6;

  it('keeps the target exactly constant when blocks arrive on time', () => {
    expect(nextBitsLwma(history(steady(30)), params)).toBe(MAIN_GENESIS_BITS);
    expect(nextBitsLwma(history(steady(30), 0x1c0fffff), params)).toBe(0x1c0fffff);
  });

  it('stays constant over a long simulated chain of on-time blocks', () => {
    const chain = history([]);
    for (let i = 0; i < 200; i++) {
      const bits = nextBitsLwma(chain.slice(-31), params);
      chain.push({ time: chain[chain.length - 1]!.time + 10, bits });
    }
    expect(new Set(chain.map((b) => b.bits))).toEqual(new Set([MAIN_GENESIS_BITS]));
  });

  it('raises difficulty when blocks are fast (half the spacing halves the target)', () => {
    const r = ratio(nextBitsLwma(history(Array(30).fill(5)), params));
    expect(r).toBeGreaterThan(0.499);
    expect(r).toBeLessThanOrEqual(0.5);
  });

  it('lowers difficulty when blocks are slow (double the spacing doubles the target)', () => {
    const r = ratio(nextBitsLwma(history(Array(30).fill(20)), params));
    expect(r).toBeGreaterThan(1.999);
    expect(r).toBeLessThanOrEqual(2);
  });

  it('never lets the target exceed powLimit, however slow the blocks', () => {
    const chain = history([]);
    for (let i = 0; i < 60; i++) {
      const bits = nextBitsLwma(chain.slice(-31), params);
      expect(bitsToTarget(bits) <= params.powLimit).toBe(true);
      chain.push({ time: chain[chain.length - 1]!.time + 3600, bits });
    }
    expect(chain[chain.length - 1]!.bits).toBe(MAIN.powLimitBits);
    expect(nextBitsLwma(history(Array(30).fill(3600), MAIN.powLimitBits), params)).toBe(
      MAIN.powLimitBits,
    );
  });

  it('floors the weighted sum at a tenth: difficulty rises at most 10x per block', () => {
    const slowNet: RetargetParams = { ...params, targetSpacing: 60 };
    const sameTime = nextBitsLwma(history(Array(30).fill(0)), slowNet);
    const r = ratio(sameTime);
    expect(r).toBeGreaterThan(0.0999);
    expect(r).toBeLessThanOrEqual(0.1);
    // Timestamps running backwards are made monotonic (1 s each) and hit the same floor.
    expect(nextBitsLwma(history(Array(30).fill(-500)), slowNet)).toBe(sameTime);
    expect(nextBitsLwma(history(Array(30).fill(1)), slowNet)).toBe(sameTime);
  });

  it('treats a timestamp running backwards as 1 s after its predecessor', () => {
    const outOfOrder = [...steady(14), -1000, 1010, ...steady(14)];
    const monotonic = [...steady(14), 1, 9, ...steady(14)];
    expect(nextBitsLwma(history(outOfOrder), params)).toBe(
      nextBitsLwma(history(monotonic), params),
    );
  });

  it('caps each solve time at 6 spacings', () => {
    const capped = nextBitsLwma(history([...steady(29), 60]), params);
    expect(nextBitsLwma(history([...steady(29), 100_000]), params)).toBe(capped);
    expect(nextBitsLwma(history([100_000, ...steady(29)]), params)).toBe(
      nextBitsLwma(history([60, ...steady(29)]), params),
    );
    const allHuge = ratio(
      nextBitsLwma(history(Array(30).fill(86_400), 0x1c00ffff), params),
      0x1c00ffff,
    );
    expect(allHuge).toBeGreaterThan(5.999);
    expect(allHuge).toBeLessThanOrEqual(6);
  });

  it('weighs recent solve times more than old ones', () => {
    const recentFast = nextBitsLwma(history([...steady(29), 1]), params);
    const oldFast = nextBitsLwma(history([1, ...steady(29)]), params);
    expect(bitsToTarget(recentFast) < bitsToTarget(oldFast)).toBe(true);
    expect(bitsToTarget(oldFast) < bitsToTarget(MAIN_GENESIS_BITS)).toBe(true);
  });

  it('averages the targets of the window', () => {
    const chain = history(steady(30));
    const mixed = chain.map((b, i) => ({ ...b, bits: i % 2 ? 0x1d00ffff : 0x1c00ffff }));
    // 15 blocks at 0xffff<<208 and 15 at 0xffff<<200 (the first block's bits are not counted).
    const expected = ((0xffffn << 208n) * 15n + (0xffffn << 200n) * 15n) / 30n;
    expect(nextBitsLwma(mixed, params)).toBe(targetToBits(expected));
  });

  it('looks only at the last window + 1 blocks', () => {
    const recent = history([...steady(20), 3, 7, 12, 30, 9, 10, 10, 4, 15, 10]);
    const junk: TimedBits[] = Array.from({ length: 25 }, (_, i) => ({
      time: START - 5000 + i * 997,
      bits: 0x1b0404cb,
    }));
    expect(nextBitsLwma([...junk, ...recent], params)).toBe(nextBitsLwma(recent, params));
  });

  it('uses what there is early in the chain, and needs at least the parent', () => {
    expect(nextBitsLwma(history([10]), params)).toBe(MAIN_GENESIS_BITS);
    expect(nextBitsLwma(history([]), params)).toBe(MAIN_GENESIS_BITS);
    expect(ratio(nextBitsLwma(history([5, 5]), params))).toBeLessThanOrEqual(0.5);
    expect(() => nextBitsLwma([], params)).toThrow(RangeError);
  });

  it('for any timestamps stays within [avg/10, min(6 avg, powLimit)]', () => {
    const blockArb = fc.record({
      dt: fc.integer({ min: -1000, max: 5000 }),
      target: fc.bigInt({ min: 1n << 200n, max: params.powLimit }),
    });
    fc.assert(
      fc.property(fc.array(blockArb, { minLength: 2, maxLength: 40 }), (spec) => {
        let time = START;
        const recent = spec.map(({ dt, target }) => ({
          time: (time += dt),
          bits: targetToBits(target),
        }));
        // The window's blocks after its first: the oldest one only supplies a start time.
        const counted = recent
          .slice(-(params.window + 1))
          .slice(1)
          .map((b) => bitsToTarget(b.bits));
        const avg = counted.reduce((a, b) => a + b, 0n) / BigInt(counted.length);
        const next = bitsToTarget(nextBitsLwma(recent, params));
        expect(next <= params.powLimit && next <= 6n * avg).toBe(true);
        expect(next * 10n * 32768n >= (avg - 10n) * 32767n).toBe(true);
      }),
    );
  });
});
