/**
 * The set of known block entries (every branch) and the indexes that keep work per block
 * independent of the chain's height: children lists (invalidity walks down a subtree), the
 * complete blocks that may beat the tip (fork choice), valid leaves (the most-work header),
 * and a heap of entries by height (pruning visits only what fell behind). Owned by Chain; it
 * holds no chain state beyond the tree itself.
 */
import { hasData, type BlockEntry } from './block-index.js';
import { TipCandidates } from './fork-choice.js';
import { PRUNE_DEPTH } from '../primitives/constants.js';

export class BlockTree {
  private readonly index = new Map<string, BlockEntry>();
  private readonly children = new Map<BlockEntry, Set<BlockEntry>>();
  /** Entries whose body, and every ancestor's body, is known (Core's nChainTx > 0). */
  private readonly complete = new Set<BlockEntry>();
  private readonly candidates = new TipCandidates();
  /** Entries not invalid with no child that is not invalid: the most-work header is one. */
  private readonly validLeaves = new Set<BlockEntry>();
  /** Entries that may become stale, lowest first (lazily cleaned). */
  private readonly byHeight = new HeightHeap();
  private next = 0;
  private best: BlockEntry;

  /** `entries` parents first (as `linkBlockTree` returns them); `tip` is the stored tip. */
  constructor(entries: readonly BlockEntry[], tip: BlockEntry) {
    this.best = tip;
    for (const entry of entries) {
      this.insert(entry);
      if (hasData(entry) && (!entry.parent || this.complete.has(entry.parent))) {
        this.complete.add(entry);
        this.candidates.add(entry);
      }
    }
    for (const entry of entries) if (!this.children.has(entry)) this.byHeight.push(entry);
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

  /** The entries whose parent is `entry`, on every branch. */
  childrenOf(entry: BlockEntry): Iterable<BlockEntry> {
    return this.children.get(entry) ?? [];
  }

  get size(): number {
    return this.index.size;
  }

  /** The valid header with the most work. */
  get bestHeader(): BlockEntry {
    return this.best;
  }

  /** A first-seen number for a new entry (ties in work go to the lowest). */
  takeSequence(): number {
    return this.next++;
  }

  /** Add a new entry (a header just accepted; its parent is in the tree). */
  add(entry: BlockEntry): void {
    this.insert(entry);
    this.byHeight.push(entry);
  }

  private insert(entry: BlockEntry): void {
    this.index.set(entry.id, entry);
    this.next = Math.max(this.next, entry.sequence + 1);
    const parent = entry.parent;
    if (parent) {
      let siblings = this.children.get(parent);
      if (!siblings) this.children.set(parent, (siblings = new Set()));
      siblings.add(entry);
    }
    if (entry.status === 'invalid') return;
    this.validLeaves.add(entry);
    if (parent) this.validLeaves.delete(parent);
    if (entry.chainWork > this.best.chainWork) this.best = entry;
  }

  /**
   * `entry`'s body was accepted. If its parent is complete, it and every descendant whose
   * body was waiting for it become complete, in that order, each numbered afresh (ties go to
   * the first complete block) and offered to fork choice. Returns the entries renumbered.
   */
  bodyArrived(entry: BlockEntry): BlockEntry[] {
    if (entry.parent && !this.complete.has(entry.parent)) return [];
    const done: BlockEntry[] = [];
    const queue = [entry];
    for (let i = 0; i < queue.length; i++) {
      const e = queue[i]!;
      if (this.complete.has(e) || !hasData(e)) continue;
      e.sequence = this.next++;
      this.complete.add(e);
      this.candidates.add(e);
      done.push(e);
      for (const child of this.children.get(e) ?? []) queue.push(child);
    }
    return done;
  }

  /** The complete block that should replace `tip`, if any (see TipCandidates). */
  bestCandidate(tip: BlockEntry): BlockEntry | undefined {
    return this.candidates.best(tip);
  }

  /** `entry` and every entry built on it, walking down the children lists. */
  subtree(entry: BlockEntry): BlockEntry[] {
    const found = [entry];
    for (let i = 0; i < found.length; i++) found.push(...(this.children.get(found[i]!) ?? []));
    return found;
  }

  /**
   * Mark `entry` invalid with `reason` and every descendant with `bad-prevblk`; returns them.
   * Costs the size of the subtree, whatever the height of the chain.
   */
  invalidate(entry: BlockEntry, reason: string, tip: BlockEntry): BlockEntry[] {
    const doomed = this.subtree(entry);
    let bestDoomed = false;
    for (const e of doomed) {
      e.status = 'invalid';
      e.invalidReason = e === entry ? reason : 'bad-prevblk';
      this.complete.delete(e);
      this.candidates.delete(e);
      this.validLeaves.delete(e);
      if (e === this.best) bestDoomed = true;
    }
    if (entry.parent) this.refreshLeaf(entry.parent);
    if (bestDoomed) this.resetBest(tip);
    return doomed;
  }

  /**
   * Remove side branches with no block (header or full) within PRUNE_DEPTH of the tip's
   * height; returns them lowest first. Pops only entries that fell below that line: a stale
   * leaf goes, then each parent left childless that is not on the active chain. A branch
   * still in reach, even one known by headers only, is kept so a heavier one can take over.
   */
  prune(tip: BlockEntry, isActive: (e: BlockEntry) => boolean): BlockEntry[] {
    const limit = tip.height - PRUNE_DEPTH;
    const doomed: BlockEntry[] = [];
    for (let leaf = this.byHeight.popBelow(limit); leaf; leaf = this.byHeight.popBelow(limit)) {
      let e: BlockEntry | undefined = leaf;
      while (e && this.index.get(e.id) === e && !isActive(e) && !this.children.has(e)) {
        this.remove(e);
        doomed.push(e);
        e = e.parent;
      }
    }
    if (doomed.includes(this.best)) this.resetBest(tip);
    return doomed.sort((a, b) => a.height - b.height);
  }

  private remove(entry: BlockEntry): void {
    this.index.delete(entry.id);
    this.children.delete(entry);
    this.complete.delete(entry);
    this.candidates.delete(entry);
    this.validLeaves.delete(entry);
    const parent = entry.parent;
    if (!parent) return;
    const siblings = this.children.get(parent);
    siblings?.delete(entry);
    if (siblings?.size === 0) this.children.delete(parent);
    this.refreshLeaf(parent);
  }

  /** `entry` is a valid leaf again once no child of it is valid. */
  private refreshLeaf(entry: BlockEntry): void {
    if (entry.status === 'invalid' || this.index.get(entry.id) !== entry) return;
    for (const child of this.children.get(entry) ?? []) if (child.status !== 'invalid') return;
    this.validLeaves.add(entry);
  }

  /** Recompute the best header from the valid leaves (one per branch, not per block). */
  private resetBest(fallback: BlockEntry): void {
    this.best = fallback;
    for (const leaf of this.validLeaves) if (leaf.chainWork > this.best.chainWork) this.best = leaf;
  }
}

/**
 * A binary min-heap of entries by height: every new entry is pushed, and pruning pops only
 * the ones that fell too far behind the tip instead of scanning the whole tree.
 */
class HeightHeap {
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
