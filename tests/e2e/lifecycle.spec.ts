/**
 * A tab going away and coming back: a closed tab stops counting as a peer at once (its links
 * close cleanly instead of timing out ~30 s later), and a reload keeps mining on and says so.
 */
import { expect, test, type Page } from '@playwright/test';

const run = Date.now().toString(36);

async function open(page: Page, name: string): Promise<Page> {
  await page.goto(`/?network=regtest&node=${name}-${run}`);
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
  return page;
}

const peers = (page: Page) => page.getByLabel('Peers', { exact: true });

test('a closed tab leaves its peers at once', async ({ context }) => {
  const a = await open(await context.newPage(), 'stay');
  const b = await open(await context.newPage(), 'leave');
  await expect(peers(a)).toHaveText('1', { timeout: 30_000 });
  await b.close();
  // Well under WebRTC's own ~30 s give-up: the link was closed, not lost.
  await expect(peers(a)).toHaveText('0', { timeout: 10_000 });
  await expect(a.getByRole('list', { name: 'Event log' })).toContainText(`leave-${run} left`);
});

test('a reload resumes mining and says so', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, 'reload-miner');
  await page.getByRole('button', { name: 'Start mining' }).click();
  const height = page.getByLabel('Height', { exact: true });
  await expect(height).not.toHaveText('0', { timeout: 15_000 });
  await page.reload();
  await expect(page.getByLabel('Node id')).toHaveText(`reload-miner-${run}`);
  // Said in the notice bar and recorded in the event log.
  await expect(page.locator('p.notice[role="status"]')).toContainText(
    /Mining resumed after the reload/,
  );
  await expect(page.getByRole('list', { name: 'Event log' })).toContainText(
    /Mining resumed after the reload/,
  );
  await expect(page.getByRole('button', { name: 'Stop mining' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const before = Number(await height.textContent());
  await expect
    .poll(async () => Number(await height.textContent()), { timeout: 15_000 })
    .toBeGreaterThan(before);
  // Stopped before a reload, it stays stopped.
  await page.getByRole('button', { name: 'Stop mining' }).click();
  await page.reload();
  await expect(page.getByLabel('Node id')).toHaveText(`reload-miner-${run}`);
  await expect(page.getByRole('button', { name: 'Start mining' })).toBeVisible();
  await expect(page.getByText(/Mining resumed/)).toHaveCount(0);
});
