/**
 * Blocks whose parent we do not have yet, held until it arrives. Bounded: past `maxBlocks` the
 * oldest is dropped, so a peer cannot fill memory with blocks that never connect (each one
 * already passed its proof-of-work check, so spamming it costs real work).
 */
import type { Block } from '../primitives/block.js';

export const DEFAULT_MAX_ORPHAN_BLOCKS = 64;

export class OrphanBlocks {
  private readonly blocks = new Map<string, { block: Block; prevId: string }>();
  private readonly byParent = new Map<string, Set<string>>();

  constructor(readonly maxBlocks = DEFAULT_MAX_ORPHAN_BLOCKS) {}

  get size(): number {
    return this.blocks.size;
  }

  has(id: string): boolean {
    return this.blocks.has(id);
  }

  add(id: string, prevId: string, block: Block): void {
    if (this.blocks.has(id)) return;
    if (this.blocks.size >= this.maxBlocks) {
      const oldest = this.blocks.keys().next().value;
      if (oldest !== undefined) this.remove(oldest);
    }
    this.blocks.set(id, { block, prevId });
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
    const siblings = this.byParent.get(orphan.prevId);
    siblings?.delete(id);
    if (siblings?.size === 0) this.byParent.delete(orphan.prevId);
  }
}
