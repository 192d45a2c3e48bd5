/**
 * Node identity in real tabs: the plain URL reopens this browser's last node (same node, same
 * wallet, same chain) once its tab is closed; a second tab asking for a node that is open
 * elsewhere runs another node and says so in its header, instead of swapping silently.
 */
import { expect, test } from '@playwright/test';

const run = Date.now().toString(36);

test('the plain URL reopens the same node and wallet after its tab is closed', async ({
  context,
}) => {
  test.setTimeout(90_000);
  const first = await context.newPage();
  await first.goto('/?network=regtest');
  const nodeId = first.getByLabel('Node id');
  await expect(nodeId).toHaveText(/^tab-[0-9a-f]{8}$/);
  const id = (await nodeId.textContent())!;
  await first.getByRole('button', { name: 'Mine a block' }).click();
  await expect(first.getByLabel('Height', { exact: true })).toHaveText('1');
  const address = (await first.getByLabel('Your address').textContent())!;
  await expect(first.getByLabel('Immature balance', { exact: true })).toHaveText('50');
  await first.close();

  const again = await context.newPage();
  await again.goto('/?network=regtest');
  await expect(again.getByLabel('Node id')).toHaveText(id);
  await expect(again.getByLabel('Your address')).toHaveText(address);
  await expect(again.getByLabel('Height', { exact: true })).toHaveText('1');
  await expect(again.getByLabel('Immature balance', { exact: true })).toHaveText('50');
  await expect(again.getByText(`This wallet belongs to node ${id}`)).toBeVisible();

  // While it is open, another plain-URL tab runs another node (no notice needed: none was named).
  const second = await context.newPage();
  await second.goto('/?network=regtest');
  await expect(second.getByLabel('Node id')).toHaveText(/^tab-[0-9a-f]{8}$/);
  await expect(second.getByLabel('Node id')).not.toHaveText(id);
});

test('a second tab on a named node that is already open says so', async ({ context }) => {
  test.setTimeout(60_000);
  const name = `dup-${run}`;
  const first = await context.newPage();
  await first.goto(`/?network=regtest&node=${name}`);
  await expect(first.getByLabel('Node id')).toHaveText(name);

  const second = await context.newPage();
  await second.goto(`/?network=regtest&node=${name}`);
  const notice = second.getByRole('alert').filter({ hasText: 'already open in another tab' });
  await expect(notice).toBeVisible();
  const standIn = (await second.getByLabel('Node id').textContent())!;
  expect(standIn).not.toBe(name);
  await expect(notice).toContainText(`Node "${name}" is already open in another tab`);
  await expect(notice).toContainText(`runs a new node, ${standIn}, with its own empty wallet`);

  // Closing the first tab and reloading opens the named node here.
  await first.close();
  await notice.getByRole('button', { name: 'Reload' }).click();
  await expect(second.getByLabel('Node id')).toHaveText(name);
  await expect(second.getByRole('alert').filter({ hasText: 'already open' })).toHaveCount(0);
});
