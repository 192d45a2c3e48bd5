/**
 * The set of known block entries (every branch) with first-seen sequence numbers and the
 * most-work valid header. Owned by Chain; it holds no chain state beyond the tree itself.
 */
import { ancestorAt, type BlockEntry } from './block-index.js';

export class BlockTree {
  private readonly index = new Map<string, BlockEntry>();
  private next = 0;
  private best: BlockEntry;

  constructor(entries: readonly BlockEntry[], fallbackBest: BlockEntry) {
    this.best = fallbackBest;
    for (const entry of entries) this.add(entry);
  }

  get(id: string): BlockEntry | undefined {
    return this.index.get(id);
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  values(): IterableIterator<BlockEntry> {
    return this.index.values();
  }

  /** The valid header with the most work. */
  get bestHeader(): BlockEntry {
    return this.best;
  }

  /** A first-seen number for a new entry (ties in work go to the lowest). */
  takeSequence(): number {
    return this.next++;
  }

  add(entry: BlockEntry): void {
    this.index.set(entry.id, entry);
    this.next = Math.max(this.next, entry.sequence + 1);
    if (entry.status !== 'invalid' && entry.chainWork > this.best.chainWork) this.best = entry;
  }

  /** `entry` and every entry built on it. */
  subtree(entry: BlockEntry): BlockEntry[] {
    return [...this.index.values()].filter((e) => ancestorAt(e, entry.height) === entry);
  }

  delete(ids: readonly string[]): void {
    for (const id of ids) this.index.delete(id);
  }

  /** Recompute the best header after entries were invalidated or removed. */
  resetBest(fallback: BlockEntry): void {
    this.best = fallback;
    for (const entry of this.index.values()) {
      if (entry.status !== 'invalid' && entry.chainWork > this.best.chainWork) this.best = entry;
    }
  }
}
