/**
 * The block tree in memory: one entry per known header, on every branch, linked to its parent
 * and to a skip ancestor (Bitcoin Core's skip list), so that the ancestor at any height is
 * found in O(log height) steps. Pure helpers here answer questions about ancestry (median time
 * past, retarget window, fork point, block locator) without touching storage.
 */
import type { BlockHeader } from '../primitives/block.js';
import { MEDIAN_TIME_SPAN } from '../primitives/constants.js';
import { hashToHex } from '../primitives/bytes.js';
import { nextBitsLwma, workFromBits, type TimedBits } from '../consensus/difficulty.js';
import type { ChainParams } from '../consensus/params.js';
import type { BlockStatus, StoredEntry } from './store.js';

export interface BlockEntry {
  readonly id: string;
  readonly header: BlockHeader;
  readonly height: number;
  readonly chainWork: bigint;
  /**
   * Fork-choice order among equal work: numbered when the header arrives, renumbered when the
   * block becomes complete (its body and every ancestor's body known), so a tie goes to the
   * first complete block, not the first header.
   */
  sequence: number;
  readonly parent: BlockEntry | undefined;
  /** An ancestor at `skipHeight(height)`, for `ancestorAt`; absent on hand-made entries. */
  readonly skip?: BlockEntry | undefined;
  status: BlockStatus;
  invalidReason?: string;
}

/** The genesis block's entry for `params`. */
export function genesisEntry(params: ChainParams): BlockEntry {
  return {
    id: params.genesisId,
    header: params.genesis.header,
    height: 0,
    chainWork: workFromBits(params.genesis.header.bits),
    sequence: 0,
    parent: undefined,
    status: 'valid',
  };
}

/**
 * Rebuild the in-memory tree from stored entries (parents linked, lowest height first).
 * Entries whose parent was pruned away are dropped. Throws if the store holds another
 * network's chain or has no tip: both mean the store is not this chain's.
 */
export function linkBlockTree(
  stored: readonly StoredEntry[],
  tipId: string | undefined,
  genesisId: string,
): { entries: BlockEntry[]; tip: BlockEntry } {
  const genesis = stored.find((e) => e.height === 0);
  if (!genesis || genesis.id !== genesisId) {
    throw new Error(`store holds another network's chain (genesis ${genesis?.id ?? 'missing'})`);
  }
  const byId = new Map<string, BlockEntry>();
  const sorted = [...stored].sort((a, b) => a.height - b.height || a.sequence - b.sequence);
  for (const entry of sorted) {
    const parent = entry.height === 0 ? undefined : byId.get(hashToHex(entry.header.prevHash));
    if (entry.height !== 0 && !parent) continue;
    byId.set(entry.id, { ...entry, parent, skip: skipFor(parent, entry.height) });
  }
  const tip = tipId ? byId.get(tipId) : undefined;
  if (!tip) throw new Error('store has no valid tip');
  return { entries: [...byId.values()], tip };
}

export function toStored(entry: BlockEntry): StoredEntry {
  const stored: StoredEntry = {
    id: entry.id,
    header: entry.header,
    height: entry.height,
    chainWork: entry.chainWork,
    status: entry.status,
    sequence: entry.sequence,
  };
  if (entry.invalidReason) stored.invalidReason = entry.invalidReason;
  return stored;
}

/** True when the block's body is stored (it may or may not have been connected yet). */
export function hasData(entry: BlockEntry): boolean {
  return entry.status === 'data' || entry.status === 'valid';
}

/** `n` with its lowest set bit cleared. */
function clearLowestBit(n: number): number {
  return n & (n - 1);
}

/**
 * Height of the skip ancestor of an entry at `height`: far enough back that following skips
 * and parents reaches any height in O(log height) steps (the scheme of Bitcoin Core's
 * CBlockIndex::pskip).
 */
export function skipHeight(height: number): number {
  if (height < 2) return 0;
  return height & 1 ? clearLowestBit(clearLowestBit(height - 1)) + 1 : clearLowestBit(height);
}

/** The skip ancestor for a new entry at `height` whose parent is `parent`. */
export function skipFor(parent: BlockEntry | undefined, height: number): BlockEntry | undefined {
  return parent ? ancestorAt(parent, skipHeight(height)) : undefined;
}

/**
 * The ancestor of `entry` at `height` (itself when equal), in O(log height) steps. A skip link
 * is followed only if it lands where the scheme says; an entry copied from its parent by hand
 * (tests, the attack lab) carries its parent's skip, which is then ignored.
 */
export function ancestorAt(entry: BlockEntry, height: number): BlockEntry | undefined {
  if (height < 0 || height > entry.height) return undefined;
  let cursor: BlockEntry | undefined = entry;
  while (cursor && cursor.height > height) {
    const skip: BlockEntry | undefined = cursor.skip;
    const jump = skipHeight(cursor.height);
    const prevJump = skipHeight(cursor.height - 1);
    // Take the skip unless it overshoots, or the parent's skip would land closer.
    const useSkip: boolean =
      skip !== undefined &&
      skip.height === jump &&
      (jump === height || (jump > height && !(prevJump < jump - 2 && prevJump >= height)));
    cursor = useSkip ? skip : cursor.parent;
  }
  return cursor && cursor.height === height ? cursor : undefined;
}

/** Median of the last MEDIAN_TIME_SPAN block times ending at `entry` (Bitcoin's MTP). */
export function medianTimePast(entry: BlockEntry): number {
  const times: number[] = [];
  for (let c: BlockEntry | undefined = entry; c && times.length < MEDIAN_TIME_SPAN; c = c.parent) {
    times.push(c.header.time);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Bits the child of `parent` must carry. */
export function expectedBits(parent: BlockEntry, params: ChainParams): number {
  if (!params.retarget) return params.powLimitBits;
  const recent: TimedBits[] = [];
  for (
    let c: BlockEntry | undefined = parent;
    c && recent.length <= params.retargetWindow;
    c = c.parent
  ) {
    recent.push({ time: c.header.time, bits: c.header.bits });
  }
  return nextBitsLwma(recent.reverse(), {
    targetSpacing: params.targetSpacing,
    window: params.retargetWindow,
    powLimit: params.powLimit,
  });
}

/** The last common ancestor of two entries: O(log height + depth of the fork). */
export function findFork(a: BlockEntry, b: BlockEntry): BlockEntry {
  const height = Math.min(a.height, b.height);
  let x = ancestorAt(a, height);
  let y = ancestorAt(b, height);
  while (x && y && x !== y) {
    x = x.parent;
    y = y.parent;
  }
  if (!x || x !== y) throw new Error('entries share no ancestor (different genesis)');
  return x;
}

/**
 * Bitcoin's block locator: ids from `tip` back to genesis, dense for the last 10 then doubling
 * the step, so a peer can find the fork point in O(log n) ids (built in O(log² n) steps).
 */
export function blockLocator(tip: BlockEntry): string[] {
  const ids: string[] = [];
  let step = 1;
  let cursor: BlockEntry | undefined = tip;
  while (cursor) {
    ids.push(cursor.id);
    if (cursor.height === 0) break;
    if (ids.length >= 10) step *= 2;
    cursor = ancestorAt(cursor, Math.max(0, cursor.height - step));
  }
  return ids;
}
