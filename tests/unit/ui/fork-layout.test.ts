/** Fork tree layout: the active chain on lane 0, side branches on lanes of their own. */
import { describe, expect, it } from 'vitest';
import { headerId } from '../../../core/index.js';
import { layoutForks } from '../../../client/ui/fork-layout.js';
import {
  NOW,
  buildBlock,
  buildBranch,
  mineBlocks,
  openNode,
  testKey,
} from '../../helpers/regtest.js';
import { nodeAtHeight } from '../../helpers/tall-chain.js';

describe('layoutForks', () => {
  it('puts a competing block on its own lane and counts it as a side branch', async () => {
    const { node } = await openNode();
    await mineBlocks(node, 3);
    const rival = buildBlock(node.chain.entryAt(1)!, { payTo: testKey(9) });
    const result = await node.processBlock(rival, NOW);
    expect(result.ok && result.status).toBe('side-branch');

    const layout = layoutForks(node.chain, 24);
    expect(layout.lanes).toBe(2);
    expect(layout.branches).toHaveLength(1);
    expect(layout.branches[0]).toMatchObject({ lane: 1, length: 1 });
    expect(layout.branches[0]!.first.height).toBe(2);
    expect(layout.nodes.filter((n) => n.active).map((n) => n.lane)).toEqual([0, 0, 0, 0]);
  });

  it('continues a branch on one lane, and shows only the last `depth` heights', async () => {
    const { node } = await openNode();
    await mineBlocks(node, 5);
    let parent = node.chain.entryAt(3)!;
    for (let i = 0; i < 2; i++) {
      const block = buildBlock(parent, { payTo: testKey(9) });
      await node.processBlock(block, NOW);
      parent = node.chain.getEntry(headerId(block.header))!;
    }
    const layout = layoutForks(node.chain, 4);
    expect(layout.minHeight).toBe(2);
    expect(layout.branches).toEqual([expect.objectContaining({ lane: 1, length: 2 })]);
    expect(layout.nodes.every((n) => n.entry.height >= 2)).toBe(true);
  });

  it('keeps headers ahead of the tip on lane 0 as downloading, not as a branch', async () => {
    const { node } = await openNode();
    await mineBlocks(node, 2);
    const ahead = buildBlock(node.chain.tip);
    await node.chain.acceptHeaders([ahead.header], NOW);
    const layout = layoutForks(node.chain, 24);
    expect(layout.branches).toEqual([]);
    const last = layout.nodes.at(-1)!;
    expect(last).toMatchObject({ lane: 0, active: false, downloading: true });
  });

  it('visits only the blocks near the window, however tall the chain or long the headers ahead', async () => {
    const state = await nodeAtHeight(3000);
    const chain = state.chain;
    // 1,000 headers ahead of the tip (a sync in progress) and a side block near the top.
    const ahead = buildBranch(chain.tip, 1000, 1, testKey(2));
    expect(
      (
        await chain.acceptHeaders(
          ahead.map((b) => b.header),
          NOW,
        )
      ).rejection,
    ).toBeUndefined();
    const side = buildBlock(chain.getEntry(headerId(ahead[990]!.header))!, { payTo: testKey(9) });
    expect((await chain.acceptHeaders([side.header], NOW)).rejection).toBeUndefined();
    let visited = 0;
    const children = chain.children.bind(chain);
    chain.children = (entry) => {
      visited++;
      return children(entry);
    };
    const layout = layoutForks(chain, 24);
    expect(visited).toBeLessThanOrEqual(2 * 24 + 1);
    expect(layout.minHeight).toBe(4000 - 23);
    expect(layout.nodes).toHaveLength(24 + 1);
    expect(layout.nodes.filter((n) => n.downloading)).toHaveLength(24);
    expect(layout.branches).toEqual([expect.objectContaining({ lane: 1, length: 1 })]);
  });
});
