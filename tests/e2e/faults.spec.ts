/**
 * Faults with real tabs: the tracker killed and restarted mid-session (existing WebRTC links
 * keep working, new tabs join after the restart), and a tab whose storage is cleared resyncs
 * from its peers. Runs its own tracker so it can kill it.
 */
import { expect, test, type Page } from '@playwright/test';
import { OwnTracker } from '../helpers/own-tracker.js';

const run = Date.now().toString(36);
const tracker = new OwnTracker();

test.beforeAll(() => tracker.start());
test.afterAll(() => tracker.stop());

const url = (name: string) => tracker.nodeUrl(`${name}-${run}`);
interface Summary {
  nodeId: string;
  height: number;
  peers: number;
}
/** The node's own summary (these tests are about the network, not the page's layout). */
const summary = (page: Page) =>
  page.evaluate(() => (window as unknown as { tabcoin: { summary(): Summary } }).tabcoin.summary());
const height = async (page: Page) => (await summary(page)).height;
const peers = async (page: Page) => (await summary(page)).peers;
const mine = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { tabcoin: { mineOneBlock(): Promise<unknown> } }).tabcoin.mineOneBlock(),
  );

async function open(page: Page, name: string): Promise<Page> {
  await page.goto(url(name));
  await page.waitForFunction(() => 'tabcoin' in window);
  expect((await summary(page)).nodeId).toBe(`${name}-${run}`);
  return page;
}

test('links survive a tracker restart, and new tabs join after it', async ({ context }) => {
  const a = await open(await context.newPage(), 'fa');
  const b = await open(await context.newPage(), 'fb');
  await expect.poll(() => peers(a), { timeout: 30_000 }).toBe(1);

  await tracker.stop(); // the tracker dies
  await mine(a);
  await expect.poll(() => height(b), { timeout: 15_000 }).toBe(1); // over the existing link
  await expect.poll(() => peers(b)).toBe(1);

  await tracker.start(); // back on the same port
  const c = await open(await context.newPage(), 'fc');
  await expect.poll(() => height(c), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => peers(a), { timeout: 30_000 }).toBe(2);
});

test('a tab whose storage is cleared resyncs from its peers', async ({ context }) => {
  const a = await open(await context.newPage(), 'sa');
  const b = await open(await context.newPage(), 'sb');
  await expect.poll(() => peers(a), { timeout: 30_000 }).toBe(1);
  for (let i = 0; i < 3; i++) await mine(a);
  await expect.poll(() => height(b), { timeout: 15_000 }).toBe(3);

  await b.evaluate(async (name) => {
    const w = window as unknown as { tabcoin: { stop(): void } };
    w.tabcoin.stop();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(`tabcoin-regtest-${name}`);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
  }, `sb-${run}`);
  await b.reload();
  await b.waitForFunction(() => 'tabcoin' in window);
  await expect.poll(() => height(b), { timeout: 30_000 }).toBe(3);
});
