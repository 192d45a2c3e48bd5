/**
 * Accessibility of the main views, checked by axe-core (WCAG 2.x A/AA and best practices) in
 * real Chromium: the app in light and dark colour schemes and with the block dialog open must
 * have zero violations. axe-core is loaded from node_modules into the page.
 */
import { expect, test } from '@playwright/test';
import { axeViolations as violations } from '../helpers/axe.js';

const run = Date.now().toString(36);

test('the main views have no axe-core violations (light, dark, block dialog open)', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  await page.goto(`/?network=regtest&lab=1&node=a11y-${run}`);
  await expect(page.getByLabel('Node id')).toHaveText(`a11y-${run}`);
  const mine = page.getByRole('button', { name: 'Mine a block' });
  for (let i = 1; i <= 2; i++) {
    await mine.click();
    await expect(page.getByLabel('Height', { exact: true })).toHaveText(String(i));
    await expect(mine).toBeEnabled();
  }

  // A refused payment too: the form's hint, its error and the attack lab are on screen.
  await page.getByLabel('Recipient address').fill('tcrt1qnotanaddress');
  await page.getByLabel('Amount (coins)').fill('1');
  await page.getByRole('button', { name: 'Review payment' }).click();
  await expect(page.locator('tc-send').getByRole('alert')).toBeVisible();

  await page.emulateMedia({ colorScheme: 'light' });
  expect(await violations(page), 'light').toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await violations(page), 'dark').toEqual([]);

  // Mining (paced, resting between blocks) and a tab told its node is open elsewhere.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'Start mining' }).click();
  await expect(page.getByText(/paced on regtest/)).toBeVisible();
  expect(await violations(page), 'mining').toEqual([]);
  await page.getByRole('button', { name: 'Stop mining' }).click();
  const twin = await context.newPage();
  await twin.goto(`/?network=regtest&node=a11y-${run}`);
  await expect(twin.getByRole('alert').filter({ hasText: 'already open' })).toBeVisible();
  expect(await violations(twin), 'node open elsewhere').toEqual([]);
  await twin.close();

  await page.getByRole('button', { name: /^Block #2 / }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await violations(page), 'dialog open').toEqual([]);
});
