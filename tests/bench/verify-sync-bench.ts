/**
 * Signature throughput of a real tab's sync (headless Chromium, real IndexedDB, WebRTC and
 * tracker), `npm run bench`: two seed tabs hold a chain of 1,000 blocks × 20 signed payments
 * (20,000 signatures); a fresh tab syncs it once with `?verifiers=0` (every signature on the
 * main thread with @noble/curves, as before the worker pool) and once with its worker pool;
 * both against one worker's @noble/curves rate in the same browser (bench.html?run=verify).
 */
import { chromium, type BrowserContext } from 'playwright-core';
import {
  encodeBlock,
  headerId,
  sighash,
  type Block,
  type BlockEntry,
  type Tx,
} from '../../core/index.js';
import { signSchnorr } from 'tiny-secp256k1';
import type { VerifyBenchResult } from '../../client/bench/verify-bench-page.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';
import {
  alice,
  buildBlock,
  nodeWithCoins,
  outputOf,
  params,
  type Spendable,
} from '../helpers/regtest.js';
import { heightOf, openTab, startServer, waitUntil } from './browser-net-bench.js';

/**
 * The funded chain, then `blocks` blocks of `perBlock` payments: payment j of each block spends
 * payment j of the block before. Signed with libsecp256k1 to keep the setup short (the tabs
 * verify them like any signature).
 */
async function signedChain(blocks: number, perBlock: number): Promise<Block[]> {
  const { node, fanout } = await nodeWithCoins(perBlock);
  const chain: Block[] = [];
  for (let h = 1; h <= node.chain.height; h++) {
    chain.push((await node.chain.getBlock(node.chain.entryAt(h)!.id))!);
  }
  let parent: BlockEntry = node.chain.tip;
  let coins: Spendable[] = Array.from({ length: perBlock }, (_, j) => outputOf(fanout, j));
  for (let b = 0; b < blocks; b++) {
    const txs = coins.map((coin): Tx => {
      const unsigned: Tx = {
        version: 1,
        inputs: [{ prevout: coin.prevout, script: new Uint8Array(), witness: new Uint8Array() }],
        outputs: [{ amount: coin.coin.amount - 100n, pubkey: alice.pubkey }],
        lockTime: 0,
      };
      const witness = signSchnorr(sighash(unsigned, params.genesisHash), alice.secret);
      return { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, witness }] };
    });
    const block = buildBlock(parent, { txs, payTo: alice });
    chain.push(block);
    parent = {
      ...parent,
      id: headerId(block.header),
      header: block.header,
      height: parent.height + 1,
      parent,
    };
    coins = txs.map((tx) => outputOf(tx, 0));
  }
  return chain;
}

async function syncSeconds(context: BrowserContext, base: string, name: string, height: number) {
  const start = performance.now();
  const fresh = await openTab(context, base, name);
  await waitUntil(`sync to ${height}`, 900_000, async () => (await heightOf(fresh)) === height);
  const seconds = (performance.now() - start) / 1000;
  await fresh.close();
  return seconds;
}

export async function benchVerifySync(blocks = 1_000, perBlock = 20): Promise<void> {
  const chain = await signedChain(blocks, perBlock);
  const encoded = chain.map((b) => Array.from(encodeBlock(b)));
  const signatures = blocks * perBlock + 1;
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const run = Date.now().toString(36);
    const seeds = await Promise.all(
      ['a', 'b'].map((n) => openTab(context, server.url, `vseed-${n}-${run}`)),
    );
    await Promise.all(
      seeds.map((page) =>
        page.evaluate(async (list) => {
          const node = (
            window as unknown as { tabcoin: { importBlocks(b: Uint8Array[]): Promise<number> } }
          ).tabcoin;
          return node.importBlocks(list.map((b) => Uint8Array.from(b)));
        }, encoded),
      ),
    );
    const bench = await context.newPage();
    await bench.goto(`${server.url}/bench.html?run=verify&count=400&rounds=1`);
    await bench.waitForFunction(() => window.tabcoinVerifyBench?.done, undefined, {
      timeout: 600_000,
    });
    const rates: VerifyBenchResult = await bench.evaluate(() => window.tabcoinVerifyBench!);
    await bench.close();
    const serial = await syncSeconds(
      context,
      server.url,
      `vserial-${run}&verifiers=0`,
      chain.length,
    );
    const pooled = await syncSeconds(context, server.url, `vpool-${run}`, chain.length);
    const base = rates.worker.noble;
    const line = (label: string, seconds: number) => {
      const perSecond = signatures / seconds;
      console.log(
        `  ${label.padEnd(40)} ${seconds.toFixed(1).padStart(6)} s  ${perSecond.toFixed(0).padStart(6)} signatures/s  ` +
          `${(perSecond / base).toFixed(2)}x one @noble worker`,
      );
    };
    console.log(
      `browser sync of ${blocks} blocks x ${perBlock} signed payments (${signatures} signatures) from 2 peers, ` +
        `${rates.cores} cores; one worker with @noble/curves here: ${base.toFixed(0)} /s (page load and mesh included):`,
    );
    line('serial (?verifiers=0, today)', serial);
    line(`worker pool (${rates.pool.workers} workers, ${rates.pool.verifier})`, pooled);
    console.log(`  pool / serial: ${(serial / pooled).toFixed(2)}x`);
    await context.close();
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
}

if (process.argv[1]?.endsWith('verify-sync-bench.ts')) {
  await benchVerifySync(Number(process.argv[2] ?? 1_000), Number(process.argv[3] ?? 20));
}
