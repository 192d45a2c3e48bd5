/**
 * The block tree's incremental indexes (issue 12): ties go to the first complete block,
 * invalidity walks down a subtree of any depth, fork choice among many branches matches a
 * brute-force reference, pruning matches the whole-tree rule, and the work to process one block
 * (valid or invalid) does not grow with the height of the chain.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Chain,
  PRUNE_DEPTH,
  ancestorAt,
  type MemoryStore,
  blockLocator,
  headerId,
  type Block,
  type BlockEntry,
  type NodeState,
} from '../../../core/index.js';
import {
  NOW,
  buildBlock,
  carol,
  mineBlocks,
  openNode,
  buildBranch,
} from '../../helpers/regtest.js';
import { childEntry, nodeAtHeight } from '../../helpers/tall-chain.js';
import { seeded } from '../../helpers/seeded.js';

let node: NodeState;
let store: MemoryStore;

beforeEach(async () => {
  ({ node, store } = await openNode());
  await mineBlocks(node, 3);
});

const id = (block: Block) => headerId(block.header);

describe('ties', () => {
  it('go to the first complete block, not the first header seen', async () => {
    const fork = node.chain.tip;
    const a = buildBlock(fork, { extraNonce: 1 });
    const b = buildBlock(fork, { extraNonce: 2 });
    expect((await node.chain.acceptHeader(b.header, NOW)).ok).toBe(true); // B's header first
    expect((await node.processBlock(a, NOW)).ok).toBe(true); // A's body first
    expect(node.chain.tip.id).toBe(id(a));
    const late = await node.processBlock(b, NOW);
    expect(late.ok && late.status).toBe('side-branch');
    expect(late.change.connected).toEqual([]);
    expect(node.chain.tip.id).toBe(id(a));
  });

  it('count a block complete only once its parent body is known too', async () => {
    const fork = node.chain.tip;
    const [a1, a2] = buildBranch(fork, 2, 1, carol);
    const [b1, b2] = buildBranch(fork, 2, 2, carol);
    for (const block of [a1!, a2!, b1!]) await node.chain.acceptHeader(block.header, NOW);
    // A2's body arrives first but its parent's body is missing: not complete yet.
    await node.processBlock(a2!, NOW);
    await node.processBlock(b1!, NOW);
    await node.processBlock(b2!, NOW); // B2 complete now
    expect(node.chain.tip.id).toBe(id(b2!));
    await node.processBlock(a1!, NOW); // A2 complete only now: later than B2
    expect(node.chain.tip.id).toBe(id(b2!));
  });

  it('survive a reload', async () => {
    const fork = node.chain.tip;
    const a = buildBlock(fork, { extraNonce: 1 });
    const b = buildBlock(fork, { extraNonce: 2 });
    await node.chain.acceptHeader(b.header, NOW);
    await node.processBlock(a, NOW);
    await node.processBlock(b, NOW);
    const reopened = await Chain.open(node.params, store);
    expect(reopened.tip.id).toBe(id(a));
  });
});

describe('invalidation walks down the subtree', () => {
  it('marks a 300-header branch invalid from its first body, and leaves a sibling branch alone', async () => {
    const fork = node.chain.tip;
    const sibling = buildBranch(fork, 2, 9, carol);
    for (const block of sibling) await node.processBlock(block, NOW);
    const bad = buildBlock(fork, { extraNonce: 3, coinbaseHeight: 1 });
    const rest = buildBranch(childEntry(fork, bad), 299, 4, carol);
    const outcome = await node.chain.acceptHeaders([bad.header, ...rest.map((b) => b.header)], NOW);
    expect(outcome.rejection).toBeUndefined();
    expect(node.chain.bestHeader.id).toBe(id(rest[rest.length - 1]!));
    const result = await node.processBlock(bad, NOW);
    expect(!result.ok && result.reason).toBe('bad-cb-height');
    expect(node.chain.getEntry(id(bad))?.invalidReason).toBe('bad-cb-height');
    for (const block of rest) {
      expect(node.chain.getEntry(id(block))?.invalidReason).toBe('bad-prevblk');
    }
    expect(node.chain.bestHeader.id).toBe(node.chain.tip.id);
    expect(node.chain.tip.id).toBe(id(sibling[1]!));
    const next = buildBlock(childEntry(childEntry(fork, bad), rest[0]!));
    expect(!(await node.chain.acceptHeader(next.header, NOW)).ok).toBe(true);
    // Building on the sibling still works.
    expect((await node.processBlock(buildBlock(node.chain.tip), NOW)).ok).toBe(true);
  });
});

/** Reference fork choice: the complete block with most work, ties to the earliest completed. */
function expectedTips(
  blocks: readonly Block[],
  parentOf: Map<string, string>,
  order: readonly number[],
  baseId: string,
  height: Map<string, number>,
): Set<string> {
  const have = new Set<string>();
  const completedAt = new Map<string, number>([[baseId, -1]]);
  order.forEach((i, step) => {
    have.add(id(blocks[i]!));
    let grew = true;
    while (grew) {
      grew = false;
      for (const b of blocks) {
        const bid = id(b);
        if (completedAt.has(bid) || !have.has(bid) || !completedAt.has(parentOf.get(bid)!))
          continue;
        completedAt.set(bid, step);
        grew = true;
      }
    }
  });
  const top = Math.max(...[...completedAt.keys()].map((k) => height.get(k)!));
  const atTop = [...completedAt].filter(([k]) => height.get(k) === top);
  const first = Math.min(...atTop.map(([, s]) => s));
  return new Set(atTop.filter(([, s]) => s === first).map(([k]) => k));
}

