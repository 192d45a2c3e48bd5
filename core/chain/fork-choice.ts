/**
 * Fork choice: which block should be the tip. Bitcoin Core's setBlockIndexCandidates, kept
 * incrementally: a block joins the candidates when it becomes complete (its body and every
 * ancestor's body are known), and candidates the tip beats are dropped as they are met, so
 * choosing the tip looks only at the few blocks that could beat it, never at the whole tree.
 */
import type { BlockEntry } from './block-index.js';

/**
 * Fork choice order: most cumulative work first; ties to the lowest sequence, which is the
 * order in which blocks became complete (see `BlockEntry.sequence`).
 */
export function isBetterTip(candidate: BlockEntry, tip: BlockEntry): boolean {
  return (
    candidate.chainWork > tip.chainWork ||
    (candidate.chainWork === tip.chainWork && candidate.sequence < tip.sequence)
  );
}

/**
 * Complete, not-invalid blocks that may beat the tip. Invariant: for every complete valid
 * block there is a candidate at least as good, or the tip itself is (a candidate is dropped
 * only when the tip beats it, and the tip is never invalidated), so `best` finds the most-work
 * complete branch. Its path back to the active chain has every body (complete) and nothing
 * invalid (invalidity is pushed down to every descendant).
 */
export class TipCandidates {
  private readonly set = new Set<BlockEntry>();

  get size(): number {
    return this.set.size;
  }

  add(entry: BlockEntry): void {
    this.set.add(entry);
  }

  delete(entry: BlockEntry): void {
    this.set.delete(entry);
  }

  /** The candidate that should replace `tip` (undefined if none beats it); drops the beaten. */
  best(tip: BlockEntry): BlockEntry | undefined {
    let best: BlockEntry | undefined;
    for (const entry of this.set) {
      if (entry === tip) continue;
      if (entry.status === 'invalid' || isBetterTip(tip, entry)) this.set.delete(entry);
      else if (!best || isBetterTip(entry, best)) best = entry;
    }
    return best;
  }
}
