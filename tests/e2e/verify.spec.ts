/**
 * Parallel signature verification in real tabs: each tab starts its pool of verification
 * workers with libsecp256k1 (WASM, loaded under Vite in a module worker); a block of signed
 * transactions imported by one tab reaches the other over WebRTC, whose pool verifies every
 * signature before the serial connect, and both tabs end on the same tip.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeBlock, headerId, type Block } from '../../core/index.js';
import { alice, bob, buildBlock, nodeWithCoins, outputOf, pay } from '../helpers/regtest.js';

const run = Date.now().toString(36);
const TXS = 60;

interface VerifyApi {
  importBlocks(encoded: Uint8Array[]): Promise<number>;
  summary(): { height: number; tip: string; peers: number };
  preverifier?: {
    workers?: { verifier: string; size: number };
    totals: { valid: number; notValid: number; blocks: number };
  };
}

async function open(page: Page, name: string): Promise<Page> {
  await page.goto(`/?network=regtest&node=${name}-${run}`);
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          (window as unknown as { tabcoin?: VerifyApi }).tabcoin?.preverifier?.workers?.verifier,
      ),
    )
    .toBe('libsecp256k1-wasm');
  return page;
}

const summary = (page: Page) =>
  page.evaluate(() => (window as unknown as { tabcoin: VerifyApi }).tabcoin.summary());

test('a block of signed transactions is verified by the receiving tab’s worker pool', async ({
  context,
}) => {
  test.setTimeout(180_000);
  // The chain: mature coinbase rewards, a fan-out, then one block of TXS signed payments.
  const { node, fanout } = await nodeWithCoins(TXS);
  const blocks: Block[] = [];
  for (let h = 1; h <= node.chain.height; h++) {
    const id = node.chain.entryAt(h)!.id;
    blocks.push((await node.chain.getBlock(id))!);
  }
  const txs = Array.from({ length: TXS }, (_, i) =>
    pay(alice, [outputOf(fanout, i)], [{ amount: 99_000_000n, pubkey: bob.pubkey }], true),
  );
  const last = buildBlock(node.chain.tip, { txs });
  const encoded = [...blocks, last].map((b) => Array.from(encodeBlock(b)));

  const sender = await open(await context.newPage(), 'verify-send');
  const receiver = await open(await context.newPage(), 'verify-receive');
  await expect.poll(async () => (await summary(receiver)).peers).toBeGreaterThan(0);
  const imported = await sender.evaluate(
    (list) =>
      (window as unknown as { tabcoin: VerifyApi }).tabcoin.importBlocks(
        list.map((b) => Uint8Array.from(b)),
      ),
    encoded,
  );
  expect(imported).toBe(encoded.length);
  await expect
    .poll(async () => (await summary(receiver)).tip, { timeout: 60_000 })
    .toBe(headerId(last.header));
  const totals = await receiver.evaluate(
    () => (window as unknown as { tabcoin: VerifyApi }).tabcoin.preverifier!.totals,
  );
  // Every payment of the last block, and the fan-out's inputs, verified by the pool.
  expect(totals.valid).toBeGreaterThanOrEqual(TXS);
  expect(totals.notValid).toBe(0);
});
