/**
 * A tab killed in the middle of a batched sync (its renderer crashed: no pagehide, no flush)
 * reopens on a consistent chain — the coins are exactly those of the blocks up to its stored
 * tip, with undo data for each — and then syncs on to its peer's tip.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeBlock, genesisEntry, txidHex, type Block } from '../../core/index.js';
import { params } from '../helpers/regtest.js';
import { childEntry, emptyChain } from '../helpers/tall-chain.js';

const run = Date.now().toString(36);
const BLOCKS = 5_000;

interface Api {
  importBlocks(encoded: Uint8Array[]): Promise<number>;
  state: {
    chain: {
      cache: { flushes: number };
      height: number;
      tip: { id: string };
      entryAt(h: number): { id: string } | undefined;
      getCoins(keys: string[]): Promise<unknown[]>;
      getUndo(id: string): Promise<unknown[] | undefined>;
      acceptHeaders(headers: unknown[], now: number): Promise<unknown>;
    };
  };
}

async function open(page: Page, name: string): Promise<Page> {
  await page.goto(`/?network=regtest&node=${name}-${run}`);
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
  await page.waitForFunction(() => 'tabcoin' in window);
  return page;
}

const height = (page: Page) =>
  page.evaluate(() => (window as unknown as { tabcoin: Api }).tabcoin.state.chain.height);

test('a tab killed mid-sync reopens on a consistent chain and syncs on', async ({ context }) => {
  test.setTimeout(240_000);
  const blocks = emptyChain(BLOCKS);
  // Block h's coinbase output: present in the UTXO set exactly when h <= the tip's height.
  const coinbaseKeys = blocks.map((b) => `${txidHex(b.txs[0]!)}:0`);
  const source = await open(await context.newPage(), 'source');
  const hex = blocks.map((b) => Buffer.from(encodeBlock(b)).toString('hex'));
  // Headers first, as a sync would: the source then imports the bodies in batches too.
  const headers = blocks.map((b) => ({
    ...b.header,
    prevHash: Array.from(b.header.prevHash),
    merkleRoot: Array.from(b.header.merkleRoot),
  }));
  const imported = await source.evaluate(
    async ([all, heads]) => {
      const node = (window as unknown as { tabcoin: Api }).tabcoin;
      const decoded = heads.map((h) => ({
        ...h,
        prevHash: Uint8Array.from(h.prevHash),
        merkleRoot: Uint8Array.from(h.merkleRoot),
      }));
      for (let i = 0; i < decoded.length; i += 2000)
        await node.state.chain.acceptHeaders(decoded.slice(i, i + 2000), Date.now() / 1000);
      return node.importBlocks(
        all.map((h) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)))),
      );
    },
    [hex, headers] as const,
  );
  expect(imported).toBe(BLOCKS);

  let fresh = await open(await context.newPage(), 'fresh');
  // Killed once a batch reached storage (the 5 s or the 16 MiB bound: 5,000 empty blocks reach
  // one of them well before the end, however fast the sync) and with the sync far from done.
  const flushes = () =>
    fresh.evaluate(() => (window as unknown as { tabcoin: Api }).tabcoin.state.chain.cache.flushes);
  const initial = await flushes();
  await expect.poll(flushes, { timeout: 120_000, intervals: [50] }).toBeGreaterThan(initial);
  const before = await height(fresh);
  expect(before).toBeLessThan(BLOCKS - 500);
  const cdp = await context.newCDPSession(fresh);
  // The renderer dies at once: no pagehide, no flush (the call itself never answers).
  const crashed = fresh.waitForEvent('crash');
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
  await fresh.close().catch(() => undefined);
  await source.close(); // alone, the reopened tab keeps still while it is checked

  fresh = await open(await context.newPage(), 'fresh');
  const check = await fresh.evaluate(async (keys) => {
    const chain = (window as unknown as { tabcoin: Api }).tabcoin.state.chain;
    const tip = chain.height;
    const coins = await chain.getCoins(keys);
    const undo = [];
    for (let h = 1; h <= tip; h++) undo.push(await chain.getUndo(chain.entryAt(h)!.id));
    return {
      tip,
      present: coins.map((c) => c !== undefined),
      undo: undo.every((u) => Array.isArray(u) && u.length === 0),
    };
  }, coinbaseKeys);
  console.log(`killed at height ${before}, reopened at ${check.tip} (last flushed batch)`);
  expect(check.tip).toBeLessThanOrEqual(before);
  expect(check.tip).toBeGreaterThan(0);
  expect(check.present).toEqual(coinbaseKeys.map((_, i) => i + 1 <= check.tip));
  expect(check.undo).toBe(true);

  await open(await context.newPage(), 'source');
  await expect.poll(() => height(fresh), { timeout: 120_000 }).toBe(BLOCKS);
  const tips = await fresh.evaluate(
    () => (window as unknown as { tabcoin: Api }).tabcoin.state.chain.tip.id,
  );
  expect(tips).toBe(tipId(blocks));
});

function tipId(blocks: Block[]): string {
  let entry = genesisEntry(params);
  for (const block of blocks) entry = childEntry(entry, block);
  return entry.id;
}
