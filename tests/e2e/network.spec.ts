/**
 * Several real tabs on regtest through the tracker: they form a mesh, a mined block reaches
 * every tab, a reloaded tab keeps its chain, a late tab syncs, and closing a tab disturbs no one.
 */
import { expect, test, type Page } from '@playwright/test';
import { shownHeight } from '../helpers/shown-height.js';

const run = `${Date.now().toString(36)}`;
const url = (name: string) => `/?network=regtest&node=${name}-${run}`;

async function open(page: Page, name: string): Promise<Page> {
  await page.goto(url(name));
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
  return page;
}

const height = (page: Page) => page.getByLabel('Height', { exact: true });
const peers = (page: Page) => page.getByLabel('Peers', { exact: true });

test('tabs form a mesh, share blocks, survive reloads and closes, and a late tab syncs', async ({
  context,
}) => {
  const alice = await open(await context.newPage(), 'alice');
  const bob = await open(await context.newPage(), 'bob');
  const carol = await open(await context.newPage(), 'carol');
  for (const page of [alice, bob, carol])
    await expect(peers(page)).toHaveText('2', { timeout: 30_000 });

  await alice.getByRole('button', { name: 'Mine a block' }).click();
  for (const page of [alice, bob, carol]) await expect(height(page)).toHaveText('1');
  const tip = await alice.getByLabel('Tip', { exact: true }).textContent();
  await expect(bob.getByLabel('Tip', { exact: true })).toHaveText(tip!);

  await bob.getByRole('button', { name: 'Mine a block' }).click();
  await bob.getByRole('button', { name: 'Mine a block' }).click();
  for (const page of [alice, bob, carol]) await expect(height(page)).toHaveText('3');

  // A reloaded tab keeps its chain (IndexedDB) and rejoins the mesh.
  await bob.reload();
  await expect(bob.getByLabel('Node id')).toHaveText(`bob-${run}`);
  await expect(height(bob)).toHaveText('3');
  await expect(peers(bob)).toHaveText('2', { timeout: 30_000 });

  // A tab opened late syncs the chain.
  const dave = await open(await context.newPage(), 'dave');
  await expect(height(dave)).toHaveText('3', { timeout: 30_000 });

  // Closing a tab does not disturb the rest.
  await carol.close();
  await expect(peers(alice)).not.toHaveText('0');
  await dave.getByRole('button', { name: 'Mine a block' }).click();
  for (const page of [alice, bob, dave])
    await expect(height(page)).toHaveText('4', { timeout: 15_000 });
});

test('mining in Web Workers from one tab advances the chain in the others', async ({ context }) => {
  const miner = await open(await context.newPage(), 'miner');
  const watcher = await open(await context.newPage(), 'watcher');
  await expect(peers(watcher)).toHaveText('1', { timeout: 30_000 });
  const start = miner.getByRole('button', { name: 'Start mining' });
  await start.click();
  await expect(miner.getByRole('button', { name: 'Stop mining' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(miner.getByLabel('Hashrate')).toContainText('hashes/s');
  await expect
    .poll(async () => Number(await height(watcher).textContent()), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(5);
  await miner.getByRole('button', { name: 'Stop mining' }).click();
  await expect(miner.getByRole('button', { name: 'Start mining' })).toBeVisible();
  await expect(height(watcher)).toHaveText(await shownHeight(miner), { timeout: 15_000 });
});
