/**
 * The attack-lab attacks whose defence lives in core/ (tests/helpers/lab.ts, CORE_DEFENDED),
 * asserting the defended behaviour over in-memory links:
 * - header poisoning: an honest block's header, then its body tampered so it fails a check other
 *   than the merkle root. The body must be refused as not matching its header (bad-merkle-root),
 *   costing only its sender; the honest block, relayed later by an honest node, is accepted with
 *   its child, and the honest relayer is not banned.
 * - future-time griefing: a block dated one spacing past the future-time limit is refused (time-too-new) under a
 *   future-time limit of at most 3 spacings, without a ban (clocks differ).
 * These need the core half of issue 12 and fail without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MONEY, createCoinbase, headerId, type Block, type Tx } from '../../core/index.js';
import { attackSpec } from '../../client/lab/attacks.js';
import { AttackLab } from '../../client/lab/lab.js';
import type { RefusedEvent } from '../../client/net/p2p.js';
import { buildBlock, testKey } from '../helpers/regtest.js';
import { clock, link, makeNode, rawPeer, stopAll, type TestNode } from '../helpers/net.js';
import { joinAttacker } from '../helpers/lab.js';

const attackerKey = testKey(67);
const nodes: TestNode[] = [];
let honest: TestNode[];

beforeAll(async () => {
  honest = [await makeNode('core-honest-1'), await makeNode('core-honest-2')];
  nodes.push(...honest);
  link(honest[0]!, honest[1]!);
  for (let i = 0; i < 3; i++) {
    await honest[0]!.p2p.submitBlock(buildBlock(honest[0]!.state.chain.tip, {}), 'local');
  }
  while (honest[1]!.state.chain.height < 3) await new Promise((r) => setTimeout(r, 10));
});

afterAll(() => stopAll(nodes.splice(0)));

function attackerLab(name: string): Promise<{ attacker: TestNode; lab: AttackLab }> {
  return joinAttacker(name, honest, nodes, attackerKey);
}

function refusals(from: string): RefusedEvent[][] {
  const seen: RefusedEvent[][] = honest.map(() => []);
  honest.forEach((h, i) => h.p2p.on('refused', (r) => r.from === from && seen[i]!.push(r)));
  return seen;
}

/** The honest block reaches both honest nodes from an honest one; then a child of it. */
async function honestBlockAccepted(block: Block): Promise<void> {
  const id = headerId(block.header);
  const result = await honest[0]!.p2p.submitBlock(block, 'local');
  expect(result.ok).toBe(true);
  await expect.poll(() => honest[1]!.state.chain.tip.id).toBe(id);
  const child = buildBlock(honest[1]!.state.chain.tip, { extraNonce: 5 });
  expect((await honest[1]!.p2p.submitBlock(child, 'local')).ok).toBe(true);
  await expect.poll(() => honest[0]!.state.chain.tip.id).toBe(headerId(child.header));
  expect(honest[1]!.p2p.bans.get(honest[0]!.name, clock.ms)).toBeUndefined();
  expect(honest[0]!.p2p.bans.get(honest[1]!.name, clock.ms)).toBeUndefined();
}

describe('attack: header-poisoning', () => {
  it('refuses the tampered body as bad-merkle-root and later accepts the honest block', async () => {
    const spec = attackSpec('header-poisoning');
    const { attacker, lab } = await attackerLab('evil-poison');
    const seen = refusals(attacker.name);
    expect(await lab.launch('header-poisoning')).toBe(2);
    for (const [i, h] of honest.entries()) {
      await expect.poll(() => seen[i]!.map((r) => r.reason)).toContain(spec.reason);
      await expect
        .poll(() => h.p2p.bans.get(attacker.name, clock.ms)?.reason ?? '')
        .toMatch(spec.reason);
    }
    expect(lab.withheld).toBeDefined();
    await honestBlockAccepted(lab.withheld!);
  });

  /** Tamperings of an honest block's body, each failing a different check. */
  const tamperings: [string, (block: Block) => Tx[]][] = [
    ['no transactions', () => []],
    ['coinbase removed', (b) => b.txs.slice(1)],
    ['coinbase twice', (b) => [b.txs[0]!, b.txs[0]!]],
    [
      'a second coinbase',
      (b) => [
        b.txs[0]!,
        createCoinbase({ height: 99, outputs: [{ amount: 1n, pubkey: attackerKey.pubkey }] }),
      ],
    ],
    [
      'an output over the money limit',
      (b) => [{ ...b.txs[0]!, outputs: [{ amount: MAX_MONEY + 1n, pubkey: attackerKey.pubkey }] }],
    ],
  ];

  let tampered = 0;
  it.each(tamperings)(
    'after a body with %s, the honest block and its child are accepted and its relayer is not banned',
    async (_, tamper) => {
      const block = buildBlock(honest[0]!.state.chain.tip, { extraNonce: 77 });
      for (const h of honest) {
        const name = `poisoner-${h.name}-${tampered++}`;
        const raw = rawPeer(h, name);
        await raw.ready;
        await expect.poll(() => h.p2p.peers.get(name)?.state).toBe('ready');
        raw.peer.send({ type: 'headers', headers: [block.header] });
        raw.peer.send({ type: 'block', block: { header: block.header, txs: tamper(block) } });
        await expect.poll(() => h.p2p.peers.has(name)).toBe(false);
        expect(h.state.chain.getEntry(headerId(block.header))?.status).not.toBe('invalid');
      }
      await honestBlockAccepted(block);
    },
  );
});

describe('attack: future-time-griefing', () => {
  it('refuses a block one spacing past the future-time limit as time-too-new, without a ban', async () => {
    const spec = attackSpec('future-time-griefing');
    const { attacker, lab } = await attackerLab('evil-grief');
    const seen = refusals(attacker.name);
    const tips = honest.map((h) => h.state.chain.tip.id);
    expect(await lab.launch('future-time-griefing')).toBe(2);
    for (const [i, h] of honest.entries()) {
      await expect.poll(() => seen[i]!.map((r) => r.reason)).toContain(spec.reason);
      expect(h.p2p.bans.get(attacker.name, clock.ms)).toBeUndefined();
    }
    expect(honest.map((h) => h.state.chain.tip.id)).toEqual(tips);
  });
});
