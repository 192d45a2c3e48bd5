/**
 * A pace you can teach at, on regtest in real tabs: "Mine 10 blocks" mines exactly ten;
 * continuous mining at the default pace (one block a second) stays within ±20% of it over 20
 * blocks, and no block time is ever ahead of the clock; a fork that resolved is still listed
 * after mining stops and after its side branch was pruned from the tree.
 */
import { expect, test, type Page } from '@playwright/test';
import { shownHeight } from '../helpers/shown-height.js';

const run = Date.now().toString(36);

interface Tip {
  height: number;
  /** Header time, seconds. */
  time: number;
  /** Page clock when the tab connected it, ms. */
  at: number;
}

declare global {
  interface Window {
    observedTips?: Tip[];
  }
}

async function open(page: Page, name: string): Promise<void> {
  await page.goto(`/?network=regtest&node=${name}-${run}`);
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
}

/** Record every new tip the tab connects, with the page clock at that moment. */
async function observeTips(page: Page): Promise<void> {
  await page.evaluate(() => {
    const node = window.tabcoin!;
    window.observedTips = [];
    node.on('chain-changed', () => {
      const tip = node.state.chain.tip;
      window.observedTips!.push({ height: tip.height, time: tip.header.time, at: Date.now() });
    });
  });
}

const height = (page: Page) => page.getByLabel('Height', { exact: true });

test('"Mine 10 blocks" mines exactly ten, none with a time ahead of the clock', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await open(page, 'ten');
  await observeTips(page);
  await page.getByRole('button', { name: 'Mine a block' }).click();
  await expect(height(page)).toHaveText('1');
  await page.getByLabel('Blocks', { exact: true }).fill('10');
  await page.getByLabel('Blocks', { exact: true }).press('Tab');
  await page.getByRole('button', { name: 'Mine 10 blocks' }).click();
  await expect(page.getByText('Mined 10 of 10 blocks.')).toBeVisible({ timeout: 60_000 });
  await expect(height(page)).toHaveText('11');
  const tips = await page.evaluate(() => window.observedTips!);
  expect(tips.map((t) => t.height)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  for (const tip of tips)
    expect(tip.time * 1000, `block ${tip.height}`).toBeLessThanOrEqual(tip.at);
});

test('continuous mining at the default pace: one block a second ±20%, never ahead of the clock', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page, 'pace');
  await expect(page.getByLabel('Pace')).toHaveValue('1000');
  await observeTips(page);
  await page.getByRole('button', { name: 'Start mining' }).click();
  await page.waitForFunction(() => window.observedTips!.length >= 22, undefined, {
    timeout: 90_000,
    polling: 250,
  });
  await page.getByRole('button', { name: 'Stop mining' }).click();
  const tips = (await page.evaluate(() => window.observedTips!)).slice(0, 22);
  for (const tip of tips)
    expect(tip.time * 1000, `block ${tip.height}`).toBeLessThanOrEqual(tip.at);
  // 20 intervals from the second block on (the first came at once, with no tip to rest after).
  const measured = tips.slice(1, 22);
  const perBlock = (measured.at(-1)!.at - measured[0]!.at) / (measured.length - 1);
  expect(perBlock, 'ms per block at the default pace').toBeGreaterThanOrEqual(800);
  expect(perBlock, 'ms per block at the default pace').toBeLessThanOrEqual(1200);
  await expect(page.getByLabel('Hashrate', { exact: true })).toHaveText('stopped');
});

test('a fork that resolved stays listed after mining stops and its branch is pruned', async ({
  context,
}) => {
  test.setTimeout(180_000);
  const a = await context.newPage();
  const b = await context.newPage();
  await open(a, 'fork-a');
  await open(b, 'fork-b');
  await expect(a.getByLabel('Peers', { exact: true })).toHaveText('1', { timeout: 30_000 });
  const history = (page: Page) =>
    page.getByRole('list', { name: 'Forks and reorgs seen by this tab' }).getByRole('listitem');

  // Both mine at the same pace from the same tips: they soon find blocks at the same height.
  for (const page of [a, b]) await page.getByRole('button', { name: 'Start mining' }).click();
  await expect
    .poll(async () => (await history(a).count()) + (await history(b).count()), {
      timeout: 90_000,
    })
    .toBeGreaterThan(0);
  for (const page of [a, b]) await page.getByRole('button', { name: 'Stop mining' }).click();
  const [seer, other] = (await history(a).count()) > 0 ? [a, b] : [b, a];
  const listed = await history(seer).first().textContent();
  expect(listed).toMatch(/(fork|reorg) above height \d+/);

  // Seven more blocks: the side branch falls more than 6 blocks behind and leaves the tree.
  await seer.getByLabel('Blocks', { exact: true }).fill('7');
  await seer.getByLabel('Blocks', { exact: true }).press('Tab');
  await seer.getByRole('button', { name: 'Mine 7 blocks' }).click();
  await expect(seer.getByText('Mined 7 of 7 blocks.')).toBeVisible({ timeout: 60_000 });
  await expect(height(other)).toHaveText(await shownHeight(seer), { timeout: 15_000 });
  await expect(seer.getByText(/None right now \(side branches are pruned/)).toBeVisible();
  await expect(history(seer).filter({ hasText: listed!.trim().slice(0, 40) })).toHaveCount(1);

  // Until the user clears it.
  await seer.getByRole('button', { name: 'Clear fork history' }).click();
  await expect(history(seer)).toHaveCount(0);
});
