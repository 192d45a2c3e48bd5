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
  /** Verifications per second on the main thread. */
  single: { noble: number; libsecp256k1: number };
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

async function poolRate(
  samples: readonly SignatureCheck[],
  workers: number,
  verifier: VerifierChoice,
): Promise<{ rate: number; verifier: string }> {
  const pool = await VerifyPool.start(createBrowserVerifyWorker, workers, verifier);
  if (!pool) throw new Error('verification workers did not start');
  try {
    await pool.verify(samples.slice(0, 64)); // warm up every worker's code path
    const start = performance.now();
    const valid = await pool.verify(samples);
    const rate = samples.length / ((performance.now() - start) / 1000);
    if (valid.some((v) => v !== 1)) throw new Error('the pool refused a bench signature');
    return { rate, verifier: pool.verifier };
  } finally {
    pool.close();
  }
}

export async function runVerifyBench(output: HTMLElement, search: URLSearchParams): Promise<void> {
  const count = Number(search.get('count') ?? 1000);
  const cores = navigator.hardwareConcurrency || 1;
  output.textContent = `Signing ${count} messages…`;
  const samples = checks(count);
  const { verifyFast } = await import('../verify/fast-verifier.js');
  output.textContent = 'Verifying on the main thread…';
  rateOf(samples.slice(0, 50), verifySignature);
  rateOf(samples.slice(0, 50), verifyFast);
  const single = {
    noble: rateOf(samples, verifySignature),
    libsecp256k1: rateOf(samples, verifyFast),
  };
  const workers = verifyWorkerCount(cores);
  output.textContent = `Verifying with ${workers} workers…`;
  const noble = await poolRate(samples, workers, 'noble');
  const fast = await poolRate(samples, workers, 'fastest');
  const result: VerifyBenchResult = {
    done: true,
    cores,
    count,
    single,
    pool: { workers, noble: noble.rate, libsecp256k1: fast.rate, verifier: fast.verifier },
  };
  window.tabcoinVerifyBench = result;
  output.textContent = JSON.stringify(result, null, 2);
}
