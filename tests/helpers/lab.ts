/** Attack-lab test helpers shared by the integration tests. */
import { expect } from 'vitest';
import type { AttackKind } from '../../client/lab/attacks.js';
import { AttackLab } from '../../client/lab/lab.js';
import { clock, link, makeNode, type TestNode } from './net.js';
import type { TestKey } from './regtest.js';

/**
 * Attacks whose defence is implemented in core/ (issue 12's consensus half): a body checked
 * against its header's merkle root before anything can mark the header invalid, and a
 * future-time limit of at most 3 block spacings. Their tests live in attack-lab-core.test.ts.
 */
export const CORE_DEFENDED: ReadonlySet<AttackKind> = new Set([
  'header-poisoning',
  'future-time-griefing',
]);

/**
 * A fresh attacker node linked to every honest node, synced to their tip with both links
 * ready, and an attack lab on it paying `key`. Generous waits: earlier attacks can leave
 * large blocks on the chain, and CI machines are busy.
 */
export async function joinAttacker(
  name: string,
  honest: readonly TestNode[],
  nodes: TestNode[],
  key: TestKey,
): Promise<{ attacker: TestNode; lab: AttackLab }> {
  const attacker = await makeNode(name);
  nodes.push(attacker);
  for (const h of honest) link(attacker, h);
  await expect
    .poll(() => attacker.state.chain.tip.id, { timeout: 15_000 })
    .toBe(honest[0]!.state.chain.tip.id);
  await expect
    .poll(() => [...attacker.p2p.peers.values()].filter((p) => p.state === 'ready').length, {
      timeout: 15_000,
    })
    .toBe(honest.length);
  const lab = new AttackLab(
    {
      state: attacker.state,
      p2p: attacker.p2p,
      pubkey: key.pubkey,
      secretKey: () => key.secret,
    },
    () => clock.ms,
  );
  return { attacker, lab };
}
