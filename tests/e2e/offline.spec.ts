/**
 * A reload while the tracker is down: the tracker also serves the page, so the service worker
 * (client/sw.ts) must give the app shell from its cache; the node then opens its chain and
 * wallet from IndexedDB. The page says what still works while the tracker is away, and that it
 * is back once restarted. Runs its own tracker so it can stop it.
 */
import { expect, test } from '@playwright/test';
import { OwnTracker } from '../helpers/own-tracker.js';

const run = Date.now().toString(36);
const tracker = new OwnTracker();

test.beforeAll(() => tracker.start());
test.afterAll(() => tracker.stop());

test('a reload with the tracker stopped still loads the app and the chain', async ({ page }) => {
  test.setTimeout(90_000);
  const name = `offline-${run}`;
  await page.goto(tracker.nodeUrl(name));
  await expect(page.getByLabel('Node id')).toHaveText(name);
  // The service worker has installed the app shell and controls the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 30_000,
  });
  const mine = page.getByRole('button', { name: 'Mine a block' });
  for (const height of ['1', '2']) {
    await mine.click();
    await expect(page.getByLabel('Height', { exact: true })).toHaveText(height);
    await expect(mine).toBeEnabled();
  }
  const tip = await page.getByLabel('Tip', { exact: true }).textContent();
  const address = await page.getByLabel('Your address').textContent();

  await tracker.stop(); // the tracker, and so the web server, is gone
  await expect(page.getByText('Tracker unreachable, retrying.')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(/no links open, so it works alone/)).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Node id')).toHaveText(name);
  await expect(page.getByLabel('Height', { exact: true })).toHaveText('2');
  await expect(page.getByLabel('Tip', { exact: true })).toHaveText(tip!);
  await expect(page.getByLabel('Your address')).toHaveText(address!);
  await expect(page.getByText('Tracker unreachable, retrying.')).toBeVisible({ timeout: 15_000 });
  // The node still works on its own: it mines on its chain.
  await mine.click();
  await expect(page.getByLabel('Height', { exact: true })).toHaveText('3');

  await tracker.start(); // back on the same port
  await expect(
    page.getByText('Tracker reconnected: new tabs can find this one again.'),
  ).toBeVisible({ timeout: 30_000 });
});
