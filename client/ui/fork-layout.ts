/**
 * Lays out the recent block tree for `tc-fork-tree` (no DOM): the active chain on lane 0, each
 * side branch on a lane of its own, columns by height.
 */
import { ancestorAt, type BlockEntry, type Chain } from '../../core/index.js';

export interface TreeNode {
  entry: BlockEntry;
  lane: number;
  active: boolean;
  /** On the best header chain ahead of the tip: its body is still downloading. */
  downloading: boolean;
}

export interface SideBranch {
  lane: number;
  /** Lowest and highest block of the branch. */
  first: BlockEntry;
  tip: BlockEntry;
  length: number;
}

export interface ForkLayout {
  nodes: TreeNode[];
  branches: SideBranch[];
  minHeight: number;
  maxHeight: number;
  lanes: number;
}

/**
 * Lay out every known block within `depth` heights of the best header. The cost is bounded by
 * the blocks near those heights, not by the chain: the tree is walked down the children lists
 * from the active and best-header chains' ancestors `depth` heights below the window, so a side
 * branch shows if it forks at most that far below the window (older ones are pruned anyway).
 */
export function layoutForks(chain: Chain, depth: number): ForkLayout {
  const best = chain.bestHeader;
  const maxKnown = Math.max(best.height, chain.height);
  const minHeight = Math.max(0, maxKnown - depth + 1);
  const rootHeight = Math.max(0, minHeight - depth);
  const roots = new Set<BlockEntry>();
  for (const tip of [chain.tip, best]) {
    // A tip below the window (far behind in a sync) is reached from the best header's root.
    const root = tip.height >= rootHeight ? ancestorAt(tip, rootHeight) : undefined;
    if (root) roots.add(root);
  }
  const inWindow: BlockEntry[] = [];
  const queue = [...roots];
  const seen = new Set<BlockEntry>(queue);
  for (let i = 0; i < queue.length; i++) {
    const entry = queue[i]!;
    if (entry.height >= minHeight) inWindow.push(entry);
    for (const child of chain.children(entry)) {
      if (seen.has(child)) continue;
      seen.add(child);
      queue.push(child);
    }
  }
  inWindow.sort((a, b) => a.height - b.height || a.sequence - b.sequence);
  // Headers ahead of the tip on the most-work chain continue lane 0 while their bodies arrive.
  const ahead = new Set<string>();
  if (best.chainWork > chain.tip.chainWork) {
    for (let e: BlockEntry | undefined = best; e && e.height >= minHeight; e = e.parent)
      if (!chain.isActive(e)) ahead.add(e.id);
  }
  const laneOf = new Map<string, number>();
  const claimed = new Set<string>(); // parents whose lane a child already continues
  const nodes: TreeNode[] = [];
  const branches = new Map<number, SideBranch>();
  let lanes = 1;
  let maxHeight = minHeight;
  for (const entry of inWindow) {
    maxHeight = Math.max(maxHeight, entry.height);
    const active = chain.isActive(entry);
    const downloading = ahead.has(entry.id);
    let lane = 0;
    if (!active && !downloading) {
      const parent = entry.parent;
      const parentLane = parent ? laneOf.get(parent.id) : undefined;
      if (parent && parentLane !== undefined && parentLane > 0 && !claimed.has(parent.id)) {
        lane = parentLane;
        claimed.add(parent.id);
      } else {
        lane = lanes++;
      }
      const branch = branches.get(lane);
      if (branch) {
        branch.tip = entry;
        branch.length++;
      } else branches.set(lane, { lane, first: entry, tip: entry, length: 1 });
    }
    laneOf.set(entry.id, lane);
    nodes.push({ entry, lane, active, downloading });
  }
  return { nodes, branches: [...branches.values()], minHeight, maxHeight, lanes };
}
