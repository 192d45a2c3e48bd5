/**
 * Sync benchmark in headless Chromium (real IndexedDB, real WebRTC, the real tracker, the UI
 * open), against the code of a baseline commit measured in the same run (figures, never
 * pass/fail):
 * (1) a fresh tab syncs `blocks` empty blocks from 2 peers: blocks per second, and the long
 *     tasks (> 50 ms, PerformanceObserver 'longtask') the tab had while it synced;
 * (2) a fresh tab joins `seeds` peers that share a `headerChain`-block chain: the bytes of
 *     `headers` messages it received (each peer's full copy before, one copy now).
 * The baseline (default: the commit issue 17 started from; `SYNC_BASELINE_REF` to change it) is
 * exported with `git archive` to a temporary directory and built and served from there.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { MemoryStore, NodeState, REGTEST, encodeBlock } from '../../core/index.js';
import { buildBlock, testKey } from '../helpers/regtest.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';

/** The commit before issue 17's work: "today's" sync. */
const DEFAULT_BASELINE = '4ec55bb';

interface Server {
  label: string;
  url: string;
  child: ChildProcess;
}

async function startServer(label: string, cwd: string): Promise<Server> {
  const child = spawn(process.execPath, ['tools/start.mjs'], {
    cwd,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', JOIN_BURST: '1000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${label}: server did not start`)), 180_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    });
  });
  return { label, url, child };
}

/** The baseline's source in a temporary directory (node_modules shared), or undefined. */
function exportBaseline(ref: string): string | undefined {
  const root = resolve('.');
  const rev = spawnSync('git', ['rev-parse', '--short', ref], { cwd: root, encoding: 'utf8' });
  if (rev.status !== 0) return undefined;
  const dir = join(tmpdir(), `tabcoin-sync-baseline-${rev.stdout.trim()}`);
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync('sh', ['-c', `git archive ${ref} | tar -x -C ${dir}`], { cwd: root });
    if (archive.status !== 0) return undefined;
  }
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) {
    rmSync(modules, { force: true }); // a link left dangling by an earlier checkout
    symlinkSync(join(root, 'node_modules'), modules);
  }
  return dir;
}

/**
 * `count` empty regtest blocks, encoded (setup, not measured), spaced so that the last is an
 * hour old: not in the future for the browser's clock, and not recent (a joining node's first
 * headers then come from one peer, as after a night away).
 */
async function buildChain(count: number): Promise<number[][]> {
  const state = await NodeState.open(REGTEST, new MemoryStore());
  const genesisTime = REGTEST.genesis.header.time;
  const now = Math.floor(Date.now() / 1000);
  const spacing = Math.max(1, Math.floor((now - 3600 - genesisTime) / count));
  const blocks: number[][] = [];
  for (let i = 0; i < count; i++) {
    const time = genesisTime + spacing * (i + 1);
    const block = buildBlock(state.chain.tip, { payTo: testKey(i % 7), time });
    const result = await state.processBlock(block, now);
    if (!result.ok) throw new Error(`bench chain block ${i}: ${result.reason}`);
    blocks.push(Array.from(encodeBlock(block)));
  }
  return blocks;
}

interface TabFigures {
  height: number;
  headerBytes: number;
  headers: number;
  longTasks: number[];
  syncFrom: number;
  /** [page time, height] whenever the height changed (sampled every 10 ms). */
  heights: [number, number][];
}

declare global {
  interface Window {
    syncBench?: TabFigures;
  }
}

/**
 * Before the page runs: count the headers handed to the chain (bytes as on the wire: tag,
 * count, 80 per header; empty answers, 2 bytes each, are not counted) and record the long tasks
 * from the first headers on (the sync, not the page load).
 * Works on any version of the node, since both only need `window.tabcoin`. A string, not a
 * function: tsx would wrap a function's inner functions in a helper the page does not have.
 */
const INSTRUMENT = `
  const figures = { height: 0, headerBytes: 0, headers: 0, longTasks: [], syncFrom: Infinity, heights: [] };
  window.syncBench = figures;
  let last = -1;
  setInterval(() => {
    const height = window.tabcoin?.state?.chain?.height;
    if (height !== undefined && height !== last) figures.heights.push([performance.now(), (last = height)]);
  }, 10);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.startTime >= figures.syncFrom) figures.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  let node;
  Object.defineProperty(window, 'tabcoin', {
    configurable: true,
    get: () => node,
    set: (value) => {
      node = value;
      const chain = value.state.chain;
      const accept = chain.acceptHeaders.bind(chain);
      chain.acceptHeaders = (headers, now) => {
        const n = headers.length;
        figures.syncFrom = Math.min(figures.syncFrom, performance.now());
        figures.headers += n;
        figures.headerBytes += 1 + (n < 0xfd ? 1 : 3) + 80 * n;
        return accept(headers, now);
      };
    },
  });
`;

async function openTab(page: Page, base: string, name: string): Promise<void> {
  await page.goto(`${base}/?network=regtest&node=${name}`);
  await page.waitForFunction(() => 'tabcoin' in window && window.tabcoin, undefined, {
    timeout: 60_000,
  });
}

async function seedTabs(
  browser: Browser,
  base: string,
  names: readonly string[],
  blocks: readonly number[][],
) {
  const context = await browser.newContext();
  const pages = await Promise.all(names.map(() => context.newPage()));
  await Promise.all(pages.map((page, i) => openTab(page, base, names[i]!)));
  for (const page of pages) {
    await page.evaluate(async (encoded) => {
      const node = (
        window as unknown as { tabcoin: { importBlocks(b: Uint8Array[]): Promise<number> } }
      ).tabcoin;
      await node.importBlocks(encoded.map((b) => Uint8Array.from(b)));
    }, blocks);
  }
  return context;
}

/** A fresh tab joins the seeds and syncs `count` blocks; its figures and the seconds it took. */
async function freshSync(
  browser: Browser,
  server: Server,
  seeds: number,
  blocks: readonly number[][],
): Promise<TabFigures & { seconds: number; syncMs: number }> {
  const run = `${server.label.replace(/[^a-z0-9]+/gi, '')}-${Date.now().toString(36)}`;
  const names = Array.from({ length: seeds }, (_, i) => `seed${i}-${run}`);
  const context = await seedTabs(browser, server.url, names, blocks);
  try {
    const page = await context.newPage();
    await page.addInitScript(INSTRUMENT);
    const start = performance.now();
    await openTab(page, server.url, `fresh-${run}`);
    // The page's own clock when the tip reaches the last block (polled in the page).
    const done = await page.waitForFunction(
      (count) => {
        const chain = (window.tabcoin as unknown as { state: { chain: { height: number } } }).state
          .chain;
        return chain.height >= count ? performance.now() : false;
      },
      blocks.length,
      { polling: 20, timeout: 600_000 },
    );
    const doneAt = (await done.jsonValue()) as number;
    const seconds = (performance.now() - start) / 1000;
    const figures = await page.evaluate(() => window.syncBench!);
    return { ...figures, seconds, syncMs: doneAt - figures.syncFrom };
  } finally {
    await context.close();
  }
}

/**
 * In one process over memory links (deterministic: every link opens at once, as when a tab
 * joins a settled mesh): a joining node links to `seeds` peers sharing a `count`-block chain;
 * the headers it was handed. `root` is the checkout whose code runs (baseline or branch).
 */
export async function headersInProcess(root: string, seeds: number, count: number) {
  const url = (path: string) => pathToFileURL(join(root, path)).href;
  const net = (await import(url('tests/helpers/net.ts'))) as typeof import('../helpers/net.js');
  const reg = (await import(
    url('tests/helpers/regtest.ts')
  )) as typeof import('../helpers/regtest.js');
  const nodes = [];
  for (let i = 0; i < seeds; i++) nodes.push(await net.makeNode(`seed${i}`));
  const blocks = await reg.mineBlocks(nodes[0]!.state, count);
  for (const seed of nodes.slice(1))
    for (const block of blocks) await seed.state.processBlock(block, reg.NOW);
  const joining = await net.makeNode('joining');
  let headers = 0;
  let bytes = 0;
  const chain = joining.state.chain;
  const accept = chain.acceptHeaders.bind(chain);
  chain.acceptHeaders = (list, now) => {
    headers += list.length;
    bytes += 1 + (list.length < 0xfd ? 1 : 3) + 80 * list.length;
    return accept(list, now);
  };
  for (const seed of nodes) net.link(joining, seed);
  const deadline = Date.now() + 300_000;
  while (chain.height < count) {
    if (Date.now() > deadline) throw new Error(`in-process sync stuck at ${chain.height}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  net.stopAll([...nodes, joining]);
  return { headers, bytes };
}

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '—');