describe('fork choice among many branches', () => {
  it('matches a brute-force reference for random trees delivered in random order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.boolean(),
        async (seed, headersFirst) => {
          const random = seeded(seed);
          const { node: n } = await openNode();
          await mineBlocks(n, 2);
          const base = n.chain.tip;
          const entries: BlockEntry[] = [base];
          const blocks: Block[] = [];
          const parentOf = new Map<string, string>();
          const height = new Map<string, number>([[base.id, base.height]]);
          for (let i = 0; i < 24; i++) {
            // Parents within PRUNE_DEPTH - 1 of the base, so no branch is ever pruned.
            const open = entries.filter((e) => e.height - base.height < PRUNE_DEPTH - 1);
            const parent = open[Math.floor(random() * open.length)]!;
            const block = buildBlock(parent, { extraNonce: 1000 + i });
            const entry = childEntry(parent, block);
            entries.push(entry);
            blocks.push(block);
            parentOf.set(entry.id, parent.id);
            height.set(entry.id, entry.height);
          }
          if (headersFirst) {
            const byHeight = [...blocks].sort((x, y) => height.get(id(x))! - height.get(id(y))!);
            for (const b of byHeight)
              expect((await n.chain.acceptHeader(b.header, NOW)).ok).toBe(true);
          }
          const order = blocks.map((_, i) => i).sort(() => random() - 0.5);
          for (const i of order) await n.processBlock(blocks[i]!, NOW);
          const expected = expectedTips(blocks, parentOf, order, base.id, height);
          expect(expected.has(n.chain.tip.id)).toBe(true);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });
});

/** The whole-tree pruning rule: non-active entries with nothing at or above `limit`. */
function staleByScan(
  all: readonly BlockEntry[],
  tipHeight: number,
  active: (e: BlockEntry) => boolean,
) {
  const limit = tipHeight - PRUNE_DEPTH;
  const keep = new Set<BlockEntry>();
  for (const entry of all) {
    if (active(entry) || entry.height < limit) continue;
    for (let e: BlockEntry | undefined = entry; e && !active(e); e = e.parent) keep.add(e);
  }
  return new Set(all.filter((e) => !active(e) && !keep.has(e)).map((e) => e.id));
}

