/**
 * `bench.html?run=verify&count=1000`: signature verification rates in this browser, for
 * tests/bench/verify-bench.ts and for people: @noble/curves (core's verifier) and libsecp256k1
 * (WASM) on the main thread, then the verification pool (client/verify/) with one worker per
 * core, with each verifier. Same valid signatures for all; the result is also left in
 * `window.tabcoinVerifyBench`.
 */
import {
  publicKeyOf,
  sha256,
  signMessage,
  verifySignature,
  type SignatureCheck,
} from '../../core/index.js';
import { createBrowserVerifyWorker } from '../verify/browser-verify-worker.js';
import { VerifyPool, verifyWorkerCount } from '../verify/verify-pool.js';
import type { VerifierChoice } from '../verify/verify-messages.js';

export interface VerifyBenchResult {
  done: true;
  cores: number;
  count: number;
  rounds: number;
  /** Verifications per second on the main thread (best round). */
  single: { noble: number; libsecp256k1: number };
  /** Verifications per second of a pool of one worker: one thread, messages included. */
  worker: { noble: number; libsecp256k1: number };
  /** Verifications per second of the pool, all workers together. */
  pool: { workers: number; noble: number; libsecp256k1: number; verifier: string };
}

declare global {
  interface Window {
    tabcoinVerifyBench?: VerifyBenchResult;
  }
}

function checks(count: number): SignatureCheck[] {
  return Array.from({ length: count }, (_, i) => {
    const secret = sha256(new TextEncoder().encode(`bench key ${i}`));
    const message = sha256(secret);
    return {
      signature: signMessage(message, secret, new Uint8Array(32)),
      message,
      publicKey: publicKeyOf(secret),
    };
  });
}

type Verify = typeof verifySignature;

function rateOf(samples: readonly SignatureCheck[], verify: Verify): number {
  const start = performance.now();
  for (const c of samples) {
    if (!verify(c.signature, c.message, c.publicKey)) throw new Error('a bench signature failed');
  }
  return samples.length / ((performance.now() - start) / 1000);
}

async function poolRate(pool: VerifyPool, samples: readonly SignatureCheck[]): Promise<number> {
  const start = performance.now();
  const valid = await pool.verify(samples);
  const rate = samples.length / ((performance.now() - start) / 1000);
  if (valid.some((v) => v !== 1)) throw new Error('the pool refused a bench signature');
  return rate;
}

async function startPool(workers: number, verifier: VerifierChoice): Promise<VerifyPool> {
  const pool = await VerifyPool.start(createBrowserVerifyWorker, workers, verifier);
  if (!pool) throw new Error('verification workers did not start');
  return pool;
}

/**
 * Best of `rounds` per subject, subjects interleaved round by round (load from elsewhere on the
 * machine weighs on all alike; WebAssembly tiers up from its baseline compiler meanwhile).
 */
export async function runVerifyBench(output: HTMLElement, search: URLSearchParams): Promise<void> {
  const count = Number(search.get('count') ?? 1000);
  const rounds = Number(search.get('rounds') ?? 3);
  const cores = navigator.hardwareConcurrency || 1;
  output.textContent = `Signing ${count} messages…`;
  const samples = checks(count);
  const { verifyFast } = await import('../verify/fast-verifier.js');
  const workers = verifyWorkerCount(cores);
  const pools = {
    noble1: await startPool(1, 'noble'),
    fast1: await startPool(1, 'fastest'),
    nobleN: await startPool(workers, 'noble'),
    fastN: await startPool(workers, 'fastest'),
  };
  const best = { noble: 0, fast: 0, noble1: 0, fast1: 0, nobleN: 0, fastN: 0 };
  try {
    for (const pool of Object.values(pools)) await pool.verify(samples.slice(0, 64 * workers));
    for (let round = 1; round <= rounds; round++) {
      output.textContent = `Round ${round} of ${rounds}…`;
      best.noble = Math.max(best.noble, rateOf(samples, verifySignature));
      best.fast = Math.max(best.fast, rateOf(samples, verifyFast));
      for (const key of ['noble1', 'fast1', 'nobleN', 'fastN'] as const) {
        best[key] = Math.max(best[key], await poolRate(pools[key], samples));
      }
    }
  } finally {
    for (const pool of Object.values(pools)) pool.close();
  }
  const result: VerifyBenchResult = {
    done: true,
    cores,
    count,
    rounds,
    single: { noble: best.noble, libsecp256k1: best.fast },
    worker: { noble: best.noble1, libsecp256k1: best.fast1 },
    pool: {
      workers,
      noble: best.nobleN,
      libsecp256k1: best.fastN,
      verifier: pools.fastN.verifier,
    },
  };
  window.tabcoinVerifyBench = result;
  output.textContent = JSON.stringify(result, null, 2);
}
