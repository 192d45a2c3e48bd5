/**
 * The attack lab over in-memory links: for every attack kind, two honest nodes refuse the data
 * with the expected reason, ban the attacker where the rule is consensus, and keep their tip.
 * The attacks whose defence lives in core/ (header poisoning, future-time griefing) are in
 * attack-lab-core.test.ts; "rejoin under new ids" has its own test below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COINBASE_MATURITY } from '../../core/index.js';
import { ATTACKS, type AttackKind } from '../../client/lab/attacks.js';
import { AttackLab } from '../../client/lab/lab.js';
import type { RefusedEvent } from '../../client/net/p2p.js';
import { buildBlock, testKey } from '../helpers/regtest.js';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { clock, link, makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { CORE_DEFENDED, joinAttacker } from '../helpers/lab.js';

/** Attacks that relay a valid block of their own first (the honest tips move, together). */
const MOVES_TIPS: ReadonlySet<AttackKind> = new Set(['double-spend-chain', 'getdata-flood']);
const GENERIC = ATTACKS.filter((a) => !CORE_DEFENDED.has(a.kind) && a.kind !== 'rejoin-new-ids');

const attackerKey = testKey(66);
const nodes: TestNode[] = [];
let honest: TestNode[];

beforeAll(async () => {
  honest = [await makeNode('honest-1'), await makeNode('honest-2')];
  nodes.push(...honest);
  link(honest[0]!, honest[1]!);
  // The attacker's key earns mature coins on the shared chain first (honestly).
  for (let i = 0; i < COINBASE_MATURITY + 3; i++) {
    const block = buildBlock(honest[0]!.state.chain.tip, { payTo: attackerKey });
    await honest[0]!.p2p.submitBlock(block, 'local');
  }
  const deadline = Date.now() + 10_000;
  while (honest[1]!.state.chain.height < COINBASE_MATURITY + 3) {
    if (Date.now() > deadline) throw new Error('honest nodes did not sync the setup chain');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});

afterAll(() => stopAll(nodes.splice(0)));

describe.each(GENERIC.map((a) => [a.kind, a] as const))('attack: %s', (kind, spec) => {
  it(`is refused with ${spec.reason}${spec.bans ? ' and the attacker is banned' : ''}`, async () => {
    const { attacker, lab } = await joinAttacker(`evil-${kind}`, honest, nodes, attackerKey);
    const tips = honest.map((h) => h.state.chain.tip.id);
    const seen: RefusedEvent[][] = honest.map(() => []);
    honest.forEach((h, i) =>
      h.p2p.on('refused', (r) => r.from === attacker.name && seen[i]!.push(r)),
    );

    const failures: string[] = [];
    lab.on('failed', (f) => failures.push(f.message));
    expect(await lab.launch(kind)).toBe(2);
    expect(failures).toEqual([]);

    for (const [i, h] of honest.entries()) {
      await expect
        .poll(() => seen[i]!.map((r) => r.reason), { timeout: 10_000 })
        .toContain(spec.reason);
      if (spec.bans) {
        await expect
          .poll(() => h.p2p.bans.get(attacker.name, clock.ms)?.reason ?? '')
          .toMatch(spec.banReason ?? spec.reason);
        expect(h.p2p.peers.has(attacker.name)).toBe(false);
      } else {
        expect(h.p2p.bans.get(attacker.name, clock.ms)).toBeUndefined();
      }
    }
    // Honest tips only move for valid blocks (the double spend's first block is valid).
    const after = honest.map((h) => h.state.chain.tip.id);
    if (MOVES_TIPS.has(kind)) expect(after[0]).toBe(after[1]);
    else expect(after).toEqual(tips);
  });
});

describe('attack: rejoin-new-ids', () => {
  it('a banned attacker gets back in under new ids only 3 times per honest node', async () => {
    const origin = 'lab-machine';
    const attacker = await makeNode('evil-rejoin');
    nodes.push(attacker);
    for (const h of honest) {
      const [ah, ha] = memoryLinkPair(attacker.name, h.name);
      attacker.p2p.addLink(ah);
      h.p2p.addLink(ha, origin);
    }
    await expect
      .poll(() => [...attacker.p2p.peers.values()].filter((p) => p.state === 'ready').length)
      .toBe(2);
    const throttled = honest.map(() => 0);
    honest.forEach((h, i) =>
      h.p2p.on('refused', (r) => r.reason === 'origin-throttled' && throttled[i]!++),
    );
    const lab = new AttackLab(
      {
        state: attacker.state,
        p2p: attacker.p2p,
        pubkey: attackerKey.pubkey,
        secretKey: () => attackerKey.secret,
        // A fresh id from the same machine: the honest node sees the same origin.
        sybil: async (id, remoteId) => {
          const victim = honest.find((h) => h.name === remoteId)!;
          const [ours, theirs] = memoryLinkPair(id, remoteId);
          return victim.p2p.addLink(theirs, origin) ? ours : undefined;
        },
      },
      () => clock.ms,
    );
    const rejoined: { tried: number; admitted: number }[] = [];
    lab.on('rejoined', (r) => rejoined.push(r));
    expect(await lab.launch('rejoin-new-ids')).toBe(2);
    // 6 fresh ids per honest node: 3 admitted (and banned again at once), 3 throttled.
    expect(rejoined).toEqual([{ tried: 12, admitted: 6 }]);
    expect(throttled).toEqual([3, 3]);
    for (const h of honest) {
      expect(h.p2p.bans.get(attacker.name, clock.ms)?.reason).toMatch(/^bad-message-type/);
      await expect
        .poll(
          () =>
            [...Array(6).keys()].filter((i) =>
              [1, 2].some((v) => h.p2p.bans.get(`evil-rejoin-s${v}-${i + 1}`, clock.ms)),
            ).length,
        )
        .toBe(3);
      expect([...h.p2p.peers.keys()].filter((id) => id.startsWith('evil-rejoin'))).toEqual([]);
    }
  });
});

describe('after every attack', () => {
  it('a fresh honest node still syncs the honest chain', async () => {
    const fresh = await makeNode('fresh');
    nodes.push(fresh);
    link(fresh, honest[0]!);
    await expect
      .poll(() => fresh.state.chain.tip.id, { timeout: 20_000 })
      .toBe(honest[0]!.state.chain.tip.id);
  });
});

describe('a heavier hidden chain (51% double spend)', () => {
  it('makes honest nodes reorganise and shows the erased payment as double-spent', async () => {
    const attacker = await makeNode('evil-51');
    nodes.push(attacker);
    for (const h of honest) link(attacker, h);
    await expect.poll(() => attacker.state.chain.tip.id).toBe(honest[0]!.state.chain.tip.id);
    const reorgs: { depth: number; doubleSpent: string[] }[][] = honest.map(() => []);
    honest.forEach((h, i) => h.p2p.on('reorg', (r) => reorgs[i]!.push(r)));
    const lab = new AttackLab(
      {
        state: attacker.state,
        p2p: attacker.p2p,
        pubkey: attackerKey.pubkey,
        secretKey: () => attackerKey.secret,
      },
      () => clock.ms,
    );
    const result = await lab.hiddenChain(testKey(99).pubkey);
    expect(result).toBeDefined();
    for (const [i, h] of honest.entries()) {
      await expect
        .poll(() => h.state.chain.tip.id, { timeout: 10_000 })
        .toBe(attacker.state.chain.tip.id);
      expect(reorgs[i]!.at(-1)?.doubleSpent).toContain(result!.paid);
      expect(h.p2p.bans.get('evil-51', clock.ms)).toBeUndefined(); // a valid chain is not misbehaviour
    }
  });
});
