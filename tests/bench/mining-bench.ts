/**
 * Mining benchmarks (figures, not pass/fail), `npm run bench`: hashes per second of one thread
 * for plain @noble/hashes `sha256(sha256(header))` (the baseline), our JavaScript kernel and
 * our WebAssembly SIMD kernel, each with its ratio to the baseline from the same run; first in
 * Node, then in a Web Worker of headless Chromium (the client built with Vite into a temporary
 * directory and served by a tiny static server). Then the whole path (controller and workers)
 * with 1 and 2 workers, in Node. Every measurement is bounded (`seconds` each).
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { bestKernelKind, type BlockTemplate } from '../../core/index.js';
import { measureAll, type KernelRate } from '../../client/bench/measure-kernels.js';
import { MiningController } from '../../client/mining/mining-controller.js';
import { createNodeMiningWorker } from '../../client/mining/node-worker.js';
import { openNode, testKey } from '../helpers/regtest.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';

const LABELS: Record<string, string> = {
  noble: '@noble/hashes sha256(sha256(header)) (baseline)',
  js: 'JavaScript kernel (unrolled, midstate)',
  'wasm-simd': 'WebAssembly SIMD kernel (4 lanes)',
};

function printRates(where: string, rates: KernelRate[]): void {
  const baseline = rates.find((r) => r.subject === 'noble')!.rate;
  console.log(`mining kernels, one thread, ${where}:`);
  for (const r of rates) {
    const ratio = r.subject === 'noble' ? '' : `  ${(r.rate / baseline).toFixed(1)}x baseline`;
    const rate = `${(r.rate / 1e6).toFixed(2)} M hashes/s`;
    console.log(`  ${LABELS[r.subject]!.padEnd(48)} ${rate.padStart(16)}${ratio}`);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Serve `root` on an ephemeral port of 127.0.0.1. */
export async function serveStatic(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

async function benchChromium(seconds: number): Promise<void> {
  const executablePath = CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    console.log(`mining kernels in Chromium: skipped (no browser at ${executablePath})`);
    return;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'tabcoin-bench-'));
  try {
    await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const { server, origin } = await serveStatic(outDir);
    const browser = await chromium.launch({
      executablePath,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${origin}/bench.html?run=kernels&seconds=${seconds}`);
      await page.waitForFunction(() => window.tabcoinBench?.done, undefined, {
        timeout: (seconds * 3 + 30) * 1000,
      });
      const result = await page.evaluate(() => window.tabcoinBench!);
      const version = browser.version();
      printRates(`headless Chromium ${version}, Web Worker`, result.rates);
      if (result.wasmUnavailable) console.log(`  (WebAssembly SIMD: ${result.wasmUnavailable})`);
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Hashes per second of the controller with `workers` Node worker threads, over `seconds`. */
async function benchController(workers: number, seconds: number): Promise<number> {
  const { node } = await openNode();
  // A target no nonce will meet, so the workers hash without pause for the whole run.
  const unsolvable = {
    template: async (
      payTo: Uint8Array,
      now: number,
      extraNonce: number,
    ): Promise<BlockTemplate> => {
      const t = await node.template(payTo, now, extraNonce);
      return { ...t, block: { ...t.block, header: { ...t.block.header, bits: 0x03000001 } } };
    },
    processBlock: node.processBlock.bind(node),
  };
  const controller = new MiningController({
    node: unsolvable,
    payTo: testKey(1).pubkey,
    createWorker: createNodeMiningWorker,
    workers,
    maxWorkers: workers,
  });
  await controller.start();
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // workers start and warm up
  const start = controller.status().hashes;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const rate = ((controller.status().hashes - start) * 1000) / (performance.now() - started);
  controller.stop();
  return rate;
}

export async function benchMining(seconds = 3): Promise<void> {
  printRates(
    `Node ${process.version} (best here: ${bestKernelKind()})`,
    measureAll(seconds, () => performance.now()),
  );
  await benchChromium(seconds);
  const one = await benchController(1, seconds);
  const two = await benchController(2, seconds);
  console.log('mining controller with Node worker threads (web-worker), all workers together:');
  console.log(`  1 worker  ${(one / 1e6).toFixed(2)} M hashes/s`);
  console.log(`  2 workers ${(two / 1e6).toFixed(2)} M hashes/s`);
}
