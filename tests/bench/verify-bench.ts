/**
 * Signature verification benchmarks (figures, not pass/fail), `npm run bench`:
 *
 * - one thread: @noble/curves (core's verifier) and libsecp256k1 (tiny-secp256k1, WASM) on the
 *   same valid signatures; the verification pool (client/verify/) with N worker threads and
 *   each verifier, as a ratio to N × the single-thread @noble rate (target >= 0.8);
 * - cold connect of a 2,000-transaction block whose signatures were never seen: the serial
 *   connect (today), the pool then the connect, the pool with libsecp256k1 then the connect,
 *   in one run on identical nodes;
 * - the same rates in headless Chromium (bench.html?run=verify, the client built by Vite).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import {
  verifySignature,
  type Block,
  type NodeState,
  type SignatureCheck,
} from '../../core/index.js';
import { verifyFast } from '../../client/verify/fast-verifier.js';
import { createNodeVerifyWorker } from '../../client/verify/node-verify-worker.js';
import { Preverifier } from '../../client/verify/preverifier.js';
import { VerifyPool } from '../../client/verify/verify-pool.js';
import type { VerifierChoice } from '../../client/verify/verify-messages.js';
import type { VerifyBenchResult } from '../../client/bench/verify-bench-page.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';
import { NOW, alice, bob, buildBlock, nodeWithCoins, outputOf, pay } from '../helpers/regtest.js';
import { seeded } from '../helpers/seeded.js';
import { validSample } from '../helpers/sig-samples.js';
import { serveStatic } from './mining-bench.js';

const rate = (count: number, ms: number) => count / (ms / 1000);
const fmt = (perSecond: number) => `${perSecond.toFixed(0).padStart(7)} /s`;

function singleRate(samples: readonly SignatureCheck[], verify: typeof verifySignature): number {
  const start = performance.now();
  for (const c of samples) if (!verify(c.signature, c.message, c.publicKey)) throw new Error('bad');
  return rate(samples.length, performance.now() - start);
}

async function startPool(workers: number, verifier: VerifierChoice): Promise<VerifyPool> {
  const pool = await VerifyPool.start(createNodeVerifyWorker, workers, verifier);
  if (!pool) throw new Error('verification workers did not start');
  await pool.verify([]);
  return pool;
}

/** Checks per second of `pool` on `samples`. */
async function poolRate(pool: VerifyPool, samples: SignatureCheck[]): Promise<number> {
  const start = performance.now();
  const valid = await pool.verify(samples);
  const elapsed = performance.now() - start;
  if (valid.some((v) => v !== 1)) throw new Error('the pool refused a bench signature');
  return rate(samples.length, elapsed);
}

/**
 * Best of `rounds` for each subject, the subjects interleaved round by round, so that load from
 * other processes on a shared machine weighs on all of them alike.
 */
async function benchRates(count: number, workers: number, rounds = 3): Promise<void> {
  const random = seeded(42);
  const samples = Array.from({ length: count }, () => validSample(random));
  const pools = {
    noble1: await startPool(1, 'noble'),
    nobleN: await startPool(workers, 'noble'),
    fastN: await startPool(workers, 'fastest'),
  };
  const best = { noble: 0, fast: 0, noble1: 0, nobleN: 0, fastN: 0 };
  try {
    for (const pool of Object.values(pools)) await pool.verify(samples.slice(0, 64 * workers));
    for (let round = 0; round < rounds; round++) {
      best.noble = Math.max(best.noble, singleRate(samples, verifySignature));
      best.noble1 = Math.max(best.noble1, await poolRate(pools.noble1, samples));
      best.nobleN = Math.max(best.nobleN, await poolRate(pools.nobleN, samples));
      best.fast = Math.max(best.fast, singleRate(samples, verifyFast));
      best.fastN = Math.max(best.fastN, await poolRate(pools.fastN, samples));
    }
  } finally {
    for (const pool of Object.values(pools)) pool.close();
  }
  const { noble } = best;
  const x = (r: number) => `${(r / noble).toFixed(2)}x single @noble`;
  console.log(
    `signature verification, Node ${process.version}, ${count} signatures, best of ${rounds}:`,
  );
  console.log(`  one thread, @noble/curves (baseline)        ${fmt(noble)}`);
  console.log(`  one thread, libsecp256k1 (WASM)             ${fmt(best.fast)}  ${x(best.fast)}`);
  console.log(
    `  pool of 1 worker, @noble/curves             ${fmt(best.noble1)}  ${x(best.noble1)}`,
  );
  console.log(
    `  pool of ${workers} workers, @noble/curves          ${fmt(best.nobleN)}  ` +
      `${(best.nobleN / (workers * noble)).toFixed(2)} of ${workers} x single (target >= 0.8)`,
  );
  console.log(
    `  pool of ${workers} workers, ${pools.fastN.verifier.padEnd(18)}  ${fmt(best.fastN)}  ${x(best.fastN)}`,
  );
}

