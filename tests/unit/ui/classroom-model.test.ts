/**
 * client/ui/classroom/classroom-model.ts: claims checked against the view's own headers, links,
 * who had a block when, and forks from their appearance to their resolution (injected clock).
 */
import { describe, expect, it } from 'vitest';
import { hexToHash, type StatusReport } from '../../../core/index.js';
import { ClassroomModel } from '../../../client/ui/classroom/classroom-model.js';
import type { StatusEntry } from '../../../client/net/status-table.js';
import { NOW, buildBranch, carol, mineBlocks, openNode } from '../../helpers/regtest.js';

function entry(
  origin: string,
  tip: string,
  height: number,
  madeAt: number,
  extra: Partial<StatusReport> = {},
): StatusEntry {
  return {
    report: {
      origin,
      seq: 1,
      ageMs: 0,
      hops: 0,
      mining: false,
      anonymous: false,
      name: origin,
      tip: hexToHash(tip),
      height,
      hashrate: 0,
      peerCount: 2,
      links: [],
      arrivals: [],
      ...extra,
    },
    madeAt,
    distance: origin === 'view' ? 0 : 1,
    from: origin === 'view' ? '' : origin,
  };
}

async function setup() {
  const { node } = await openNode();
  await mineBlocks(node, 3);
  const chain = node.chain;
  const clock = { ms: 50_000 };
  const model = new ClassroomModel('view', () => clock.ms);
  return { node, chain, clock, model };
}

describe('ClassroomModel', () => {
  it('verifies heights and tips against known headers; a liar cannot claim a block', async () => {
    const { chain, clock, model } = await setup();
    const tip = chain.tip.id;
    const unknown = 'ab'.repeat(32);
    const snap = model.update(
      [
        entry('view', tip, 3, clock.ms, { links: ['honest', 'liar', 'ghost'] }),
        entry('honest', tip, 3, clock.ms, { links: ['view'], mining: true, hashrate: 1234 }),
        entry('liar', unknown, 900, clock.ms, {
          arrivals: [{ block: hexToHash(unknown), agoMs: 5 }],
        }),
        entry('fibber', tip, 7, clock.ms),
        entry('shy', chain.entryAt(1)!.id, 1, clock.ms, { anonymous: true, name: '' }),
        entry('tricky', tip, 3, clock.ms, { name: '\u202Eevil\u0000' }),
      ],
      chain,
    );
    const byId = new Map(snap.nodes.map((n) => [n.id, n]));
    expect(byId.get('honest')).toMatchObject({
      claim: 'verified',
      height: 3,
      branch: 'main',
      mining: true,
      hashrate: 1234,
      peerCount: 2,
    });
    expect(byId.get('liar')).toMatchObject({ claim: 'unverified', claimedHeight: 900 });
    expect(byId.get('fibber')).toMatchObject({ claim: 'false', claimedHeight: 7, height: 7 });
    expect(byId.get('shy')).toMatchObject({ label: 'anonymous 1', height: 1, branch: 'main' });
    expect(byId.get('tricky')?.label).toBe('evil');
    expect(byId.get('view')?.self).toBe(true);
    // Links between visible nodes only, each once.
    expect(snap.links).toEqual([
      ['honest', 'view'],
      ['liar', 'view'],
    ]);
    // An arrival of a block the view does not know is not shown.
    expect(snap.spreads).toEqual([]);
  });

  it('orders who had a block when, on the view clock', async () => {
    const { chain, clock, model } = await setup();
    const tip = chain.tip.id;
    const block = hexToHash(tip);
    const snap = model.update(
      [
        entry('view', tip, 3, clock.ms, { arrivals: [{ block, agoMs: 40 }] }),
        entry('a', tip, 3, clock.ms - 1000, { arrivals: [{ block, agoMs: 0 }] }),
        entry('b', tip, 3, clock.ms, { arrivals: [{ block, agoMs: 1500 }] }),
      ],
      chain,
    );
    expect(snap.spreads).toHaveLength(1);
    expect(snap.spreads[0]).toMatchObject({ id: tip, height: 3, firstAt: clock.ms - 1500 });
    expect(snap.spreads[0]!.steps).toEqual([
      { node: 'b', label: 'b', offsetMs: 0 },
      { node: 'a', label: 'a', offsetMs: 500 },
      { node: 'view', label: 'view', offsetMs: 1460 },
    ]);
  });

  it('shows a fork when it appears and its resolution when every node is back on one branch', async () => {
    const { node, chain, clock, model } = await setup();
    const parent = chain.entryAt(2)!;
    const [side] = buildBranch(parent, 1, 9, carol);
    expect((await node.processBlock(side!, NOW)).ok).toBe(true);
    const mainTip = chain.tip.id;
    const sideTip = [...chain.entries()].find((e) => e.height === 3 && e.id !== mainTip)!.id;
    const forked = model.update(
      [
        entry('view', mainTip, 3, clock.ms),
        entry('a', mainTip, 3, clock.ms),
        entry('b', sideTip, 3, clock.ms),
        entry('late', chain.entryAt(1)!.id, 1, clock.ms),
      ],
      chain,
    );
    expect(forked.nodes.find((n) => n.id === 'b')).toMatchObject({
      branch: 'fork',
      claim: 'verified',
    });
    expect(forked.forks).toHaveLength(1);
    const fork = forked.forks[0]!;
    expect(fork).toMatchObject({ forkPoint: parent.id, height: 2, seenAt: clock.ms });
    expect(fork.resolvedAt).toBeUndefined();
    expect(fork.branches.map((b) => [b.root, b.nodes])).toEqual(
      expect.arrayContaining([
        [sideTip, ['b']],
        [mainTip, ['view', 'a']],
      ]),
    );

    // The main branch grows; b follows it: the fork resolves in favour of the main branch.
    await mineBlocks(node, 1);
    clock.ms += 3_000;
    const next = chain.tip.id;
    const resolved = model.update(
      [
        entry('view', next, 4, clock.ms),
        entry('a', next, 4, clock.ms),
        entry('b', next, 4, clock.ms),
      ],
      chain,
    );
    expect(resolved.nodes.every((n) => n.branch === 'main')).toBe(true);
    expect(resolved.forks[0]).toMatchObject({
      forkPoint: parent.id,
      resolvedAt: clock.ms,
      winner: mainTip,
    });
  });
});
