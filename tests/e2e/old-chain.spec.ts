/**
 * A tab whose IndexedDB holds the chain of the network before the 2026-12-02 consensus change
 * (the old regtest genesis): on reload it says so in its notice bar and event log, starts on
 * the new genesis, keeps its wallet (same address), and mines on the new chain.
 */
import { expect, test, type Page } from '@playwright/test';

const run = Date.now().toString(36);
const node = `old-${run}`;

/** The old regtest genesis (id 3fb734d3…): its 80-byte header and its whole block. */
const OLD_ID = '3fb734d305d299c6faefd67566100aff4c3377d5789c65326cb726da02fce75e';
const OLD_BLOCK =
  '0100000000000000000000000000000000000000000000000000000000000000000000' +
  '00a400f856325c773e825d7f450ba06580cf9cca6faa128a76b72b08eaec6065d300df' +
  '006bffff7f2000000000010100000001000000000000000000000000000000000000000' +
  '0000000000000000000000000ffffffff390000000000546162636f696e20323032362d' +
  '31312d32313a2065766572792062726f777365722074616220697320612066756c6c20' +
  '6e6f646501000000000000000050929b74c1a04954b78b4b6035e97a5e078a5a0f28ec' +
  '96d547bfee9ace803ac00000000000';

interface Summary {
  height: number;
  tip: string;
  address: string;
}
const summary = (page: Page) =>
  page.evaluate(() => (window as unknown as { tabcoin: { summary(): Summary } }).tabcoin.summary());

async function open(page: Page): Promise<void> {
  await page.goto(`/?network=regtest&node=${node}`);
  await page.waitForFunction(() => 'tabcoin' in window);
}

test('an old chain is cleared with a notice; the wallet stays; the new chain works', async ({
  page,
}) => {
  await open(page);
  const before = await summary(page);
  await page.evaluate(() =>
    (window as unknown as { tabcoin: { mineOneBlock(): Promise<unknown> } }).tabcoin.mineOneBlock(),
  );
  expect((await summary(page)).height).toBe(1);

  // Turn the database into what the old release left: its genesis, its tip, no new chain.
  await page.evaluate(
    async ({ name, oldId, oldBlock }) => {
      (window as unknown as { tabcoin: { stop(): void } }).tabcoin.stop();
      const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16));
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(`tabcoin-regtest-${name}`);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction(['entries', 'blocks', 'undo', 'coins', 'meta'], 'readwrite');
      for (const store of ['entries', 'blocks', 'undo', 'coins']) tx.objectStore(store).clear();
      tx.objectStore('entries').put({
        id: oldId,
        header: bytes(oldBlock.slice(0, 160)),
        height: 0,
        chainWork: 2n,
        status: 'valid',
        sequence: 0,
      });
      tx.objectStore('blocks').put(bytes(oldBlock), oldId);
      tx.objectStore('meta').put(oldId, 'chain.tip');
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name: node, oldId: OLD_ID, oldBlock: OLD_BLOCK },
  );

  await open(page);
  await expect(page.getByRole('status').filter({ hasText: 'older Tabcoin network' })).toBeVisible();
  // Once in the notice bar, once in the event log.
  await expect(page.getByText(/belongs to an older Tabcoin network/)).toHaveCount(2);
  const after = await summary(page);
  expect(after.height).toBe(0);
  expect(after.tip).not.toBe(OLD_ID);
  expect(after.address).toBe(before.address);
  await page.evaluate(() =>
    (window as unknown as { tabcoin: { mineOneBlock(): Promise<unknown> } }).tabcoin.mineOneBlock(),
  );
  expect((await summary(page)).height).toBe(1);
});