describe('pruning', () => {
  it('removes exactly what a whole-tree scan would, block after block', async () => {
    const random = seeded(3);
    const fork = node.chain.tip;
    // Side branches of blocks and of headers only, forking at various depths.
    for (let i = 0; i < 12; i++) {
      const active = node.chain.entryAt(fork.height - Math.floor(random() * 3))!;
      const branch = buildBranch(active, 1 + Math.floor(random() * 4), 50 + i, carol);
      if (i % 3 === 0)
        await node.chain.acceptHeaders(
          branch.map((b) => b.header),
          NOW,
        );
      else for (const b of branch) await node.processBlock(b, NOW);
      await mineBlocks(node, 1);
    }
    for (let i = 0; i < PRUNE_DEPTH + 6; i++) {
      const before = [...node.chain.entries()];
      const [block] = await mineBlocks(node, 1);
      const doomed = staleByScan(before, node.chain.height, (e) => node.chain.isActive(e));
      const after = new Set([...node.chain.entries()].map((e) => e.id));
      const expected = new Set(
        [...before.map((e) => e.id), id(block!)].filter((x) => !doomed.has(x)),
      );
      expect(after).toEqual(expected);
    }
    // In the end only the active chain and the last PRUNE_DEPTH heights' branches remain.
    const sides = [...node.chain.entries()].filter((e) => !node.chain.isActive(e));
    expect(sides.every((e) => e.height >= node.chain.height - PRUNE_DEPTH - 4)).toBe(true);
  });
});

/** Count every read of an entry's links and state, to measure work without a clock. */
function countTouches(entries: Iterable<BlockEntry>): { count: number } {
  const counter = { count: 0 };
  for (const entry of entries) {
    for (const field of ['parent', 'skip', 'status', 'height', 'chainWork', 'sequence'] as const) {
      let value = (entry as unknown as Record<string, unknown>)[field];
      Object.defineProperty(entry, field, {
        get: () => {
          counter.count++;
          return value;
        },
        set: (v) => (value = v),
        configurable: true,
      });
    }
  }
  return counter;
}

async function touchesAt(height: number): Promise<Record<string, number>> {
  const tall = await nodeAtHeight(height);
  const counter = countTouches([...tall.chain.entries()]);
  const measure = async (block: Block) => {
    counter.count = 0;
    await tall.processBlock(block, NOW);
    return counter.count;
  };
  const genesis = tall.chain.entryAt(0)!;
  return {
    valid: await measure(buildBlock(tall.chain.tip, { time: tall.chain.tip.header.time + 1 })),
    invalidOnGenesis: await measure(buildBlock(genesis, { coinbaseHeight: 5, extraNonce: 1 })),
    invalidOnTip: await measure(buildBlock(tall.chain.tip, { coinbaseHeight: 1, extraNonce: 2 })),
  };
}

describe('work per block does not grow with the height of the chain', () => {
  it('touches as many block entries at 6,000 blocks as at 1,500 (up to a log factor)', async () => {
    const low = await touchesAt(1_500);
    const high = await touchesAt(6_000);
    for (const key of Object.keys(low)) {
      expect(high[key]!, key).toBeLessThan(300);
      // ancestorAt follows skip links: O(log height), here at most a few more steps.
      expect(high[key]! - low[key]!, key).toBeLessThanOrEqual(16);
    }
  });

  it('finds ancestors and builds locators in O(log height) steps', async () => {
    const tall = await nodeAtHeight(6_000);
    const tip = tall.chain.tip;
    const counter = countTouches([...tall.chain.entries()]);
    for (const h of [0, 1, 2_999, 5_998]) {
      counter.count = 0;
      expect(ancestorAt(tip, h)).toBe(tall.chain.entryAt(h));
      expect(counter.count).toBeLessThan(200);
    }
    counter.count = 0;
    const locator = blockLocator(tip);
    expect(counter.count).toBeLessThan(3_000);
    expect(locator[locator.length - 1]).toBe(tall.chain.entryAt(0)!.id);
    expect(locator.slice(0, 10)).toEqual(
      Array.from({ length: 10 }, (_, i) => tall.chain.entryAt(6_000 - i)!.id),
    );
  });
});
