/**
 * The block dialog's "Send it to the network" over in-memory links: a block tampered locally
 * (block-explain.ts), sent by the attack lab under its original header, is refused by honest
 * nodes with bad-merkle-root; they ban the sender, keep their tip, and do not mark their own
 * copy of that block invalid.
 */
import { afterAll, expect, it } from 'vitest';
import { AttackLab } from '../../client/lab/lab.js';
import type { RefusedEvent } from '../../client/net/p2p.js';
import { tamperBlock } from '../../client/ui/block-explain.js';
import { buildBlock, testKey } from '../helpers/regtest.js';
import { clock, link, makeNode, stopAll, type TestNode } from '../helpers/net.js';

const nodes: TestNode[] = [];
afterAll(() => stopAll(nodes.splice(0)));

it('a tampered block sent through the lab is refused with bad-merkle-root', async () => {
  const honest = [await makeNode('tamper-honest-1'), await makeNode('tamper-honest-2')];
  const attacker = await makeNode('tamper-evil');
  nodes.push(...honest, attacker);
  link(honest[0]!, honest[1]!);
  for (let i = 0; i < 5; i++) {
    await honest[0]!.p2p.submitBlock(buildBlock(honest[0]!.state.chain.tip), 'local');
  }
  for (const h of honest) link(attacker, h);
  for (const n of [honest[1]!, attacker]) {
    await expect
      .poll(() => n.state.chain.tip.id, { timeout: 10_000 })
      .toBe(honest[0]!.state.chain.tip.id);
  }
  await expect
    .poll(() => [...attacker.p2p.peers.values()].filter((p) => p.state === 'ready').length)
    .toBe(2);

  const chain = attacker.state.chain;
  const entry = chain.entryAt(3)!;
  const block = (await chain.getBlock(entry.id))!;
  const following = [4, 5].map((h) => chain.entryAt(h)!.header);
  const tampered = tamperBlock(block, 3, { tx: 0, output: 0, amount: 1n }, following);
  expect(tampered.following.map((f) => f.linked)).toEqual([false, false]);

  const tips = honest.map((h) => h.state.chain.tip.id);
  const seen: RefusedEvent[][] = honest.map(() => []);
  honest.forEach((h, i) =>
    h.p2p.on('refused', (r) => r.from === attacker.name && seen[i]!.push(r)),
  );
  const key = testKey(77);
  const lab = new AttackLab(
    { state: attacker.state, p2p: attacker.p2p, pubkey: key.pubkey, secretKey: () => key.secret },
    () => clock.ms,
  );
  expect(lab.sendBlock(tampered.underOriginalHeader)).toBe(2);

  for (const [i, h] of honest.entries()) {
    await expect
      .poll(() => seen[i]!.map((r) => r.reason), { timeout: 10_000 })
      .toContain('bad-merkle-root');
    await expect
      .poll(() => h.p2p.bans.get(attacker.name, clock.ms)?.reason ?? '')
      .toMatch('bad-merkle-root');
    expect(h.state.chain.getEntry(entry.id)?.status).not.toBe('invalid');
  }
  expect(honest.map((h) => h.state.chain.tip.id)).toEqual(tips);
});
