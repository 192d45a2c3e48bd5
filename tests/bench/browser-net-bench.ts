/**
 * Browser network benchmarks in headless Chromium (real IndexedDB, real WebRTC, the real
 * tracker), bounded in time: (1) blocks per second when a fresh tab syncs a 5,000-block chain
 * from two peers; (2) block propagation latency across 6 tabs, from found to accepted in all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { MemoryStore, NodeState, REGTEST, encodeBlock, type Block } from '../../core/index.js';
import { buildBlock, testKey } from '../helpers/regtest.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';

export async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['tools/start.mjs'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  return { url, child };
}

/** A regtest chain of `count` blocks, built in memory (setup, not measured). */
async function buildChain(count: number): Promise<Block[]> {
  const state = await NodeState.open(REGTEST, new MemoryStore());
  const blocks: Block[] = [];
  for (let i = 0; i < count; i++) {
    const block = buildBlock(state.chain.tip, { payTo: testKey(i % 7) });
    await state.processBlock(block, REGTEST.genesis.header.time + 10 * count + 1000);
    blocks.push(block);
  }
  return blocks;
}

export async function openTab(
  context: BrowserContext,
  base: string,
  name: string,
  query = '',
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/?network=regtest&node=${name}${query}`);
  await page.waitForFunction(() => 'tabcoin' in window, undefined, { timeout: 30_000 });
  return page;
}

const heightOf = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { tabcoin: { summary(): { height: number } } }).tabcoin.summary()
        .height,
  );

export const peersOf = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { tabcoin: { summary(): { peers: number } } }).tabcoin.summary().peers,
  );

export async function waitUntil(
  what: string,
  ms: number,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function benchSync(browser: Browser, base: string, count: number): Promise<void> {
  const blocks = (await buildChain(count)).map((b) => Array.from(encodeBlock(b)));
  const context = await browser.newContext();
  try {
    const run = Date.now().toString(36);
    const seeds = await Promise.all(
      ['seed1', 'seed2'].map((n) => openTab(context, base, `${n}-${run}`)),
    );
    await Promise.all(
      seeds.map((page) =>
        page.evaluate(async (encoded) => {
          const node = (
            window as unknown as { tabcoin: { importBlocks(b: Uint8Array[]): Promise<number> } }
          ).tabcoin;
          return node.importBlocks(encoded.map((b) => Uint8Array.from(b)));
        }, blocks),
      ),
    );
    const start = performance.now();
    const fresh = await openTab(context, base, `fresh-${run}`);
    await waitUntil(
      `sync of ${count} blocks`,
      300_000,
      async () => (await heightOf(fresh)) === count,
    );
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `browser sync: a fresh tab synced ${count} blocks from 2 peers (IndexedDB, WebRTC) in ${seconds.toFixed(1)} s ` +
        `= ${(count / seconds).toFixed(0)} blocks/s (page load and mesh setup included)`,
    );
  } finally {
    await context.close();
  }
}

async function benchPropagation(
  browser: Browser,
  base: string,
  tabs: number,
  rounds: number,
): Promise<void> {
  const context = await browser.newContext();
  try {
    const run = Date.now().toString(36);
    const pages = await Promise.all(
      Array.from({ length: tabs }, (_, i) => openTab(context, base, `p${i}-${run}`)),
    );
    await waitUntil('mesh', 60_000, async () =>
      (await Promise.all(pages.map(peersOf))).every((n) => n >= 2),
    );
    for (const page of pages) {
      await page.evaluate(() => {
        const w = window as unknown as {
          accepted: Record<string, number>;
          tabcoin: { on(e: string, f: (p: { id: string }) => void): void };
        };
        w.accepted = {};
        w.tabcoin.on('block-accepted', ({ id }) => {
          w.accepted[id] = performance.timeOrigin + performance.now();
        });
      });
    }
    const latencies: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const miner = pages[round % tabs]!;
      const { id, foundAt } = await miner.evaluate(async () => {
        const node = (
          window as unknown as {
            tabcoin: { mineOneBlock(): Promise<unknown>; summary(): { tip: string } };
          }
        ).tabcoin;
        await node.mineOneBlock();
        const w = window as unknown as { accepted: Record<string, number> };
        const tip = node.summary().tip;
        return { id: tip, foundAt: w.accepted[tip]! };
      });
      let everywhere = 0;
      await waitUntil(`block ${round} everywhere`, 30_000, async () => {
        const times = await Promise.all(
          pages.map((p) =>
            p.evaluate(
              (blockId) =>
                (window as unknown as { accepted: Record<string, number> }).accepted[blockId],
              id,
            ),
          ),
        );
        if (times.some((t) => t === undefined)) return false;
        everywhere = Math.max(...(times as number[]));
        return true;
      });
      latencies.push(everywhere - foundAt);
    }
    latencies.sort((a, b) => a - b);
    const p = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    console.log(
      `block propagation across ${tabs} tabs (${rounds} blocks, found -> accepted in every tab): ` +
        `median ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms`,
    );
  } finally {
    await context.close();
  }
}

export async function benchBrowserNetwork(syncBlocks = 5000, tabs = 6, rounds = 20): Promise<void> {
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    await benchPropagation(browser, server.url, tabs, rounds);
    await benchSync(browser, server.url, syncBlocks);
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
}
