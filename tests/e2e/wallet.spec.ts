/**
 * The wallet UI with three real tabs on regtest, read the way a person reads the page (roles
 * and accessible names): mine until rewards mature, copy another tab's address, pay it with a
 * fee and watch it go from pending to confirmed; a mistyped address is refused in the form; an
 * unsigned payment is refused by the other tabs (bad-signature in their event logs); a reload
 * keeps wallet, balance and chain; the backup words restore the wallet in a new node; two tabs
 * mining at once fork, the fork tree shows it, and it resolves. Screenshots are attached.
 */
import { expect, test, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { COINBASE_MATURITY, decodeAddress, encodeAddress } from '../../core/index.js';

const run = Date.now().toString(36);
const url = (name: string) => `/?network=regtest&node=${name}-${run}`;

async function open(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url(name));
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
  return page;
}

const field = (page: Page, name: string) => page.getByLabel(name, { exact: true });
const height = (page: Page) => field(page, 'Height');
const peers = (page: Page) => field(page, 'Peers');
const tip = (page: Page) => field(page, 'Tip');

/** A coin amount as shown ("1.5") in base units. */
function units(text: string | null): bigint {
  const [whole = '0', fraction = ''] = (text ?? '').trim().split('.');
  return BigInt(whole) * 100_000_000n + BigInt(fraction.padEnd(8, '0'));
}

/** Base units as the UI shows them ("1.5000077"). */
function coins(amount: bigint): string {
  const fraction = (amount % 100_000_000n).toString().padStart(8, '0').replace(/0+$/, '');
  return `${amount / 100_000_000n}${fraction ? `.${fraction}` : ''}`;
}

async function balance(page: Page, kind: string): Promise<bigint> {
  return units(await field(page, `${kind} balance`).textContent());
}

/** The headline balance, asserting that the parts shown under it add up to it. */
async function total(page: Page): Promise<bigint> {
  const shown = await balance(page, 'Total');
  const parts =
    (await balance(page, 'Spendable')) +
    (await balance(page, 'Immature')) +
    (await balance(page, 'Incoming'));
  expect(parts, 'spendable + maturing + incoming = balance').toBe(shown);
  return shown;
}

async function mine(page: Page, blocks = 1): Promise<void> {
  const button = page.getByRole('button', { name: 'Mine a block' });
  for (let i = 0; i < blocks; i++) {
    const before = Number(await height(page).textContent());
    await button.click();
    await expect(height(page)).not.toHaveText(String(before));
    await expect(button).toBeEnabled();
  }
}

/** A full-page screenshot kept with the test's results (test-results/…/NAME.png). */
async function snap(info: TestInfo, page: Page, name: string): Promise<void> {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: 'image/png' });
}

async function fillPayment(page: Page, to: string, amount: string, feeRate = '5'): Promise<void> {
  await page.getByLabel('Recipient address').fill(to);
  await page.getByLabel('Amount (coins)').fill(amount);
  await page.getByLabel('Fee rate (units per byte)').fill(feeRate);
}

