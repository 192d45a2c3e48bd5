/**
 * The explainers with real tabs, read the way a person reads them: a payment's flow (coins
 * spent with their origin → outputs with change → fee) whose numbers add up, pending and then
 * confirmed; the wallet's coins adding up to its balance; the mempool projected into the next
 * blocks holding exactly the node's block template, in order; and a fresh tab syncing a
 * 150-block chain through the steps headers → bodies → validated → connected, with counts that
 * end at the chain's height. `SCREENSHOTS=1` writes docs/img/explain-*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { COINBASE_MATURITY } from '../../core/index.js';

const run = Date.now().toString(36);

declare global {
  interface Window {
    /** Largest "Headers known" the step view showed while syncing (recorded every frame). */
    syncSeen?: number;
    /** Step states ("done,active,…") the live step view showed, one entry per distinct frame. */
    syncStates?: string[];
  }
}

async function open(page: Page, name: string): Promise<void> {
  await page.goto(`/?network=regtest&node=${name}-${run}`);
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
}

/** A coin amount as shown ("1.5") in base units. */
function units(text: string | null): bigint {
  const [whole = '0', fraction = ''] = (text ?? '').trim().split('.');
  return BigInt(whole) * 100_000_000n + BigInt(fraction.padEnd(8, '0'));
}

async function amounts(scope: Locator, label: string): Promise<bigint[]> {
  return (await scope.getByLabel(label, { exact: true }).allTextContents()).map(units);
}

const heightOf = (page: Page) => page.evaluate(() => window.tabcoin!.state.chain.height);

/** Pay `to` from the page's wallet; returns the txid. */
function pay(page: Page, to: string, amount: bigint, feeRate: bigint): Promise<string> {
  return page.evaluate(
    async ([to, amount, feeRate]) => {
      const sent = await window.tabcoin!.wallet.send({
        to,
        amount: BigInt(amount),
        feeRate: BigInt(feeRate),
        sign: true,
      });
      if (!sent.ok) throw new Error(sent.message);
      return sent.value.txid;
    },
    [to, String(amount), String(feeRate)] as const,
  );
}

/** The flow of the transaction in `view`: inputs = outputs + fee, all as shown. */
async function checkFlow(view: Locator, fee: bigint): Promise<void> {
  await expect(view.getByLabel('Fee', { exact: true })).toBeVisible();
  const inputs = await amounts(view, 'Input amount');
  const outputs = await amounts(view, 'Output amount');
  const shownFee = (await amounts(view, 'Fee'))[0]!;
  const sum = (xs: bigint[]) => xs.reduce((s, x) => s + x, 0n);
  expect(shownFee).toBe(fee);
  expect(sum(inputs)).toBe(sum(outputs) + shownFee);
  expect(units(await view.getByLabel('Inputs total').textContent())).toBe(sum(inputs));
  expect(units(await view.getByLabel('Outputs total').textContent())).toBe(sum(outputs));
}