/**
 * Cost per block as the chain grows, in a real tab (real IndexedDB and WebRTC, UI open): a
 * fresh tab syncs `sizes` empty blocks from 2 peers; the time per block from the 10% block to
 * the 90% block (page load, linking and the final flush left out). Target: max/min <= 1.25.
 */
export async function benchSyncLengths(sizes = [1_000, 5_000, 20_000]): Promise<void> {
  const server = await startServer('branch', resolve('.'));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const chain = await buildChain(Math.max(...sizes));
    const perBlock: number[] = [];
    for (const size of sizes) {
      const r = await freshSync(browser, server, 2, chain.slice(0, size));
      // Steady state: from the 10% block to the 90% block (start-up and the last flush left out).
      const at = (share: number) => r.heights.find(([, h]) => h >= share * size)![0];
      const ms = (at(0.9) - at(0.1)) / (0.8 * size);
      perBlock.push(ms);
      console.log(
        `sync cost in a real tab: ${size} empty blocks from 2 peers, ${ms.toFixed(3)} ms a block ` +
          `from the 10% to the 90% block (${r.seconds.toFixed(1)} s with page load and linking)`,
      );
    }
    const spread = Math.max(...perBlock) / Math.min(...perBlock);
    console.log(
      `sync cost in a real tab across ${sizes.join(' / ')} blocks: ` +
        `${perBlock.map((t) => t.toFixed(3)).join(' / ')} ms a block, max/min ${spread.toFixed(2)} (target <= 1.25)`,
    );
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
}

