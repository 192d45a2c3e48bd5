/**
 * Chain state: the block tree (every branch), fork choice by most cumulative work (the first
 * complete block wins ties), connecting and disconnecting blocks with undo data, reorgs,
 * pruning of stale side branches, and a bounded pool of orphan blocks. Storage goes through
 * the `ChainStore` port, each connect or disconnect one atomic write (batched in memory while
 * far behind: write-cache.ts). Mutations run one at a time. A block's body must match its
 * header before anything can mark it invalid.
 */
import { ActiveChain } from './active-chain.js';
import {
  expectedBits,
  findFork,
  genesisEntry,
  hasData,
  linkBlockTree,
  medianTimePast,
  toStored,
  type BlockEntry,
} from './block-index.js';
import { headerId, type Block, type BlockHeader } from '../primitives/block.js';
import {
  checkBlockBody,
  checkBlockContext,
  checkBlockMatchesHeader,
} from '../consensus/block-checks.js';
import { hashToHex } from '../primitives/bytes.js';
import { connectToStore, disconnectFromStore } from './block-connector.js';
import { BlockTree } from './block-tree.js';
import {
  emptyChange,
  type BlockAccepted,
  type HeadersOutcome,
  type BlockOutcome,
  type TipChange,
} from './chain-outcome.js';
import { headerEntry } from './header-entry.js';
import { deletePruned } from './prune.js';
import { OrphanBlocks } from './orphan-blocks.js';
import type { ChainParams } from '../consensus/params.js';
import { reject, type Rejection, type Result } from '../primitives/result.js';
import { SignatureCache } from '../consensus/sig-cache.js';
import type { ChainStore } from './store.js';
import type { Coin } from '../consensus/utxo.js';
import { CachedStore } from './write-cache.js';
import { MAX_HEADERS_RESULTS, type ChainOptions } from './chain-options.js';

export class Chain {
  private tree!: BlockTree;
  private readonly active = new ActiveChain();
  private readonly orphans: OrphanBlocks;
  /** Bodies accepted during the current call and not written yet (see acceptBlock). */
  private readonly unsavedBodies = new Map<string, Block>();
  /** Entries renumbered in this call (they became complete) and not written yet. */
  private readonly unsavedEntries = new Set<BlockEntry>();
  private queue: Promise<unknown> = Promise.resolve();
  readonly sigCache: SignatureCache;
  /** The write cache in front of storage, when batching (`ChainOptions.writeCache`). */
  readonly cache: CachedStore | undefined;
  private readonly store: ChainStore;

  private constructor(
    readonly params: ChainParams,
    store: ChainStore,
    options: ChainOptions,
  ) {
    this.cache = options.writeCache && new CachedStore(store, options.writeCache);
    this.store = this.cache ?? store;
    this.sigCache = options.sigCache ?? new SignatureCache();
    this.orphans = new OrphanBlocks(options.maxOrphans, options.maxOrphanBytes);
  }

  /** Open the chain kept in `store`, writing the genesis block into a new store. */
  static async open(
    params: ChainParams,
    store: ChainStore,
    options: ChainOptions = {},
  ): Promise<Chain> {
    const chain = new Chain(params, store, options);
    await chain.load();
    // A tab closed between storing a block and connecting it: finish the job now.
    await chain.activateBestChain(emptyChange());
    await chain.cache?.flush();
    return chain;
  }

  private async load(): Promise<void> {
    const stored = await this.store.loadIndex();
    if (stored.entries.length === 0) {
      const entry = genesisEntry(this.params);
      // The genesis coinbase is not added to the UTXO set (as in Bitcoin).
      await this.store.write({
        putEntries: [toStored(entry)],
        putBlocks: [{ id: entry.id, block: this.params.genesis }],
        tip: entry.id,
      });
      stored.entries.push(toStored(entry));
      stored.tip = entry.id;
    }
    const linked = linkBlockTree(stored.entries, stored.tip, this.params.genesisId);
    this.tree = new BlockTree(linked.entries, linked.tip);
    this.active.setTip(linked.tip);
  }

