/**
 * core/mine-*.ts: both mining kernels (generated JavaScript, WebAssembly SIMD) and `mineRange`
 * against node:crypto, including that the nonce returned is the FIRST one meeting the target.
 * Seeded (fast-check `seed`), so every run checks the same headers and targets.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bitsToTarget, encodeHeader, fromHex, MAIN, REGTEST } from '../../../core/index.js';
import {
  bestKernelKind,
  createMiningKernel,
  mineRange,
  type KernelKind,
} from '../../../core/index.js';

const KINDS: KernelKind[] = ['js', 'wasm-simd'];
const TWO_256 = 1n << 256n;

/** Bitcoin's genesis header (nonce 2083236893, bits 0x1d00ffff). */
const BTC_GENESIS = fromHex(
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c',
);

function hashNumber(header: Uint8Array, nonce: number): bigint {
  const h = Buffer.from(header);
  h.writeUInt32LE(nonce, 76);
  const hash = createHash('sha256').update(createHash('sha256').update(h).digest()).digest();
  return BigInt(`0x${Buffer.from(hash).reverse().toString('hex')}`);
}

/** The first nonce in [from, to) meeting `target`, by brute force with node:crypto. */
function firstByBruteForce(header: Uint8Array, target: bigint, from: number, to: number): number {
  if (target <= 0n) return -1;
  for (let n = from; n < to; n++) if (hashNumber(header, n) <= target) return n;
  return -1;
}

const header80 = fc.uint8Array({ minLength: 80, maxLength: 80 });
/** Targets from "every hash" down to ~1 hash in 256, and some that no hash can meet. */
const easyTarget = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.bigInt({ min: 0n, max: TWO_256 - 1n }), fc.nat(8)) },
  { weight: 1, arbitrary: fc.constant<[bigint, number]>([0n, 0]) },
  { weight: 1, arbitrary: fc.constant<[bigint, number]>([TWO_256 + 5n, 0]) },
);
/** Ranges of up to 64 nonces anywhere, including the very end of the nonce space. */
const range = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 64 }), fc.nat(64)),
  fc.tuple(fc.integer({ min: 2 ** 32 - 64, max: 2 ** 32 }), fc.constant(-1)),
);

