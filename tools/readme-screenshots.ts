/**
 * Regenerates the README's screenshots (docs/img/) from the real app, following the README's
 * walk-through: alice mines 11 blocks and pays bob 1.5 coins; then two tabs mine at once until
 * a fork shows in the fork history. Needs a running app: `npm start`, then
 * `npx tsx tools/readme-screenshots.ts [http://127.0.0.1:8080]`.
 */
import { chromium, expect, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/chromium.js';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const run = Date.now().toString(36).slice(-4);

async function open(page: Page, name: string): Promise<void> {
  await page.goto(`${base}/?network=regtest&node=${name}-${run}`);
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
}

async function mine(page: Page, blocks: number): Promise<void> {
  await page.getByLabel('Blocks', { exact: true }).fill(String(blocks));
  await page.getByLabel('Blocks', { exact: true }).press('Tab');
  await page.getByRole('button', { name: `Mine ${blocks} blocks` }).click();
  await expect(page.getByText(`Mined ${blocks} of ${blocks} blocks.`)).toBeVisible({
    timeout: 60_000,
  });
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const context = await browser.newContext({ viewport: { width: 1280, height: 1350 } });
const alice = await context.newPage();
const bob = await context.newPage();
await open(alice, 'alice');
await open(bob, 'bob');
await expect(alice.getByLabel('Peers', { exact: true })).toHaveText('1', { timeout: 30_000 });

await mine(alice, 11);
const bobAddress = (await bob.getByLabel('Your address').textContent())!.trim();
await alice.getByLabel('Recipient address').fill(bobAddress);
await alice.getByLabel('Amount (coins)').fill('1.5');
await alice.getByRole('button', { name: 'Review payment' }).click();
await alice.getByRole('button', { name: 'Confirm and send' }).click();
await expect(alice.getByText('Sent: pending until a block includes it.')).toBeVisible();
await expect(bob.getByLabel('Incoming balance', { exact: true })).toHaveText('1.5');
await alice.evaluate(() => window.scrollTo(0, 0));
await alice.screenshot({ path: 'docs/img/tabcoin.png' });

// Both mine at the default pace until a fork is listed, then stop.
for (const page of [alice, bob]) await page.getByRole('button', { name: 'Start mining' }).click();
const history = (page: Page) =>
  page.getByRole('list', { name: 'Forks and reorgs seen by this tab' }).getByRole('listitem');
await expect
  .poll(async () => (await history(alice).count()) + (await history(bob).count()), {
    timeout: 120_000,
  })
  .toBeGreaterThan(0);
for (const page of [alice, bob]) await page.getByRole('button', { name: 'Stop mining' }).click();
const seer = (await history(alice).count()) > 0 ? alice : bob;
const tree = seer.locator('tc-fork-tree');
await tree.scrollIntoViewIfNeeded();
await tree.screenshot({ path: 'docs/img/fork-history.png' });
await browser.close();
console.log('wrote docs/img/tabcoin.png and docs/img/fork-history.png');
