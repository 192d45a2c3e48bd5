/**
 * The active chain as an array indexed by height (Bitcoin Core's CChain): the tip, an entry at
 * any height and "is this entry on the active chain" in O(1), so answering getheaders or a
 * locator never walks parent links.
 */
import type { BlockHeader } from '../primitives/block.js';
import { blockLocator, type BlockEntry } from './block-index.js';

export class ActiveChain {
  private readonly byHeight: BlockEntry[] = [];

  get tip(): BlockEntry {
    const tip = this.byHeight[this.byHeight.length - 1];
    if (!tip) throw new Error('the active chain is empty before setTip');
    return tip;
  }

  get height(): number {
    return this.byHeight.length - 1;
  }

  at(height: number): BlockEntry | undefined {
    return this.byHeight[height];
  }

  contains(entry: BlockEntry): boolean {
    return this.byHeight[entry.height] === entry;
  }

  /** Make `tip` the active tip, re-linking only the heights where the branch differs. */
  setTip(tip: BlockEntry): void {
    this.byHeight.length = tip.height + 1;
    for (let e: BlockEntry | undefined = tip; e && this.byHeight[e.height] !== e; e = e.parent) {
      this.byHeight[e.height] = e;
    }
  }

  /** Extend by one block whose parent is the tip. */
  push(entry: BlockEntry): void {
    if (entry.parent !== this.byHeight[this.byHeight.length - 1])
      throw new Error(`block ${entry.id} does not extend the active tip`);
    this.byHeight.push(entry);
  }

  pop(): void {
    this.byHeight.pop();
  }

  locator(): string[] {
    return blockLocator(this.tip);
  }

  /**
   * Headers after the first locator id on the active chain (the answer to getheaders): at most
   * `max`, ending early at `stopId`. An unknown locator starts after genesis.
   */
  headersAfter(
    locator: readonly string[],
    find: (id: string) => BlockEntry | undefined,
    stopId: string | undefined,
    max: number,
  ): BlockHeader[] {
    const start = locator.map(find).find((e) => e && this.contains(e));
    const headers: BlockHeader[] = [];
    for (let h = (start?.height ?? 0) + 1; h < this.byHeight.length && headers.length < max; h++) {
      const entry = this.byHeight[h]!;
      headers.push(entry.header);
      if (entry.id === stopId) break;
    }
    return headers;
  }
}
