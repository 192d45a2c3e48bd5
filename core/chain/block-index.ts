/**
 * The block tree in memory: one entry per known header, on every branch, linked to its parent.
 * Pure helpers here answer questions about ancestry (median time past, retarget window, fork
 * point, block locator) without touching storage.
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
  readonly sequence: number;
  readonly parent: BlockEntry | undefined;
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
    byId.set(entry.id, { ...entry, parent });
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

/** The ancestor of `entry` at `height` (itself when equal). */
export function ancestorAt(entry: BlockEntry, height: number): BlockEntry | undefined {
  let cursor: BlockEntry | undefined = entry;
  while (cursor && cursor.height > height) cursor = cursor.parent;
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

/** The last common ancestor of two entries. */
export function findFork(a: BlockEntry, b: BlockEntry): BlockEntry {
  let x: BlockEntry | undefined = a;
  let y: BlockEntry | undefined = b;
  while (x && y && x !== y) {
    if (x.height > y.height) x = x.parent;
    else if (y.height > x.height) y = y.parent;
    else {
      x = x.parent;
      y = y.parent;
    }
  }
  if (!x || x !== y) throw new Error('entries share no ancestor (different genesis)');
  return x;
}

/**
 * Bitcoin's block locator: ids from `tip` back to genesis, dense for the last 10 then doubling
 * the step, so a peer can find the fork point in O(log n) ids.
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