test('a payment as a flow, the wallet as coins, the mempool as the next blocks', async ({
  context,
}) => {
  test.setTimeout(240_000);
  const a = await context.newPage();
  const b = await context.newPage();
  await open(a, 'flow-a');
  await open(b, 'flow-b');
  await expect(a.getByLabel('Peers', { exact: true })).toHaveText('1', { timeout: 30_000 });
  await a.evaluate((n) => window.tabcoin!.mineBlocks(n), COINBASE_MATURITY + 3);
  const height = await heightOf(a);
  await expect(b.getByLabel('Height', { exact: true })).toHaveText(String(height));

  // Three payments to B at different fee rates: the projected next block orders them.
  const bAddress = await b.evaluate(() => window.tabcoin!.wallet.address);
  const txids: string[] = [];
  for (const [amount, rate] of [
    [150_000_000n, 2n],
    [70_000_000n, 9n],
    [30_000_000n, 5n],
  ] as const)
    txids.push(await pay(a, bAddress, amount, rate));

  const projected = a.getByRole('list', { name: 'Projected block 1' });
  await expect(projected.locator('li[data-txid]')).toHaveCount(3);
  const shown = await projected
    .locator('li[data-txid]')
    .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-txid')));
  const template = await a.evaluate(async () => {
    const node = window.tabcoin!;
    const t = await node.state.template(node.wallet.pubkey, Math.floor(Date.now() / 1000));
    return t.entries.map((e) => e.id);
  });
  expect(shown).toEqual(template);
  expect(new Set(shown)).toEqual(new Set(txids));
  await expect(projected.locator('li[data-txid]').first()).toContainText('next block');
  await expect(a.getByLabel('Suggested fee rate')).toHaveText('2');

  // The pending payment's flow, opened from the projected block.
  const [first] = txids;
  const fee = async (id: string) =>
    BigInt(await a.evaluate((id) => window.tabcoin!.state.mempool.get(id)!.fee.toString(), id));
  const firstFee = await fee(first!);
  await projected.locator(`li[data-txid="${first}"] button`).click();
  const pending = a.locator('tc-block-dialog tc-tx-view');
  await expect(pending).toContainText(first!);
  await checkFlow(pending, firstFee);
  await expect(pending.locator('li.change')).toHaveCount(1);
  await expect(pending.getByText('this wallet').first()).toBeVisible();
  await a.locator('tc-block-dialog').getByRole('button', { name: 'Close' }).click();

  // A's coins (those not being spent by its pending payments) add up to its balance.
  const coinsTotal = (page: Page) => page.getByLabel('Coins total');
  await expect
    .poll(async () => units(await coinsTotal(a).textContent()))
    .toBe(units(await a.getByLabel('Total balance', { exact: true }).textContent()));

  // Mined: the flow of the confirmed payment still knows its inputs (the block's undo data).
  await a.evaluate(() => window.tabcoin!.mineOneBlock());
  await expect(b.getByLabel('Height', { exact: true })).toHaveText(String(height + 1));
  await expect(projected).toHaveCount(0);
  await a.getByLabel('Search blocks, transactions and addresses').fill(first!);
  await a.getByLabel('Search blocks, transactions and addresses').press('Enter');
  const confirmed = a.locator('tc-block-dialog tc-tx-view[highlight]');
  await expect(confirmed).toContainText(first!);
  await checkFlow(confirmed, firstFee);
  await expect(confirmed.getByText(/mining reward in block \d+/).first()).toBeVisible();
  if (process.env.SCREENSHOTS) await shoot(a, confirmed, 'flow');
  await a.locator('tc-block-dialog').getByRole('button', { name: 'Close' }).click();

  // B's coins: the three payments, spendable, one confirmation each.
  const bCoins = b.getByRole('list', { name: 'Coins' });
  await expect(bCoins.locator('li[data-state="spendable"]')).toHaveCount(3);
  await expect(bCoins).toContainText(`block ${height + 1}, 1 conf.`);
  expect(units(await coinsTotal(b).textContent())).toBe(250_000_000n);
  await expect(b.getByLabel('Total balance', { exact: true })).toHaveText('2.5');

  if (process.env.SCREENSHOTS) {
    await pay(a, bAddress, 10_000_000n, 7n);
    await pay(a, bAddress, 20_000_000n, 3n);
    await expect(projected.locator('li[data-txid]')).toHaveCount(2);
    await shoot(a, a.locator('tc-next-blocks'), 'next-blocks');
    await shoot(b, b.locator('tc-coins'), 'coins');
  }
});

test('a fresh tab syncs a 150-block chain step by step', async ({ context }) => {
  test.setTimeout(240_000);
  const a = await context.newPage();
  await open(a, 'sync-a');
  await a.evaluate(() => window.tabcoin!.mineBlocks(150));
  const height = await heightOf(a);
  expect(height).toBe(150);

  const c = await context.newPage();
  await c.addInitScript(() => {
    window.syncSeen = 0;
    window.syncStates = [];
    const watch = () => {
      const steps = document
        .querySelector('tc-app')
        ?.shadowRoot?.querySelector('tc-sync-steps')?.shadowRoot;
      const shown = steps?.querySelector(
        'section[aria-label="Sync"] output[aria-label="Headers known"]',
      );
      if (shown) window.syncSeen = Math.max(window.syncSeen ?? 0, Number(shown.textContent));
      const states = [...(steps?.querySelectorAll('section li[data-state]') ?? [])]
        .map((li) => li.getAttribute('data-state'))
        .join(',');
      if (states && window.syncStates!.at(-1) !== states) window.syncStates!.push(states);
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await open(c, 'sync-c');
  await expect(c.getByLabel('Height', { exact: true })).toHaveText(String(height), {
    timeout: 120_000,
  });
  // During the sync the step view was shown with the headers from peers counted.
  expect(await c.evaluate(() => window.syncSeen)).toBeGreaterThan(0);
  // …mid-way: headers done, blocks still being connected.
  const states = await c.evaluate(() => window.syncStates!);
  expect(states.some((s) => s.startsWith('done,') && !s.endsWith(',done'))).toBe(true);
  // After it, the summary; its steps are all done, with counts equal to the chain.
  const summary = c.locator('tc-sync-steps details');
  await expect(summary.getByLabel('Synced blocks')).toHaveText(String(height));
  await summary.locator('summary').click();
  await expect(summary.getByLabel('Headers known')).toHaveText(String(height));
  await expect(summary.getByLabel('Connected height')).toHaveText(String(height));
  await expect(summary.locator('li[data-state="done"]')).toHaveCount(4);
  if (process.env.SCREENSHOTS) await shoot(c, summary, 'sync');
});

/** docs/img/explain-NAME-{1920,400}-{light,dark}.png: the element, wide and narrow. */
async function shoot(page: Page, element: Locator, name: string): Promise<void> {
  for (const [width, height] of [
    [1920, 1080],
    [400, 1000],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await element.scrollIntoViewIfNeeded();
      await element.screenshot({ path: `docs/img/explain-${name}-${width}-${colorScheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
