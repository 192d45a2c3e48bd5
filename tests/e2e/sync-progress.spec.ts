/**
 * The sync progress view with real tabs: a fresh tab syncing a chain that holds 20 signed
 * payments shows blocks have/of, signatures checked, bytes received, a rate and the time left
 * while it syncs, and after it a summary whose counts are exactly the chain's.
 */
import { expect, test, type Page } from '@playwright/test';
import { MemoryStore, NodeState, encodeBlock, type Block } from '../../core/index.js';
import { NOW, SUBSIDY, alice, bob, buildBlock, outputOf, params, pay } from '../helpers/regtest.js';

const run = Date.now().toString(36);
const PAYMENTS = 20;

declare global {
  interface Window {
    /** What the live sync view showed (recorded every frame). */
    seen?: { synced: number; of: number; rate: boolean; eta: boolean };
  }
}

/** 40 blocks to alice, 20 blocks with one payment each (one signature), then 400 empty ones. */
async function chainWithPayments(): Promise<Block[]> {
  const state = await NodeState.open(params, new MemoryStore());
  const blocks: Block[] = [];
  const add = async (block: Block) => {
    const result = await state.processBlock(block, NOW);
    if (!result.ok) throw new Error(result.reason);
    blocks.push(block);
  };
  for (let i = 0; i < 40; i++) await add(buildBlock(state.chain.tip, { payTo: alice }));
  for (let i = 0; i < PAYMENTS; i++) {
    const coin = outputOf(blocks[i]!.txs[0]!, 0, i + 1, true);
    const tx = pay(alice, [coin], [{ amount: SUBSIDY - 1_000n, pubkey: bob.pubkey }]);
    await add(buildBlock(state.chain.tip, { payTo: alice, txs: [tx] }));
  }
  for (let i = 0; i < 400; i++) await add(buildBlock(state.chain.tip, { payTo: alice }));
  return blocks;
}

async function open(page: Page, name: string): Promise<void> {
  await page.goto(`/?network=regtest&node=${name}-${run}`);
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
}

test('a fresh tab shows truthful sync progress: blocks, signatures, bytes, rate, time left', async ({
  context,
}) => {
  test.setTimeout(240_000);
  const blocks = await chainWithPayments();
  const seed = await context.newPage();
  await open(seed, 'progress-seed');
  const encoded = blocks.map((b) => Array.from(encodeBlock(b)));
  await seed.evaluate(
    (all) =>
      (
        window as unknown as { tabcoin: { importBlocks(b: Uint8Array[]): Promise<number> } }
      ).tabcoin.importBlocks(all.map((b) => Uint8Array.from(b))),
    encoded,
  );

  const fresh = await context.newPage();
  await fresh.addInitScript(() => {
    window.seen = { synced: 0, of: 0, rate: false, eta: false };
    const watch = () => {
      const root = document
        .querySelector('tc-app')
        ?.shadowRoot?.querySelector('tc-sync-steps')?.shadowRoot;
      const live = root?.querySelector('section[aria-label="Sync"]');
      const read = (label: string) =>
        live?.querySelector(`output[aria-label="${label}"]`)?.textContent ?? '';
      if (live) {
        const seen = window.seen!;
        seen.synced = Math.max(seen.synced, Number(read('Blocks synced')));
        seen.of = Math.max(seen.of, Number(read('Blocks to sync')));
        seen.rate ||= /^\d+$/.test(read('Sync rate').trim());
        seen.eta ||= read('Time left').startsWith('about');
      }
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await open(fresh, 'progress-fresh');
  await expect(fresh.getByLabel('Height', { exact: true })).toHaveText(String(blocks.length), {
    timeout: 180_000,
  });
  const seen = await fresh.evaluate(() => window.seen!);
  expect(seen.of).toBe(blocks.length);
  expect(seen.synced).toBeGreaterThan(0);
  expect(seen.synced).toBeLessThan(blocks.length);
  expect(seen.rate).toBe(true);
  expect(seen.eta).toBe(true);

  const summary = fresh.locator('tc-sync-steps details');
  await expect(summary.getByLabel('Synced blocks')).toHaveText(String(blocks.length));
  await summary.locator('summary').click();
  await expect(summary.getByLabel('Blocks synced')).toHaveText(String(blocks.length));
  await expect(summary.getByLabel('Blocks to sync')).toHaveText(String(blocks.length));
  await expect(summary.getByLabel('Signatures checked')).toHaveText(String(PAYMENTS));
  // At least the blocks' own bytes came in (plus headers and the protocol's messages).
  const bytes = blocks.reduce((sum, b) => sum + encodeBlock(b).length, 0);
  const shown = await summary.getByLabel('Bytes received').textContent();
  expect(parseBytes(shown ?? '')).toBeGreaterThanOrEqual(bytes * 0.99);
});

/** "12.3 KiB" / "1.20 MiB" / "512 B" back to bytes (as formatBytes writes them). */
function parseBytes(text: string): number {
  const match = /^([\d.]+)\s*(B|KiB|MiB|GiB|kB|MB|GB)$/.exec(text.trim());
  if (!match) throw new Error(`not a byte count: ${text}`);
  const unit = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, kB: 1e3, MB: 1e6, GB: 1e9 };
  return Number(match[1]) * unit[match[2] as keyof typeof unit];
}
