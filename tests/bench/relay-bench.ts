/**
 * Block relay across 6 real tabs (headless Chromium, real IndexedDB and WebRTC, the real
 * tracker): blocks of ~100 transactions that every tab already holds in its mempool, from found
 * (the miner hands its block to its node) to accepted in every tab, with compact block relay
 * (the default) and with whole blocks (`&compact=0`) in the same run; and the bytes of block
 * relay on the wire per block (headers, getdata, block, cmpctblock, getblocktxn, blocktxn,
 * summed over every link), with everything a link carried beside them. Before its blocks, each
 * mode waits for a settled mesh: every tab linked to the 5 others and knowing its peers' links
 * (peer lists are asked for again once a minute, so this takes up to a minute).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  COINBASE_MATURITY,
  MemoryStore,
  NodeState,
  REGTEST,
  encodeBlock,
  type Block,
  type Tx,
} from '../../core/index.js';
import { buildBlock, outputOf, pay, testKey } from '../helpers/regtest.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';
import { openTab, peersOf, startServer, waitUntil } from './browser-net-bench.js';
import { LOCAL_ANNOUNCE_HOLD_MS } from '../../client/net/block-announce.js';

const owner = testKey(71);
const payee = testKey(72);
/** Message types that carry or ask for blocks (counted as block relay). */
const BLOCK_TYPES = ['headers', 'getdata', 'block', 'cmpctblock', 'getblocktxn', 'blocktxn'];

/** A transaction as plain JSON (bytes as arrays, amounts as strings) to rebuild in a page. */
interface TxJson {
  version: number;
  inputs: { txid: number[]; vout: number; script: number[]; witness: number[] }[];
  outputs: { amount: string; pubkey: number[] }[];
  lockTime: number;
}

const txJson = (tx: Tx): TxJson => ({
  version: tx.version,
  inputs: tx.inputs.map((i) => ({
    txid: Array.from(i.prevout.txid),
    vout: i.prevout.vout,
    script: Array.from(i.script),
    witness: Array.from(i.witness),
  })),
  outputs: tx.outputs.map((o) => ({ amount: o.amount.toString(), pubkey: Array.from(o.pubkey) })),
  lockTime: tx.lockTime,
});

/** A chain whose last block fans a reward out to `rounds * perBlock` coins, and their spends. */
async function fixture(
  rounds: number,
  perBlock: number,
): Promise<{ chain: Block[]; spends: Tx[][] }> {
  const state = await NodeState.open(REGTEST, new MemoryStore());
  const now = REGTEST.genesis.header.time + 100_000;
  const chain: Block[] = [];
  const add = async (block: Block) => {
    const result = await state.processBlock(block, now);
    if (!result.ok) throw new Error(`fixture block refused: ${result.reason}`);
    chain.push(block);
  };
  for (let i = 0; i <= COINBASE_MATURITY; i++)
    await add(buildBlock(state.chain.tip, { payTo: owner }));
  const count = rounds * perBlock;
  const coin = outputOf(chain[0]!.txs[0]!, 0, 1, true);
  const each = (coin.coin.amount - 1_000_000n) / BigInt(count);
  const fan = pay(
    owner,
    [coin],
    Array.from({ length: count }, () => ({ amount: each, pubkey: owner.pubkey })),
  );
  await add(buildBlock(state.chain.tip, { payTo: owner, txs: [fan] }));
  const height = state.chain.height;
  const spends = Array.from({ length: rounds }, (_, r) =>
    Array.from({ length: perBlock }, (_, i) =>
      pay(
        owner,
        [outputOf(fan, r * perBlock + i, height)],
        [{ amount: each - 10_000n, pubkey: payee.pubkey }],
      ),
    ),
  );
  return { chain, spends };
}