/** Milliseconds to connect `block` on `node`, with `pool` (if any) verifying first. */
async function connectMs(node: NodeState, block: Block, pool?: VerifyPool): Promise<number> {
  const preverifier = new Preverifier(node.chain, pool);
  const start = performance.now();
  const result = await preverifier.inOrder(block, () => node.processBlock(block, NOW));
  const elapsed = performance.now() - start;
  if (!result.ok || result.status !== 'active') throw new Error('the bench block did not connect');
  return elapsed;
}

async function benchColdConnect(txCount: number, workers: number): Promise<void> {
  const fresh = async () => {
    const { node, fanout } = await nodeWithCoins(txCount);
    const txs = Array.from({ length: txCount }, (_, i) =>
      pay(alice, [outputOf(fanout, i)], [{ amount: 99_999_000n, pubkey: bob.pubkey }], true),
    );
    return { node, block: buildBlock(node.chain.tip, { txs }) };
  };
  const nodes = [await fresh(), await fresh(), await fresh()];
  const noblePool = await startPool(workers, 'noble');
  const fastPool = await startPool(workers, 'fastest');
  try {
    const serial = await connectMs(nodes[0]!.node, nodes[0]!.block);
    const pooled = await connectMs(nodes[1]!.node, nodes[1]!.block, noblePool);
    const faster = await connectMs(nodes[2]!.node, nodes[2]!.block, fastPool);
    console.log(
      `cold connect of a ${txCount}-transaction block (signatures never seen), ${workers} workers:`,
    );
    console.log(
      `  serial connect (today)                      ${serial.toFixed(0).padStart(6)} ms`,
    );
    console.log(
      `  pool (@noble/curves), then connect          ${pooled.toFixed(0).padStart(6)} ms  ${(serial / pooled).toFixed(2)}x faster`,
    );
    console.log(
      `  pool (${fastPool.verifier}), then connect   ${faster.toFixed(0).padStart(6)} ms  ${(serial / faster).toFixed(2)}x faster (target >= 2x on 2 cores)`,
    );
  } finally {
    noblePool.close();
    fastPool.close();
  }
}

async function benchChromium(count: number): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.log(`signature verification in Chromium: skipped (no browser at ${CHROMIUM_PATH})`);
    return;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'tabcoin-verify-bench-'));
  try {
    await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const { server, origin } = await serveStatic(outDir);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`${origin}/bench.html?run=verify&count=${count}`);
      await page.waitForFunction(() => window.tabcoinVerifyBench?.done, undefined, {
        timeout: 300_000,
      });
      const r: VerifyBenchResult = await page.evaluate(() => window.tabcoinVerifyBench!);
      const base = r.worker.noble;
      const x = (v: number) => `${fmt(v)}  ${(v / base).toFixed(2)}x`;
      console.log(
        `signature verification, headless Chromium ${browser.version()}, ${r.count} signatures, ` +
          `${r.cores} cores, best of ${r.rounds}, ratios to one worker with @noble/curves:`,
      );
      console.log(`  one worker, @noble/curves (baseline)        ${fmt(base)}`);
      console.log(`  one worker, libsecp256k1 (WASM)             ${x(r.worker.libsecp256k1)}`);
      console.log(`  main thread, @noble/curves                  ${x(r.single.noble)}`);
      console.log(`  main thread, libsecp256k1 (WASM)            ${x(r.single.libsecp256k1)}`);
      console.log(
        `  pool of ${r.pool.workers} workers, @noble/curves          ${fmt(r.pool.noble)}  ` +
          `${(r.pool.noble / (r.pool.workers * base)).toFixed(2)} of ${r.pool.workers} x one worker (target >= 0.8)`,
      );
      console.log(
        `  pool of ${r.pool.workers} workers, ${r.pool.verifier.padEnd(18)}  ${x(r.pool.libsecp256k1)}`,
      );
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export async function benchVerify(count = 1_000, txCount = 2_000): Promise<void> {
  const workers = Math.min(cpus().length, 8);
  await benchRates(count, workers);
  await benchColdConnect(txCount, workers);
  await benchChromium(count);
}

if (process.argv[1]?.endsWith('verify-bench.ts')) await benchVerify();
