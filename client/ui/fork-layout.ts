/**
 * Lays out the recent block tree for `tc-fork-tree` (no DOM): the active chain on lane 0, each
 * side branch on a lane of its own, columns by height.
 */
import type { BlockEntry, Chain } from '../../core/index.js';

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

/** Lay out every known block within `depth` heights of the best header. */
export function layoutForks(chain: Chain, depth: number): ForkLayout {
  const maxKnown = Math.max(chain.bestHeader.height, chain.height);
  const minHeight = Math.max(0, maxKnown - depth + 1);
  const inWindow = [...chain.entries()].filter((e) => e.height >= minHeight);
  inWindow.sort((a, b) => a.height - b.height || a.sequence - b.sequence);
  // Headers ahead of the tip on the most-work chain continue lane 0 while their bodies arrive.
  const ahead = new Set<string>();
  if (chain.bestHeader.chainWork > chain.tip.chainWork) {
    for (let e: BlockEntry | undefined = chain.bestHeader; e && !chain.isActive(e); e = e.parent)
      ahead.add(e.id);
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
