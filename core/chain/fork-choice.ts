/**
 * Which block should be the tip, and which side branches are stale: pure questions over the
 * block tree, answered for `Chain` (which owns the state and does the writes).
 */
import { hasData, type BlockEntry } from './block-index.js';
import { PRUNE_DEPTH } from '../primitives/constants.js';

/** Fork choice order: most cumulative work first, ties to the first seen (lowest sequence). */
export function isBetterTip(candidate: BlockEntry, tip: BlockEntry): boolean {
  return (
    candidate.chainWork > tip.chainWork ||
    (candidate.chainWork === tip.chainWork && candidate.sequence < tip.sequence)
  );
}

/**
 * The entry that should replace `tip`: the best by `isBetterTip` whose branch back to the
 * active chain has every body and nothing known invalid; undefined if `tip` is already best.
 */
export function bestCandidate(
  entries: Iterable<BlockEntry>,
  tip: BlockEntry,
  isActive: (e: BlockEntry) => boolean,
): BlockEntry | undefined {
  const candidates = [...entries]
    .filter((e) => hasData(e) && isBetterTip(e, tip))
    .sort((a, b) => (isBetterTip(a, b) ? -1 : isBetterTip(b, a) ? 1 : 0));
  for (const candidate of candidates) {
    let e: BlockEntry | undefined = candidate;
    while (e && !isActive(e) && hasData(e)) e = e.parent;
    if (e && isActive(e)) return candidate;
  }
  return undefined;
}

/**
 * Side-branch entries to prune: every one with no block (itself or a descendant) within
 * PRUNE_DEPTH blocks of the tip's height. A branch still in reach, even one known by headers
 * only, is kept so that a heavier branch can always take over.
 */
export function staleEntries(
  entries: Iterable<BlockEntry>,
  tipHeight: number,
  isActive: (e: BlockEntry) => boolean,
): BlockEntry[] {
  const limit = tipHeight - PRUNE_DEPTH;
  const all = [...entries];
  const keep = new Set<BlockEntry>();
  for (const entry of all) {
    if (isActive(entry) || entry.height < limit) continue;
    for (let e: BlockEntry | undefined = entry; e && !isActive(e) && !keep.has(e); e = e.parent) {
      keep.add(e);
    }
  }
  return all.filter((e) => !isActive(e) && !keep.has(e)).sort((a, b) => a.height - b.height);
}