test('pay another tab: pending, confirmed, fee; typos and unsigned payments are refused', async ({
  context,
  baseURL,
}, info) => {
  test.setTimeout(180_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const a = await open(context, 'pay-a');
  const b = await open(context, 'pay-b');
  const c = await open(context, 'pay-c');
  for (const page of [a, b, c]) await expect(peers(page)).toHaveText('2', { timeout: 30_000 });

  // A mines until its first rewards are mature (and one more block).
  await mine(a, COINBASE_MATURITY + 1);
  for (const page of [b, c]) await expect(height(page)).toHaveText(String(COINBASE_MATURITY + 1));
  await expect(field(a, 'Spendable balance')).toHaveText('100');
  await expect(field(a, 'Immature balance')).toHaveText('450');
  await expect(field(a, 'Total balance')).toHaveText('550');
  expect(await total(a)).toBe(550n * 100_000_000n);

  // B's address, copied from B's page.
  await b.getByRole('button', { name: 'Copy address' }).click();
  await expect(b.getByText('Address copied to the clipboard.')).toBeVisible();
  const bAddress = await b.evaluate(() => navigator.clipboard.readText());
  expect(bAddress).toMatch(/^tcrt1/);
  await expect(b.getByLabel('Your address')).toHaveText(bAddress);

  // A mistyped address (one character changed) and a main-network address are refused.
  const last = bAddress.at(-1) === 'q' ? 'p' : 'q';
  await fillPayment(a, bAddress.slice(0, -1) + last, '1.5');
  await expect(a.getByText(/This address has a typo/)).toBeVisible();
  await a.getByRole('button', { name: 'Review payment' }).click();
  await expect(a.locator('tc-send').getByRole('alert')).toContainText('typo');
  await expect(a.getByRole('button', { name: 'Confirm and send' })).toHaveCount(0);
  const mainAddress = encodeAddress(decodeAddress(bAddress).pubkey, 'main');
  await a.getByLabel('Recipient address').fill(mainAddress);
  await expect(a.getByText(/that address is for main, this node is on regtest/)).toBeVisible();

  // A pays B 1.5 coins at 5 units per byte.
  const aBefore = await total(a);
  await fillPayment(a, bAddress, '1.5');
  await expect(a.getByText('✓ valid address')).toBeVisible();
  await a.getByRole('button', { name: 'Review payment' }).click();
  const fee = units(await field(a, 'Payment fee').textContent());
  expect(fee).toBeGreaterThan(0n);
  await expect(field(a, 'Payment total')).toHaveText(/^1\.5/);
  await snap(info, a, 'review-payment');
  await a.getByRole('button', { name: 'Confirm and send' }).click();
  await expect(a.getByText('Sent: pending until a block includes it.')).toBeVisible();
  await expect(a.getByText('Sent: pending until a block includes it.')).toBeFocused();
  await expect(field(a, 'Pending transactions')).toHaveText('1');
  // During: the balance already lost amount + fee, the change is spendable, the parts add up.
  await expect(field(a, 'Total balance')).toHaveText(coins(aBefore - 150_000_000n - fee));
  expect(await total(a)).toBe(aBefore - 150_000_000n - fee);
  await expect(field(a, 'Spendable balance')).toHaveText(
    coins(100n * 100_000_000n - 150_000_000n - fee),
  );
  await expect(field(a, 'Outgoing amount')).toHaveText('1.5');
  await expect(field(a, 'Outgoing fees')).toHaveText(coins(fee));

  // B sees it pending at once, then confirmed once C mines it.
  await expect(field(b, 'Incoming balance')).toHaveText('1.5');
  await expect(field(b, 'Spendable balance')).toHaveText('0');
  await expect(field(b, 'Total balance')).toHaveText('1.5');
  expect(await total(b)).toBe(150_000_000n);
  await expect(b.getByRole('table', { name: 'History' })).toContainText('pending');
  await snap(info, b, 'recipient-pending');
  await expect(field(c, 'Pending transactions')).toHaveText('1');
  await mine(c);
  await expect(field(b, 'Spendable balance')).toHaveText('1.5');
  await expect(field(b, 'Incoming balance')).toHaveText('0');
  expect(await total(b)).toBe(150_000_000n);
  const bRow = b.getByRole('table', { name: 'History' }).getByRole('row').nth(1);
  await expect(bRow).toContainText('received');
  await expect(bRow).toContainText('+1.5');
  await expect(bRow.getByRole('cell').nth(4)).toHaveText('1'); // confirmations
  await snap(info, b, 'recipient-confirmed');

  // A's wallet is lighter by exactly amount + fee.
  // After: the same total (a stranger's block paid no reward to A), nothing outgoing.
  await expect(field(a, 'Outgoing amount')).toHaveCount(0);
  await expect.poll(() => total(a)).toBe(aBefore - 150_000_000n - fee);
  const aRow = a.getByRole('table', { name: 'History' }).getByRole('row').nth(1);
  await expect(aRow).toContainText('sent');
  await expect(aRow.getByRole('cell').nth(2)).toHaveText('-1.5'); // amount, fee not included
  await expect(aRow.getByRole('cell').nth(3)).toHaveText(coins(fee));
  await snap(info, a, 'sender-after-payment');

  // Last (A gets banned): an unsigned payment is refused by B and C with bad-signature.
  const aId = `pay-a-${run}`;
  await fillPayment(a, bAddress, '1');
  const sign = a.getByRole('switch', { name: 'Sign transaction' });
  await expect(sign).toBeChecked();
  await sign.uncheck();
  await expect(a.getByText(/Every peer refuses it/)).toBeVisible();
  await a.getByRole('button', { name: 'Review payment' }).click();
  await a.getByRole('button', { name: 'Send unsigned' }).click();
  await expect(a.locator('tc-send').getByText(/Sent unsigned transaction/)).toBeVisible();
  await expect(sign, 'the next payment is signed again').toBeChecked();
  for (const page of [b, c]) {
    const log = page.getByRole('list', { name: 'Event log' });
    await expect(log).toContainText(`refused tx`);
    await expect(log.getByText(new RegExp(`from ${aId}: bad-signature`))).toBeVisible();
    await expect(page.getByRole('table', { name: 'Banned peers' })).toContainText(aId);
    await expect(field(page, 'Pending transactions')).toHaveText('0');
  }
  await expect(peers(a)).toHaveText('0', { timeout: 15_000 });
  await snap(info, b, 'unsigned-refused');
});

test('a reload keeps wallet, balance and chain; the backup words restore it in a new node', async ({
  context,
}, info) => {
  test.setTimeout(120_000);
  const d = await open(context, 'keep-d');
  await mine(d, COINBASE_MATURITY + 2);
  const address = await d.getByLabel('Your address').textContent();
  await expect(field(d, 'Spendable balance')).toHaveText('150');
  const tipBefore = await tip(d).textContent();

  await d.reload();
  await expect(d.getByLabel('Node id')).toHaveText(`keep-d-${run}`);
  await expect(height(d)).toHaveText(String(COINBASE_MATURITY + 2));
  await expect(tip(d)).toHaveText(tipBefore!);
  await expect(d.getByLabel('Your address')).toHaveText(address!);
  await expect(field(d, 'Spendable balance')).toHaveText('150');
  await expect(field(d, 'Immature balance')).toHaveText('450');

  // The backup words, behind a confirmation.
  const show = d.getByRole('button', { name: 'Show backup words' });
  await expect(show).toBeDisabled();
  await d.getByRole('checkbox', { name: /anyone who sees these words/ }).check();
  await show.click();
  const words = (
    await d.getByRole('list', { name: 'Backup words' }).getByRole('listitem').allTextContents()
  ).map((w) => w.trim());
  expect(words).toHaveLength(12);

  // A new node syncs the chain; restoring the words there shows the same wallet and balance.
  const e = await open(context, 'keep-e');
  await expect(height(e)).toHaveText(String(COINBASE_MATURITY + 2), { timeout: 30_000 });
  await expect(e.getByLabel('Your address')).not.toHaveText(address!);
  await e.getByLabel('Backup words to restore').fill(words.join(' '));
  await e.getByRole('button', { name: 'Restore wallet' }).click();
  await e.getByRole('button', { name: 'Replace this wallet' }).click();
  await expect(e.getByText(/Restored: this node now holds that wallet/)).toBeVisible();
  await expect(e.getByLabel('Your address')).toHaveText(address!);
  await expect(field(e, 'Spendable balance')).toHaveText('150');
  await expect(field(e, 'Immature balance')).toHaveText('450');
  await snap(info, e, 'restored-wallet');
});

test('two tabs mining at once fork; the fork tree shows it and the fork resolves', async ({
  context,
}, info) => {
  test.setTimeout(120_000);
  const f = await open(context, 'fork-f');
  const g = await open(context, 'fork-g');
  await expect(peers(f)).toHaveText('1', { timeout: 30_000 });
  await mine(f);
  await expect(height(g)).toHaveText('1');

  // Both mine a block at the same moment until they end up on different blocks at one height.
  let forked = false;
  for (let attempt = 0; attempt < 8 && !forked; attempt++) {
    const mineF = f.getByRole('button', { name: 'Mine a block' });
    const mineG = g.getByRole('button', { name: 'Mine a block' });
    await Promise.all([mineF.click(), mineG.click()]);
    await Promise.all([expect(mineF).toBeEnabled(), expect(mineG).toBeEnabled()]);
    await expect
      .poll(async () => (await height(f).textContent()) === (await height(g).textContent()))
      .toBe(true);
    await f.waitForTimeout(500);
    forked = (await tip(f).textContent()) !== (await tip(g).textContent());
  }
  expect(forked, 'two simultaneous blocks at one height within 8 tries').toBe(true);
  for (const page of [f, g]) {
    const branches = page.getByRole('list', { name: 'Side branches' }).getByRole('listitem');
    await expect(branches).not.toHaveCount(0);
    await expect(page.getByRole('button', { name: /side branch/ })).not.toHaveCount(0);
  }
  await snap(info, g, 'fork');

  // F mines on its branch: G reorganises onto it, and the tree marks G's old block.
  await mine(f);
  await expect(tip(g)).toHaveText((await tip(f).textContent())!, { timeout: 15_000 });
  await expect(
    g.getByRole('list', { name: 'Forks and reorgs seen by this tab' }).getByRole('listitem'),
  ).toContainText([/reorg above height/]);
  await expect(g.getByRole('list', { name: 'Side branches' })).toContainText('replaced in a reorg');
  await expect(g.getByRole('button', { name: /replaced in a reorg/ })).not.toHaveCount(0);
  await expect(g.getByRole('list', { name: 'Event log' })).toContainText('reorg:');
  await snap(info, g, 'fork-resolved');
});

test('send everything pays all spendable coins to the last unit, leaving exactly the fee', async ({
  context,
}) => {
  test.setTimeout(120_000);
  const h = await open(context, 'all-h');
  await mine(h, COINBASE_MATURITY + 2); // three mature rewards
  await expect(field(h, 'Spendable balance')).toHaveText('150');
  const before = await total(h);
  const to = encodeAddress(new Uint8Array(32).fill(7), 'regtest');

  await h.getByLabel('Recipient address').fill(to);
  await h.getByRole('button', { name: 'Send everything' }).click();
  const amount = units(await h.getByLabel('Amount (coins)').inputValue());
  await expect(h.getByText(/Everything spendable: .* leaving exactly the fee/)).toBeVisible();
  await h.getByRole('button', { name: 'Review payment' }).click();
  const fee = units(await field(h, 'Payment fee').textContent());
  expect(amount + fee, 'amount + fee = everything spendable').toBe(150n * 100_000_000n);
  await expect(field(h, 'Payment total')).toHaveText('150');
  await h.getByRole('button', { name: 'Confirm and send' }).click();
  await expect(h.getByText('Sent: pending until a block includes it.')).toBeVisible();
  await expect(field(h, 'Spendable balance')).toHaveText('0');
  await expect(field(h, 'Outgoing amount')).toHaveText(coins(amount));
  await expect(field(h, 'Outgoing fees')).toHaveText(coins(fee));
  expect(await total(h)).toBe(before - 150n * 100_000_000n);

  // Nothing is left to send; the refusal says so instead of a reason code.
  await h.getByRole('button', { name: 'Send everything' }).click();
  await expect(h.locator('tc-send').getByRole('alert')).toHaveText(/Nothing is spendable yet/);
  // Zero is refused in words.
  await h.getByLabel('Recipient address').fill(to);
  await h.getByLabel('Amount (coins)').fill('0');
  await h.getByRole('button', { name: 'Review payment' }).click();
  await expect(h.locator('tc-send').getByRole('alert')).toHaveText(
    'Amount: enter more than 0 (the smallest amount is 0.00000001 coins).',
  );
});
