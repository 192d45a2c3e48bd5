/**
 * The attack lab with real tabs: for every attack kind a throwaway attacker tab (?lab=1) sends
 * its invalid data to two honest tabs, which keep their valid tip, log the expected reason and,
 * for consensus-invalid data, drop and ban the attacker. Then the 51% lesson, and a fresh honest
 * tab still syncs the honest chain.
 */
import { expect, test, type Page } from '@playwright/test';
import { ATTACKS } from '../../client/lab/attacks.js';

const run = Date.now().toString(36);

interface Api {
  summary(): { tip: string; peers: number; height: number };
  mineOneBlock(): Promise<unknown>;
  p2p: {
    bans: { get(id: string, now: number): { reason: string } | undefined };
    peers: Map<string, unknown>;
  };
}
const node = () => (window as unknown as { tabcoin: Api }).tabcoin;
const call = <T>(page: Page, expression: string) =>
  page.evaluate(`(${node})()${expression}`) as Promise<T>;
const tip = (page: Page) => call<string>(page, '.summary().tip');
const peerCount = (page: Page) => call<number>(page, '.summary().peers');
const banReason = (page: Page, id: string) =>
  call<string>(page, `.p2p.bans.get(${JSON.stringify(id)}, Date.now())?.reason ?? ''`);
const linked = (page: Page, id: string) =>
  call<boolean>(page, `.p2p.peers.has(${JSON.stringify(id)})`);

async function open(page: Page, name: string, lab = false): Promise<Page> {
  await page.goto(`/?network=regtest&node=${name}-${run}${lab ? '&lab=1' : ''}`);
  await page.waitForFunction(() => 'tabcoin' in window);
  return page;
}

test('honest tabs refuse every attack with its reason, ban the attacker, and keep their tip', async ({
  context,
}) => {
  test.setTimeout(300_000);
  const honest = [
    await open(await context.newPage(), 'honest1'),
    await open(await context.newPage(), 'honest2'),
  ];
  await expect.poll(() => peerCount(honest[0]!), { timeout: 30_000 }).toBe(1);
  // Rewards on the chain mature: some attacks spend or misuse a mature coin.
  for (let i = 0; i < 12; i++) await call(honest[0]!, '.mineOneBlock()');
  await expect.poll(() => tip(honest[1]!)).toBe(await tip(honest[0]!));

  for (const attack of ATTACKS) {
    await test.step(attack.title, async () => {
      const name = `atk-${attack.kind}`;
      const attacker = await open(await context.newPage(), name, true);
      await expect.poll(() => peerCount(attacker), { timeout: 30_000 }).toBe(2);
      await expect.poll(() => tip(attacker)).toBe(await tip(honest[0]!));
      if (attack.needsCoins) {
        await attacker.getByRole('button', { name: /Fund the lab key/ }).click();
        await expect(attacker.getByRole('list', { name: 'Lab results' })).toContainText(
          'lab key funded',
          {
            timeout: 30_000,
          },
        );
        await expect.poll(() => tip(honest[0]!)).toBe(await tip(attacker));
      }
      const before = await Promise.all(honest.map(tip));
      await attacker.getByRole('button', { name: `Send once: ${attack.title}` }).click();
      await expect(attacker.getByRole('list', { name: 'Lab results' })).toContainText(
        `sent ${attack.kind}`,
      );

      for (const page of honest) {
        await expect(page.getByRole('list', { name: 'Event log' })).toContainText(attack.reason, {
          timeout: 20_000,
        });
        const id = `${name}-${run}`;
        if (attack.bans) {
          await expect.poll(() => banReason(page, id)).toContain(attack.reason);
          expect(await linked(page, id)).toBe(false);
        }
      }
      const after = await Promise.all(honest.map(tip));
      if (attack.kind === 'double-spend-chain')
        expect(after[0]).toBe(after[1]); // its first block is valid
      else expect(after).toEqual(before);
      await attacker.close();
    });
  }

  await test.step('a heavier hidden chain erases a payment', async () => {
    const attacker = await open(await context.newPage(), 'atk-51', true);
    await expect.poll(() => peerCount(attacker), { timeout: 30_000 }).toBe(2);
    await attacker.getByRole('button', { name: /Fund the lab key/ }).click();
    await expect(attacker.getByRole('list', { name: 'Lab results' })).toContainText(
      'lab key funded',
      {
        timeout: 30_000,
      },
    );
    await attacker.getByRole('button', { name: /hidden heavier chain/ }).click();
    await expect(attacker.getByRole('list', { name: 'Lab results' })).toContainText('released', {
      timeout: 30_000,
    });
    for (const page of honest) {
      await expect.poll(() => tip(page), { timeout: 20_000 }).toBe(await tip(attacker));
      await expect(page.getByRole('list', { name: 'Event log' })).toContainText('double spend', {
        timeout: 20_000,
      });
    }
    await attacker.close();
  });

  await test.step('a fresh honest tab still syncs the honest chain', async () => {
    const fresh = await open(await context.newPage(), 'fresh');
    await expect.poll(() => tip(fresh), { timeout: 30_000 }).toBe(await tip(honest[0]!));
  });
});
