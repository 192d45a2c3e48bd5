/**
 * Hashes per second of one thread for the mining kernels and the baseline they are measured
 * against: plain `@noble/hashes` `sha256(sha256(header))`, a fresh nonce each time. Shared by
 * the Node benchmark (tests/bench/mining-bench.ts) and the page's worker (kernel-bench-worker.ts).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { createMiningKernel, encodeHeader, REGTEST, type KernelKind } from '../../core/index.js';

export type BenchSubject = 'noble' | KernelKind;

export interface KernelRate {
  subject: BenchSubject;
  hashes: number;
  seconds: number;
  /** Hashes per second. */
  rate: number;
}

const WARM_UP_SECONDS = 0.3;

/** A fixed header (regtest genesis, later time) so runs are comparable. */
export function benchHeader(): Uint8Array {
  return encodeHeader({ ...REGTEST.genesis.header, time: REGTEST.genesis.header.time + 600 });
}

/**
 * Run `hash(from, count)` over consecutive nonces in batches until `seconds` have passed, after
 * a warm-up that lets the engine optimise the code. `now` is in milliseconds.
 */
function timeLoop(
  hash: (from: number, count: number) => void,
  seconds: number,
  now: () => number,
): { hashes: number; seconds: number } {
  let nonce = 0;
  let batch = 1 << 10;
  const run = (limitMs: number): number => {
    const start = now();
    let hashes = 0;
    while (now() - start < limitMs) {
      if (nonce + batch > 2 ** 32) nonce = 0;
      hash(nonce, batch);
      nonce += batch;
      hashes += batch;
      const elapsed = now() - start;
      if (elapsed < 20) batch *= 2; // keep clock reads rare relative to the work
    }
    return hashes;
  };
  run(WARM_UP_SECONDS * 1000);
  const start = now();
  const hashes = run(seconds * 1000);
  return { hashes, seconds: (now() - start) / 1000 };
}

export function measureNoble(seconds: number, now: () => number): KernelRate {
  const header = benchHeader();
  const view = new DataView(header.buffer, header.byteOffset, header.length);
  const result = timeLoop(
    (from, count) => {
      for (let n = from; n < from + count; n++) {
        view.setUint32(76, n >>> 0, true);
        sha256(sha256(header));
      }
    },
    seconds,
    now,
  );
  return { subject: 'noble', ...result, rate: result.hashes / result.seconds };
}

export function measureKernel(kind: KernelKind, seconds: number, now: () => number): KernelRate {
  // Target 1: no nonce wins, so every nonce in the batch is hashed.
  const kernel = createMiningKernel(benchHeader(), 1n, kind);
  const result = timeLoop((from, count) => kernel.scan(from, from + count), seconds, now);
  return { subject: kind, ...result, rate: result.hashes / result.seconds };
}

/** The baseline, then the JavaScript and WebAssembly kernels (when available). */
export function measureAll(
  seconds: number,
  now: () => number,
  kinds: KernelKind[] = ['js', 'wasm-simd'],
): KernelRate[] {
  return [measureNoble(seconds, now), ...kinds.map((kind) => measureKernel(kind, seconds, now))];
}