/** In a page: record accept times, and count bytes sent per message type on every link. */
function instrument(page: Page): Promise<void> {
  return page.evaluate(() => {
    type PeerLike = { bytesOut: number; queuedBytes: number; send(m: { type: string }): void };
    const w = window as unknown as {
      accepted: Record<string, number>;
      sentBytes: Record<string, number>;
      foundAt: number;
      tabcoin: {
        on(e: string, f: (p: { id: string }) => void): void;
        p2p: {
          peers: Map<string, PeerLike>;
          submitBlock(b: unknown, from: string, found?: boolean): Promise<unknown>;
        };
      };
    };
    w.accepted = {};
    w.sentBytes = {};
    // Each page's own "accepted" moment for a height, awaited from the bench (no polling,
    // which would take the tabs' time while the block crosses the network).
    const waiting = new Map<number, (at: number) => void>();
    (w as unknown as { acceptedAt(h: number): Promise<number> }).acceptedAt = (height) =>
      new Promise((resolve) => waiting.set(height, resolve));
    w.tabcoin.on('block-accepted', (({ id, height }: { id: string; height: number }) => {
      const at = performance.timeOrigin + performance.now();
      w.accepted[id] = at;
      waiting.get(height)?.(at);
      waiting.delete(height);
    }) as (p: { id: string }) => void);
    for (const peer of w.tabcoin.p2p.peers.values()) {
      const send = peer.send.bind(peer);
      peer.send = (message) => {
        const before = peer.bytesOut + peer.queuedBytes;
        send(message);
        const bytes = peer.bytesOut + peer.queuedBytes - before;
        w.sentBytes[message.type] = (w.sentBytes[message.type] ?? 0) + bytes;
      };
    }
    // "Found": the moment the miner hands its block to its own node.
    const p2p = w.tabcoin.p2p;
    const submit = p2p.submitBlock.bind(p2p);
    p2p.submitBlock = (block, from, found) => {
      if (found) w.foundAt = performance.timeOrigin + performance.now();
      return submit(block, from, found);
    };
  });
}

const bytesSent = (page: Page) =>
  page.evaluate(() => ({
    ...(window as unknown as { sentBytes: Record<string, number> }).sentBytes,
  }));

/** Hand `txs` to the tab's node as its own (it validates and announces them). */
function giveTxs(page: Page, txs: TxJson[]): Promise<void> {
  return page.evaluate(async (list) => {
    const node = (
      window as unknown as {
        tabcoin: { p2p: { submitTx(tx: unknown, from: string): Promise<unknown> } };
      }
    ).tabcoin;
    for (const t of list) {
      await node.p2p.submitTx(
        {
          version: t.version,
          inputs: t.inputs.map((i) => ({
            prevout: { txid: Uint8Array.from(i.txid), vout: i.vout },
            script: Uint8Array.from(i.script),
            witness: Uint8Array.from(i.witness),
          })),
          outputs: t.outputs.map((o) => ({
            amount: BigInt(o.amount),
            pubkey: Uint8Array.from(o.pubkey),
          })),
          lockTime: t.lockTime,
        },
        'local',
      );
    }
  }, txs);
}

const mempoolSize = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { tabcoin: { state: { mempool: { size: number } } } }).tabcoin.state
        .mempool.size,
  );

interface ModeResult {
  /** Found -> accepted everywhere, after the warm-up blocks. */
  latencies: number[];
  /** The same for the warm-up blocks (V8 still compiling the hot code in every tab). */
  cold: number[];
  blockBytes: number[];
  allBytes: number[];
  /** Per message type: bytes per block on all links. */
  byType: Record<string, number[]>;
  blockSize: number;
}

function sum(record: Record<string, number>, types?: readonly string[]): number {
  return Object.entries(record)
    .filter(([type]) => !types || types.includes(type))
    .reduce((total, [, bytes]) => total + bytes, 0);
}

/** In a page: how many (peer, peer's link) pairs among its peers the tab knows of. */
const linksKnown = (page: Page) =>
  page.evaluate(() => {
    type Node = {
      p2p: {
        peers: Map<string, unknown>;
        relay: { exchange: { linksOf(id: string): readonly string[] } };
      };
    };
    const p2p = (window as unknown as { tabcoin: Node }).tabcoin.p2p;
    let known = 0;
    for (const id of p2p.peers.keys())
      for (const other of p2p.relay.exchange.linksOf(id)) if (p2p.peers.has(other)) known++;
    return known;
  });

