/**
 * A binary min-heap of block entries by height: the block tree pushes every new entry and pops
 * the ones that have fallen too far behind the tip, so pruning visits only stale entries
 * instead of scanning the whole tree.
 */
import type { BlockEntry } from './block-index.js';

export class HeightHeap {
  private readonly items: BlockEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: BlockEntry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (items[up]!.height <= entry.height) break;
      items[i] = items[up]!;
      i = up;
    }
    items[i] = entry;
  }

  /** Remove and return the lowest entry if its height is below `height`. */
  popBelow(height: number): BlockEntry | undefined {
    const items = this.items;
    const top = items[0];
    if (!top || top.height >= height) return undefined;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child =
          right < items.length && items[right]!.height < items[left]!.height ? right : left;
        if (items[child]!.height >= last.height) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
