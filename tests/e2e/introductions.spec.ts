/**
 * Introductions without the tracker, on one machine: two browser contexts stand for two hosts
 * (they share no BroadcastChannel, no storage and no service worker). With the tracker up, tab
 * a1 of "host A" links to b1 and b2 of "host B". With the tracker stopped, a new tab a2 of host
 * A joins over BroadcastChannel (a1 introduces itself: no server at all), learns b1 and b2 from
 * a1's peer list, links to them through relayed signaling (a1 carries the offers and answers),
 * and syncs. Runs its own tracker so it can stop it.
 */
import { expect, test, type Page } from '@playwright/test';
import { OwnTracker } from '../helpers/own-tracker.js';

const run = Date.now().toString(36);
const tracker = new OwnTracker();

test.beforeAll(() => tracker.start());
test.afterAll(() => tracker.stop());

const peers = (page: Page) => page.getByLabel('Peers', { exact: true });
const height = (page: Page) => page.getByLabel('Height', { exact: true });

async function open(page: Page, name: string): Promise<Page> {
  await page.goto(tracker.nodeUrl(`${name}-${run}`));
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
  return page;
}

test('with the tracker stopped, a new tab joins over BroadcastChannel and links across hosts through a peer', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const hostA = await browser.newContext();
  const hostB = await browser.newContext();
  const a1 = await open(await hostA.newPage(), 'a1');
  const b1 = await open(await hostB.newPage(), 'b1');
  const b2 = await open(await hostB.newPage(), 'b2');
  for (const page of [a1, b1, b2]) await expect(peers(page)).toHaveText('2', { timeout: 30_000 });
  // Host A's service worker holds the app shell, so a new tab loads with the tracker gone.
  await a1.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 30_000,
  });
  await b1.getByRole('button', { name: 'Mine a block' }).click();
  for (const page of [a1, b1, b2]) await expect(height(page)).toHaveText('1');
  const tip = await b1.getByLabel('Tip', { exact: true }).textContent();

  await tracker.stop();
  await expect(a1.getByText('Tracker unreachable, retrying.')).toBeVisible({ timeout: 15_000 });

  const a2 = await open(await hostA.newPage(), 'a2');
  await expect(a2.getByText('Tracker unreachable, retrying.')).toBeVisible({ timeout: 15_000 });
  await expect(peers(a2)).toHaveText('3', { timeout: 60_000 });
  const introductions = a2.getByLabel('Link introductions');
  await expect(introductions).toContainText(`by another tab of this browser: a1-${run}`);
  await expect(introductions).toContainText(/by a peer \(relayed signaling\): b[12]-\w+, b[12]-/);
  await expect(height(a2)).toHaveText('1', { timeout: 30_000 });
  await expect(a2.getByLabel('Tip', { exact: true })).toHaveText(tip!);

  // A block mined on host B reaches the new tab over its relayed links too.
  await b2.getByRole('button', { name: 'Mine a block' }).click();
  await expect(height(a2)).toHaveText('2', { timeout: 15_000 });
  await hostA.close();
  await hostB.close();
});