async function runMode(
  browser: Browser,
  base: string,
  compact: boolean,
  tabs: number,
  fix: { chain: Block[]; spends: Tx[][] },
  warmup: number,
): Promise<ModeResult> {
  const context = await browser.newContext();
  try {
    const run = `${compact ? 'c' : 'f'}${Date.now().toString(36)}`;
    const query = compact ? '' : '&compact=0';
    const pages = await Promise.all(
      Array.from({ length: tabs }, (_, i) => openTab(context, base, `r${i}-${run}`, query)),
    );
    const encoded = fix.chain.map((b) => Array.from(encodeBlock(b)));
    await pages[0]!.evaluate(async (blocks) => {
      const node = (
        window as unknown as { tabcoin: { importBlocks(b: Uint8Array[]): Promise<number> } }
      ).tabcoin;
      await node.importBlocks(blocks.map((b) => Uint8Array.from(b)));
    }, encoded);
    await waitUntil('mesh', 60_000, async () =>
      (await Promise.all(pages.map(peersOf))).every((n) => n >= tabs - 1),
    );
    // A settled mesh, as in a network that has run for a while: every tab knows which of the
    // others each of its peers is linked to (peer lists are asked for again once a minute,
    // docs/protocol.md "Peer exchange"); a block's finder links decide who waits for headers.
    const listsStart = Date.now();
    const known = () => Promise.all(pages.map(linksKnown));
    const firstKnown = await known();
    const complete = (tabs - 1) * (tabs - 2);
    await waitUntil('peer lists', 90_000, async () => (await known()).every((n) => n === complete));
    console.error(
      `${compact ? 'compact' : 'whole'}: peers' links known at mesh ${firstKnown.join(' ')} of ` +
        `${complete}; all after ${((Date.now() - listsStart) / 1000).toFixed(1)} s`,
    );
    const heightOf = (p: Page) =>
      p.evaluate(
        () =>
          (window as unknown as { tabcoin: { summary(): { height: number } } }).tabcoin.summary()
            .height,
      );
    await waitUntil('synced', 60_000, async () =>
      (await Promise.all(pages.map(heightOf))).every((h) => h === fix.chain.length),
    );
    await Promise.all(pages.map(instrument));
    const result: ModeResult = {
      latencies: [],
      cold: [],
      blockBytes: [],
      allBytes: [],
      byType: {},
      blockSize: 0,
    };
    let seed = 7;
    for (const [round, txs] of fix.spends.entries()) {
      const list = txs.map(txJson);
      await Promise.all(pages.map((p) => giveTxs(p, list)));
      await waitUntil('mempools full', 30_000, async () =>
        (await Promise.all(pages.map(mempoolSize))).every((n) => n === txs.length),
      );
      await quiet(pages);
      const before = await Promise.all(pages.map(bytesSent));
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const miner = pages[seed % tabs]!;
      const height = fix.chain.length + round + 1;
      const arrivals = pages.map((p) =>
        p.evaluate(
          (h) => (window as unknown as { acceptedAt(h: number): Promise<number> }).acceptedAt(h),
          height,
        ),
      );
      // Each page has taken its waiter (calls to one page run in order) before the find, so
      // no tab is busy with the bench's own calls while the block crosses.
      await Promise.all(pages.map((p) => p.evaluate(() => 0)));
      const { id, foundAt, size } = await miner.evaluate(async () => {
        const w = window as unknown as {
          foundAt: number;
          tabcoin: { mineOneBlock(): Promise<{ txs: unknown[] }>; summary(): { tip: string } };
        };
        const block = await w.tabcoin.mineOneBlock();
        return { id: w.tabcoin.summary().tip, foundAt: w.foundAt, size: block.txs.length };
      });
      if (size !== txs.length + 1)
        throw new Error(`block of ${size} transactions, not ${txs.length + 1}`);
      const everywhere = Math.max(...(await withTimeout(Promise.all(arrivals), 30_000, round)));
      const ids = await Promise.all(
        pages.map((p) =>
          p.evaluate(
            () =>
              (window as unknown as { tabcoin: { summary(): { tip: string } } }).tabcoin.summary()
                .tip,
          ),
        ),
      );
      if (ids.some((tip) => tip !== id))
        throw new Error(`block ${round}: the tabs disagree on the tip`);
      // Headers held for local peers (block-announce.ts) go out after the hold: count them here.
      await new Promise((resolve) => setTimeout(resolve, LOCAL_ANNOUNCE_HOLD_MS + 50));
      await quiet(pages);
      const after = await Promise.all(pages.map(bytesSent));
      if (round < warmup) {
        result.cold.push(everywhere - foundAt);
        continue;
      }
      result.latencies.push(everywhere - foundAt);
      const delta = (types?: readonly string[]) =>
        after.reduce((total, a, i) => total + sum(a, types) - sum(before[i]!, types), 0);
      result.blockBytes.push(delta(BLOCK_TYPES));
      result.allBytes.push(delta());
      for (const type of BLOCK_TYPES) (result.byType[type] ??= []).push(delta([type]));
      result.blockSize = encodeBlock(buildSizeProbe(fix, round)).length;
    }
    return result;
  } finally {
    await context.close();
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, round: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`block ${round} not everywhere within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The size of a whole block of one round's transactions (for the report). */
function buildSizeProbe(fix: { chain: Block[]; spends: Tx[][] }, round: number): Block {
  return { header: fix.chain[0]!.header, txs: [fix.chain[0]!.txs[0]!, ...fix.spends[round]!] };
}

/** Wait until no tab sends anything for 200 ms (announcements and answers have settled). */
async function quiet(pages: Page[]): Promise<void> {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const total = (await Promise.all(pages.map(bytesSent))).reduce(
      (t, r) => t + sum(r, BLOCK_TYPES.concat('tx', 'inv')),
      0,
    );
    if (total === last) return;
    last = total;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Blocks relayed before the measured ones in each mode: the figures are of steady state. V8
 * keeps compiling the block path's hot functions in every tab for about the first dozen blocks
 * (`--trace-opt`: hundreds of ms of compiler time a block, summed over the 6 tabs, on the same 2
 * cores), and the warm-up blocks' own figures are printed on their own line.
 */
export const RELAY_WARMUP = 12;

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const median = (xs: number[]) => quantile(xs, 0.5);

export async function benchRelay(
  tabs = 6,
  rounds = 20,
  perBlock = 100,
  warmup = RELAY_WARMUP,
): Promise<void> {
  const fix = await fixture(rounds + warmup, perBlock);
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const full = await runMode(browser, server.url, false, tabs, fix, warmup);
    const compact = await runMode(browser, server.url, true, tabs, fix, warmup);
    const line = (name: string, r: ModeResult) =>
      `${name}: median ${median(r.latencies).toFixed(1)} ms, p95 ${quantile(r.latencies, 0.95).toFixed(1)} ms, ` +
      `block relay ${(median(r.blockBytes) / 1024).toFixed(1)} KiB per block on all links ` +
      `(all traffic ${(median(r.allBytes) / 1024).toFixed(1)} KiB)`;
    console.log(
      `block relay across ${tabs} tabs, ${rounds} blocks of ${perBlock} transactions every tab holds ` +
        `(a whole block is ${(full.blockSize / 1024).toFixed(1)} KiB), found -> accepted in every tab:`,
    );
    const types = (r: ModeResult) =>
      BLOCK_TYPES.filter((t) => median(r.byType[t] ?? [0]) > 0)
        .map((t) => `${t} ${(median(r.byType[t]!) / 1024).toFixed(1)}`)
        .join(', ');
    const cold = (r: ModeResult) =>
      r.cold.length > 0
        ? `median ${median(r.cold).toFixed(1)} ms, worst ${Math.max(...r.cold).toFixed(1)} ms`
        : 'none';
    console.log(
      `  the ${warmup} warm-up blocks before them (not counted above): whole ${cold(full)}; compact ${cold(compact)}`,
    );
    console.log(`  ${line('whole blocks (&compact=0)', full)}`);
    console.log(`    by message, KiB per block (medians): ${types(full)}`);
    console.log(`  ${line('compact blocks', compact)}`);
    console.log(`    by message, KiB per block (medians): ${types(compact)}`);
    console.log(
      `  compact / whole: median latency ${(median(compact.latencies) / median(full.latencies)).toFixed(2)}, ` +
        `p95 ${(quantile(compact.latencies, 0.95) / quantile(full.latencies, 0.95)).toFixed(2)}, ` +
        `block relay bytes ${(median(compact.blockBytes) / median(full.blockBytes)).toFixed(3)}`,
    );
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
}

if (process.argv[1]?.endsWith('relay-bench.ts')) {
  const rounds = Number(process.env.RELAY_ROUNDS ?? 20);
  const warmup = Number(process.env.RELAY_WARMUP ?? RELAY_WARMUP);
  await benchRelay(6, rounds, 100, warmup);
}
