/**
 * The height a tab's status line shows once it has caught up with its node. At the tip, UI
 * renders wait out a new block's relay moment (RELAY_FIRST_MS, client/pacer.ts), so right
 * after a block the line can still show an older height: a test that reads it once to compare
 * with another tab must read it settled.
 */
import { expect, type Page } from '@playwright/test';

export async function shownHeight(page: Page, timeout = 15_000): Promise<string> {
  const shown = page.getByLabel('Height', { exact: true });
  let text = '';
  await expect
    .poll(
      async () => {
        const height = await page.evaluate(() => String(window.tabcoin!.state.chain.height));
        text = ((await shown.textContent()) ?? '').trim();
        return text === height;
      },
      { timeout, message: 'the status line shows the node’s own height' },
    )
    .toBe(true);
  return text;
}
