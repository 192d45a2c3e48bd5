/**
 * Blocks whose parent we do not have yet, held until it arrives. Bounded in count and bytes:
 * past `maxBlocks` blocks or `maxBytes` serialized bytes the oldest are dropped, so a peer
 * cannot fill memory with blocks that never connect. An orphan's difficulty cannot be checked
 * without its parent (only that it meets the network's easiest target), so the byte cap, not
 * proof of work, is what bounds it: 64 orphans of 1 MB would otherwise hold 64 MB.
 */
import { blockSize, type Block } from '../primitives/block.js';

export const DEFAULT_MAX_ORPHAN_BLOCKS = 64;
export const DEFAULT_MAX_ORPHAN_BYTES = 4_000_000;

export class OrphanBlocks {
  private readonly blocks = new Map<string, { block: Block; prevId: string; size: number }>();
  private readonly byParent = new Map<string, Set<string>>();
  private totalBytes = 0;

  constructor(
    readonly maxBlocks = DEFAULT_MAX_ORPHAN_BLOCKS,
    readonly maxBytes = DEFAULT_MAX_ORPHAN_BYTES,
  ) {}

  get size(): number {
    return this.blocks.size;
  }

  /** Serialized bytes held. */
  get bytes(): number {
    return this.totalBytes;
  }

  has(id: string): boolean {
    return this.blocks.has(id);
  }

  add(id: string, prevId: string, block: Block): void {
    if (this.blocks.has(id)) return;
    const size = blockSize(block);
    if (size > this.maxBytes) return;
    while (this.blocks.size >= this.maxBlocks || this.totalBytes + size > this.maxBytes) {
      const oldest = this.blocks.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    this.blocks.set(id, { block, prevId, size });
    this.totalBytes += size;
    let children = this.byParent.get(prevId);
    if (!children) this.byParent.set(prevId, (children = new Set()));
    children.add(id);
  }

  /** Remove and return the orphans whose parent is `parentId`. */
  takeChildren(parentId: string): Block[] {
    const ids = [...(this.byParent.get(parentId) ?? [])];
    return ids.map((id) => {
      const { block } = this.blocks.get(id)!;
      this.remove(id);
      return block;
    });
  }

  private remove(id: string): void {
    const orphan = this.blocks.get(id);
    if (!orphan) return;
    this.blocks.delete(id);
    this.totalBytes -= orphan.size;
    const siblings = this.byParent.get(orphan.prevId);
    siblings?.delete(id);
    if (siblings?.size === 0) this.byParent.delete(orphan.prevId);
  }
}
