/**
 * The keyboard alone: from an empty page, Tab goes through every panel's controls in page
 * order (a skip link first, the panels' contents never skipped), and a payment can be mined
 * for, entered, reviewed and sent without the mouse, with focus following each result.
 */
import { expect, test, type Page } from '@playwright/test';
import { COINBASE_MATURITY, encodeAddress } from '../../core/index.js';

const run = Date.now().toString(36);

/** The focused element (through shadow roots) as "tag: accessible name". */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return 'body';
    const labels = (el as HTMLInputElement).labels;
    const name =
      el.getAttribute('aria-label') ?? (labels?.[0]?.textContent || null) ?? el.textContent ?? '';
    return `${el.tagName.toLowerCase()}: ${name.trim().replace(/\s+/g, ' ')}`;
  });
}

/** Press Tab until the focused element matches `pattern`; the number of presses it took. */
async function tabTo(page: Page, pattern: RegExp, max = 120): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (pattern.test(await focused(page))) return i;
  }
  throw new Error(`${pattern} not reached in ${max} Tab presses`);
}

test('Tab reaches every panel in order; a payment is sent with the keyboard alone', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.goto(`/?network=regtest&node=keys-${run}`);
  await expect(page.getByLabel('Node id')).toHaveText(`keys-${run}`);

  // The whole Tab order once, from the top of the page.
  const order: string[] = [];
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (order.includes(now) && now === order[0]) break;
    order.push(now);
  }
  expect(order[0]).toBe('button: Skip to the panels');
  const at = (pattern: RegExp) => {
    const index = order.findIndex((f) => pattern.test(f));
    expect(index, `${pattern} is in the Tab order`).toBeGreaterThan(-1);
    return index;
  };
  const sequence = [
    /^button: Wallet$/, // nav
    /^button: Copy address$/, // wallet panel
    /^input: Recipient address$/, // send panel, in the form's order
    /^input: Amount \(coins\)$/,
    /^input: Fee rate/,
    /^button: Send everything$/,
    /^input: Sign transaction$/,
    /^button: Review payment$/,
    /^button: Mine a block$/, // miner panel right after the form
    /^input: Search blocks/, // explorer
    /^summary: Attack lab$/, // last
  ].map(at);
  expect(sequence, 'panels in page order').toEqual([...sequence].sort((x, y) => x - y));

  // A payment, keyboard only: focus the page top, then Tab and Enter.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await tabTo(page, /^button: Skip to the panels$/);
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toBe('section: Wallet panel');
  await tabTo(page, /^button: Mine a block$/);
  const height = page.getByLabel('Height', { exact: true });
  for (let i = 1; i <= COINBASE_MATURITY + 1; i++) {
    await page.keyboard.press('Enter');
    await expect(height).toHaveText(String(i));
    await expect(page.getByRole('button', { name: 'Mine a block' })).toBeEnabled();
  }
  await expect(page.getByLabel('Spendable balance', { exact: true })).toHaveText('100');
  const to = encodeAddress(new Uint8Array(32).fill(9), 'regtest');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await tabTo(page, /^input: Recipient address$/);
  await page.keyboard.type(to);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('input: Amount (coins)');
  await page.keyboard.type('1.5');
  await tabTo(page, /^button: Review payment$/, 10);
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toBe('button: Confirm and send');
  // Edit goes back to the form with focus on its first field; review again.
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('button: Edit');
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toBe('input: Recipient address');
  await tabTo(page, /^button: Review payment$/, 10);
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toBe('button: Confirm and send');
  const fee = await page.getByLabel('Payment fee').textContent();
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toMatch(/^p: Sent: pending until a block includes it/);
  await expect(page.getByLabel('Outgoing amount')).toHaveText('1.5');
  await expect(page.getByLabel('Outgoing fees')).toHaveText(fee!.trim());
  await expect(page.getByLabel('Pending transactions')).toHaveText('1');
});