describe.each(KINDS)('%s kernel', (kind) => {
  it('returns the first nonce whose hash meets the target, on 1,000 random headers', () => {
    fc.assert(
      fc.property(header80, easyTarget, range, (header, [raw, shift], [from, length]) => {
        const target = raw >> BigInt(shift);
        const to = length < 0 ? 2 ** 32 : from + length;
        const expected = firstByBruteForce(header, target, from, to);
        expect(createMiningKernel(header, target, kind).scan(from, to)).toBe(expected);
      }),
      { seed: 20261121, numRuns: 1000 },
    );
  });

  it('accepts a hash exactly equal to the target and refuses it one below (every lane)', () => {
    fc.assert(
      fc.property(header80, fc.integer({ min: 0, max: 2 ** 32 - 8 }), fc.nat(7), (h, from, k) => {
        const nonce = from + k;
        const exact = hashNumber(h, nonce);
        const below = exact - 1n;
        const kernelAt = (target: bigint) => createMiningKernel(h, target, kind);
        // No other nonce in the window may meet these (near-impossible, but checked).
        expect(kernelAt(exact).scan(from, from + 8)).toBe(
          firstByBruteForce(h, exact, from, from + 8),
        );
        expect(kernelAt(exact).scan(nonce, nonce + 1)).toBe(nonce);
        expect(kernelAt(below).scan(nonce, nonce + 1)).toBe(-1);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('finds the nonces of real proof-of-work headers (Bitcoin and Tabcoin genesis blocks)', () => {
    const btcTarget = bitsToTarget(0x1d00ffff);
    const btc = createMiningKernel(BTC_GENESIS, btcTarget, kind);
    expect(btc.scan(2083236893 - 200_000, 2083236893 + 10)).toBe(
      firstByBruteForce(BTC_GENESIS, btcTarget, 2083236893 - 200_000, 2083236893 + 10),
    );
    expect(btc.scan(2083236893 - 200_000, 2083236893)).toBe(-1);
    // tools/mine-genesis.ts searched from nonce 0, so 17964323 is the first that meets it: no
    // nonce in the 300,000 below it does either.
    const main = encodeHeader(MAIN.genesis.header);
    const mainTarget = bitsToTarget(MAIN.genesis.header.bits);
    const kernel = createMiningKernel(main, mainTarget, kind);
    expect(kernel.scan(17_964_323 - 300_000, 17_964_323 + 10)).toBe(17_964_323);
    expect(MAIN.genesis.header.nonce).toBe(17_964_323);
  });

  it('scans a large range without a hit and reports -1', () => {
    const header = encodeHeader(REGTEST.genesis.header);
    expect(createMiningKernel(header, 1n, kind).scan(0, 300_000)).toBe(-1);
  });

  it('refuses bad arguments with errors naming them', () => {
    const kernel = createMiningKernel(new Uint8Array(80), 1n, kind);
    expect(() => kernel.scan(5, 4)).toThrow(RangeError);
    expect(() => kernel.scan(-1, 4)).toThrow(RangeError);
    expect(() => kernel.scan(0, 2 ** 32 + 1)).toThrow(/2\^32/);
    expect(() => kernel.scan(0.5, 4)).toThrow(RangeError);
    expect(() => createMiningKernel(new Uint8Array(79), 1n, kind)).toThrow(/header/);
  });
});

describe('mineRange', () => {
  it('uses the WebAssembly SIMD kernel in Node', () => {
    expect(bestKernelKind()).toBe('wasm-simd');
    expect(createMiningKernel(new Uint8Array(80), 1n).kind).toBe('wasm-simd');
  });

  it('agrees with brute force and ignores the nonce already in the header', () => {
    fc.assert(
      fc.property(header80, easyTarget, range, (header, [raw, shift], [from, length]) => {
        const target = raw >> BigInt(shift);
        const to = length < 0 ? 2 ** 32 : from + length;
        expect(mineRange(header, target, from, to)).toBe(
          firstByBruteForce(header, target, from, to),
        );
      }),
      { seed: 99, numRuns: 200 },
    );
  });

  it('mines the regtest genesis block at nonce 0 and Bitcoin genesis where Satoshi did', () => {
    const regtest = encodeHeader(REGTEST.genesis.header);
    expect(mineRange(regtest, bitsToTarget(REGTEST.genesis.header.bits), 0, 2 ** 32)).toBe(0);
    expect(mineRange(BTC_GENESIS, bitsToTarget(0x1d00ffff), 2083000000, 2083300000)).toBe(
      2083236893,
    );
  });

  it('returns -1 for an empty range or a target no hash can meet', () => {
    expect(mineRange(new Uint8Array(80), TWO_256, 7, 7)).toBe(-1);
    expect(mineRange(new Uint8Array(80), 0n, 0, 1000)).toBe(-1);
    expect(mineRange(new Uint8Array(80), -5n, 0, 1000)).toBe(-1);
  });

  it('checks its arguments', () => {
    expect(() => mineRange(new Uint8Array(81), 1n, 0, 1)).toThrow(RangeError);
    expect(() => mineRange(new Uint8Array(80), 1 as unknown as bigint, 0, 1)).toThrow(TypeError);
    expect(() => mineRange(new Uint8Array(80), 1n, 2, 1)).toThrow(RangeError);
  });
});

describe('falling back to the JavaScript kernel', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  async function freshCore(webAssembly: object): Promise<typeof import('../../../core/index.js')> {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', webAssembly);
    return import('../../../core/index.js');
  }

  it("when a synchronous compile is refused (Chromium's main thread, modules over 4 KB)", async () => {
    const core = await freshCore({
      validate: () => true,
      Module: class {
        constructor() {
          throw new RangeError(
            'WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 4KB.',
          );
        }
      },
    });
    expect(core.wasmKernelUnavailable()).toMatch(/main thread/);
    expect(core.bestKernelKind()).toBe('js');
    const header = encodeHeader(REGTEST.genesis.header);
    const target = bitsToTarget(0x2000ffff);
    expect(core.createMiningKernel(header, target).kind).toBe('js');
    expect(core.mineRange(header, target, 0, 5000)).toBe(
      firstByBruteForce(header, target, 0, 5000),
    );
  });

  it('when WebAssembly has no SIMD, or no WebAssembly at all', async () => {
    let core = await freshCore({ validate: () => false });
    expect(core.wasmKernelUnavailable()).toBe('no WebAssembly SIMD');
    expect(core.createMiningKernel(new Uint8Array(80), 1n).kind).toBe('js');
    core = await freshCore(undefined as unknown as object);
    expect(core.wasmKernelUnavailable()).toBe('no WebAssembly');
    expect(() => core.createWasmKernel(new Uint8Array(80), 1n)).toThrow(/unavailable/);
  });
});