  /** Run `task` after every earlier mutation has finished. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A mutation at node-clock second `now`; then the write cache flushes if it is due. */
  private mutation<T>(now: number, task: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.cache?.ready();
      const result = await task();
      await this.cache?.settle(now, this.bestHeader.height - this.height);
      return result;
    });
  }

  /** Write every cached change to storage (queued behind running calls). */
  readonly flush = (): Promise<void> => this.exclusive(async () => this.cache?.flush());

  get tip(): BlockEntry {
    return this.active.tip;
  }

  get height(): number {
    return this.active.height;
  }

  /** The valid header with the most work (ahead of the tip while blocks download). */
  get bestHeader(): BlockEntry {
    return this.tree.bestHeader;
  }

  getEntry(id: string): BlockEntry | undefined {
    return this.tree.get(id);
  }

  /** Active-chain entry at `height`. */
  entryAt(height: number): BlockEntry | undefined {
    return this.active.at(height);
  }

  isActive(entry: BlockEntry): boolean {
    return this.active.contains(entry);
  }

  /** Every known block entry, all branches. */
  entries(): IterableIterator<BlockEntry> {
    return this.tree.values();
  }

  /** Entries built on `entry` (every branch): walks that stay near a height, not the tree. */
  children(entry: BlockEntry): Iterable<BlockEntry> {
    return this.tree.childrenOf(entry);
  }

  get orphanCount(): number {
    return this.orphans.size;
  }

  /** Serialized bytes of the orphan blocks held. */
  get orphanBytes(): number {
    return this.orphans.bytes;
  }

  hasOrphan(id: string): boolean {
    return this.orphans.has(id);
  }

  getBlock(id: string): Promise<Block | undefined> {
    return this.store.getBlock(id);
  }

  /** The coins an active block's inputs spent, in block order (its undo data). */
  getUndo(id: string): Promise<Coin[] | undefined> {
    return this.store.getUndo(id);
  }

  getCoins(keys: readonly string[]): Promise<(Coin | undefined)[]> {
    return this.store.getCoins(keys);
  }

  coinsByOwner(pubkeyHex: string): Promise<[string, Coin][]> {
    return this.store.coinsByOwner(pubkeyHex);
  }

  medianTimePast(): number {
    return medianTimePast(this.tip);
  }

  /** Bits the next block on the active tip must carry. */
  nextBits(): number {
    return expectedBits(this.tip, this.params);
  }

  locator(): string[] {
    return this.active.locator();
  }

  /** Headers following the first locator id on our active chain (answer to getheaders). */
  headersAfter(
    locator: readonly string[],
    stopId?: string,
    max = MAX_HEADERS_RESULTS,
  ): BlockHeader[] {
    return this.active.headersAfter(locator, (id) => this.tree.get(id), stopId, max);
  }

  /** Validate a header and add it to the tree without its body (headers-first sync). */
  acceptHeader(header: BlockHeader, now: number): Promise<Result<BlockEntry>> {
    return this.mutation(now, async () => {
      const result = await this.acceptHeaderList([header], now);
      return result.rejection ?? { ok: true, value: result.accepted[0]! };
    });
  }

  /**
   * Validate headers in order (each may build on the one before) and store the new ones in a
   * single write. Stops at the first refusal, which is returned beside what was accepted.
   */
  acceptHeaders(headers: readonly BlockHeader[], now: number): Promise<HeadersOutcome> {
    return this.mutation(now, () => this.acceptHeaderList(headers, now));
  }

  private async acceptHeaderList(
    headers: readonly BlockHeader[],
    now: number,
  ): Promise<HeadersOutcome> {
    const accepted: BlockEntry[] = [];
    const added: BlockEntry[] = [];
    let rejection: Rejection | undefined;
    for (const header of headers) {
      const id = headerId(header);
      const known = this.tree.get(id);
      if (known?.status === 'invalid') {
        rejection = reject(
          known.invalidReason ?? 'bad-prevblk',
          `block ${id} is known to be invalid`,
        );
        break;
      }
      if (known) {
        accepted.push(known);
        continue;
      }
      const result = this.checkNewHeader(header, id, now);
      if (!result.ok) {
        rejection = result;
        break;
      }
      this.tree.add(result.value);
      accepted.push(result.value);
      added.push(result.value);
    }
    if (added.length > 0) await this.store.write({ putEntries: added.map(toStored) });
    return { accepted, rejection };
  }

  /** Context checks for a header not in the tree yet; builds its entry (not stored). */
  private checkNewHeader(header: BlockHeader, id: string, now: number): Result<BlockEntry> {
    const parent = this.tree.get(hashToHex(header.prevHash));
    return headerEntry(header, id, parent, this.params, now, this.tree.takeSequence());
  }

  /**
   * Validate `block` and, if it (or a branch it completes) has the most work, make it the tip.
   * `now` is the node's clock in seconds. Orphans waiting on this block are processed too.
   */
  processBlock(block: Block, now: number): Promise<BlockOutcome> {
    return this.mutation(now, async () => {
      const change = emptyChange();
      const outcome = await this.acceptBlock(block, now, change);
      if (outcome.ok && outcome.status !== 'orphan') {
        await this.activateBestChain(change);
        await this.connectOrphans(outcome.id, now, change);
        await this.saveBodies();
        await this.prune(change);
      }
      if (!outcome.ok) return { ...outcome, change };
      const entry = this.tree.get(outcome.id);
      if (entry?.status === 'invalid') {
        const failure = change.invalid.find((f) => f.id === outcome.id);
        return {
          ...reject(entry.invalidReason ?? 'invalid', failure?.reason ?? 'block failed to connect'),
          id: outcome.id,
          change,
        };
      }
      const status =
        outcome.status === 'orphan'
          ? 'orphan'
          : entry && this.isActive(entry)
            ? 'active'
            : 'side-branch';
      return { ...outcome, status, change };
    });
  }

  private async acceptBlock(
    block: Block,
    now: number,
    change: TipChange,
  ): Promise<BlockAccepted | (Rejection & { id: string; change: TipChange })> {
    const id = headerId(block.header);
    const fail = (r: Rejection) => ({ ...r, id, change });
    const known = this.tree.get(id);
    if (known?.status === 'invalid') {
      return fail(reject(known.invalidReason ?? 'invalid', `block ${id} is known to be invalid`));
    }
    // Proof of work, then: does this body belong to this header? Until it does, a failure
    // is the sender's (a forged or garbled body) and says nothing about the header, which an
    // honest peer may still deliver with its real body.
    const matches = checkBlockMatchesHeader(block, this.params);
    if (!matches.ok) return fail(matches);
    if ((known && hasData(known)) || this.orphans.has(id)) {
      return fail(reject('duplicate', `block ${id} is already known`, 'duplicate'));
    }
    const sane = checkBlockBody(block);
    if (!sane.ok) {
      if (known) await this.markInvalid(known, sane.reason, change);
      return fail(sane);
    }
    const prevId = hashToHex(block.header.prevHash);
    const parent = this.tree.get(prevId);
    if (!parent) {
      this.orphans.add(id, prevId, block);
      return { ok: true, id, status: 'orphan', missingParent: prevId, change };
    }
    let entry = known;
    if (!entry) {
      const added = this.checkNewHeader(block.header, id, now);
      if (!added.ok) return fail(added);
      entry = added.value;
      this.tree.add(entry);
    }
    const context = checkBlockContext(block, entry.height, medianTimePast(parent));
    if (!context.ok) {
      await this.markInvalid(entry, context.reason, change);
      return fail(context);
    }
    entry.status = 'data';
    for (const e of this.tree.bodyArrived(entry)) if (e !== entry) this.unsavedEntries.add(e);
    // Stored with its connect when it extends the chain now (one write, not two), or by
    // `saveBodies` at the end of the call otherwise.
    this.unsavedBodies.set(id, block);
    return { ok: true, id, status: 'side-branch', change };
  }

  /** Process orphans that were waiting for `parentId` (and, in turn, their children). */
  private async connectOrphans(parentId: string, now: number, change: TipChange): Promise<void> {
    const queue = [parentId];
    while (queue.length > 0) {
      for (const orphan of this.orphans.takeChildren(queue.shift()!)) {
        const outcome = await this.acceptBlock(orphan, now, change);
        if (outcome.ok) {
          await this.activateBestChain(change);
          queue.push(outcome.id);
        }
      }
    }
  }

  private async activateBestChain(change: TipChange): Promise<void> {
    for (;;) {
      const best = this.tree.bestCandidate(this.tip);
      if (!best) return;
      const fork = findFork(this.tip, best);
      while (this.tip !== fork) change.disconnected.push(await this.disconnectTip());
      const path: BlockEntry[] = [];
      for (let e: BlockEntry = best; e !== fork; e = e.parent!) path.push(e);
      for (const entry of path.reverse()) {
        const block = await this.connectEntry(entry, change);
        if (!block) break;
        change.connected.push(block);
      }
    }
  }

  /** Store the bodies accepted in this call that did not connect, and renumbered entries. */
  private async saveBodies(): Promise<void> {
    if (this.unsavedBodies.size === 0 && this.unsavedEntries.size === 0) return;
    const bodies = [...this.unsavedBodies];
    const entries = new Set(bodies.map(([id]) => this.tree.get(id)!));
    for (const e of this.unsavedEntries) if (this.tree.get(e.id) === e) entries.add(e);
    this.unsavedBodies.clear();
    this.unsavedEntries.clear();
    await this.store.write({
      putEntries: [...entries].map(toStored),
      putBlocks: bodies.map(([id, block]) => ({ id, block })),
    });
  }

  private async connectEntry(entry: BlockEntry, change: TipChange): Promise<Block | undefined> {
    const unsaved = this.unsavedBodies.get(entry.id);
    const block = unsaved ?? (await this.store.getBlock(entry.id));
    if (!block) throw new Error(`block ${entry.id} has status ${entry.status} but no stored body`);
    const result = await connectToStore(
      this.store,
      entry,
      block,
      unsaved !== undefined,
      this.params,
      this.sigCache,
    );
    if (!result.ok) {
      await this.markInvalid(entry, result.reason, change, result.message);
      return undefined;
    }
    this.unsavedBodies.delete(entry.id);
    entry.status = 'valid';
    this.active.push(entry);
    return block;
  }

  private async disconnectTip(): Promise<Block> {
    const block = await disconnectFromStore(this.store, this.tip);
    this.active.pop();
    return block;
  }

  /** Mark `entry` and every descendant invalid; bodies of invalid blocks are not kept. */
  private async markInvalid(
    entry: BlockEntry,
    reason: string,
    change: TipChange,
    message = reason,
  ): Promise<void> {
    const doomed = this.tree.invalidate(entry, reason, this.tip);
    for (const e of doomed) this.unsavedBodies.delete(e.id);
    await this.store.write({
      putEntries: doomed.map(toStored),
      deleteBlocks: doomed.map((e) => e.id),
    });
    change.invalid.push({ id: entry.id, reason: message });
  }

  /** Drop stale side branches (see `BlockTree.prune` and prune.ts). */
  private prune(change: TipChange): Promise<void> {
    return deletePruned(
      this.store,
      this.tree.prune(this.tip, (e) => this.isActive(e)),
      change,
    );
  }
}