export async function benchSyncNetwork(
  blocks = 5000,
  headerChain = 1000,
  seeds = 6,
): Promise<void> {
  const ref = process.env.SYNC_BASELINE_REF ?? DEFAULT_BASELINE;
  const baselineDir = exportBaseline(ref);
  const servers = [await startServer('branch', resolve('.'))];
  if (baselineDir) servers.unshift(await startServer(`baseline ${ref}`, baselineDir));
  else console.log(`sync bench: baseline ${ref} not available, branch only`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const chain = await buildChain(blocks);
    // Rounds alternate the order (a busy machine drifts): the figure is the median per label.
    const rounds = Number(process.env.SYNC_BENCH_ROUNDS ?? 2);
    const rates = new Map<string, number[]>(servers.map((s) => [s.label, []]));
    for (let round = 0; round < rounds; round++) {
      for (const server of round % 2 ? [...servers].reverse() : servers) {
        const r = await freshSync(browser, server, 2, chain);
        rates.get(server.label)!.push(blocks / r.seconds);
        const over = r.longTasks.filter((d) => d > 50);
        console.log(
          `sync [${server.label}]: fresh tab, UI open, ${blocks} empty blocks from 2 peers in ` +
            `${r.seconds.toFixed(1)} s = ${(blocks / r.seconds).toFixed(0)} blocks/s (page load ` +
            `and mesh included); long tasks > 50 ms: ${over.length}, longest ` +
            `${Math.max(0, ...r.longTasks).toFixed(0)} ms, in all ` +
            `${over.reduce((a, b) => a + b, 0).toFixed(0)} ms`,
        );
      }
    }
    const short = chain.slice(0, headerChain);
    const headers = new Map<string, TabFigures>();
    for (const server of servers) {
      const r = await freshSync(browser, server, seeds, short);
      headers.set(server.label, r);
      console.log(
        `header sync [${server.label}]: a fresh tab joining ${seeds} peers (${headerChain} ` +
          `blocks) received ${r.headers} headers = ${r.headerBytes} bytes of headers messages ` +
          `(${ratio(r.headers, headerChain)} copies of the chain)`,
      );
    }
    const roots = baselineDir ? [baselineDir, resolve('.')] : [resolve('.')];
    const inProcess: number[] = [];
    for (const [i, root] of roots.entries()) {
      const r = await headersInProcess(root, 8, 2000);
      inProcess.push(r.bytes);
      console.log(
        `header sync in one process [${servers[i]!.label}]: a node joining 8 peers (2000 blocks) ` +
          `received ${r.headers} headers = ${r.bytes} bytes (${ratio(r.headers, 2000)} copies)`,
      );
    }
    if (servers.length === 2) {
      const [base, branch] = servers.map((s) => s.label) as [string, string];
      const median = (l: string) => {
        const xs = [...rates.get(l)!].sort((a, b) => a - b);
        return xs[Math.floor((xs.length - 1) / 2)]!;
      };
      console.log(
        `sync ratios (branch / baseline, same run): blocks/s ${ratio(median(branch), median(base))}× ` +
          `(medians ${median(branch).toFixed(0)} / ${median(base).toFixed(0)}); header bytes ` +
          `received ${ratio(headers.get(branch)!.headerBytes, headers.get(base)!.headerBytes)}× ` +
          `(browser, depends on how fast the links open), ${ratio(inProcess[1]!, inProcess[0]!)}× ` +
          `(one process, 8 peers)`,
      );
    }
  } finally {
    await browser.close();
    for (const server of servers) server.child.kill('SIGTERM');
  }
}
