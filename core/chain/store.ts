/**
 * The storage port: what chain state needs from persistent storage. `MemoryStore` here serves
 * tests and the simulator; the browser node implements the same port on IndexedDB. Every
 * `write` is atomic: a connect or disconnect is one batch, so storage is never half-updated.
 */
import type { Block, BlockHeader } from '../primitives/block.js';
import type { Coin } from '../consensus/utxo.js';

export type BlockStatus = 'header' | 'data' | 'valid' | 'invalid';

/** A block index record as stored (no in-memory links). */
export interface StoredEntry {
  id: string;
  header: BlockHeader;
  height: number;
  chainWork: bigint;
  status: BlockStatus;
  /** First-seen order: ties in chainwork go to the lower sequence. */
  sequence: number;
  /** Why the block is invalid (status 'invalid'). */
  invalidReason?: string;
}

export interface StoreBatch {
  putEntries?: StoredEntry[];
  deleteEntries?: string[];
  putBlocks?: { id: string; block: Block }[];
  deleteBlocks?: string[];
  putUndo?: { id: string; coins: Coin[] }[];
  deleteUndo?: string[];
  addCoins?: [string, Coin][];
  deleteCoins?: string[];
  /** New active tip id. */
  tip?: string;
}

export interface ChainStore {
  /** Every block index entry and the active tip id (undefined in a new store). */
  loadIndex(): Promise<{ entries: StoredEntry[]; tip: string | undefined }>;
  getBlock(id: string): Promise<Block | undefined>;
  getUndo(id: string): Promise<Coin[] | undefined>;
  getCoins(keys: readonly string[]): Promise<(Coin | undefined)[]>;
  /** Unspent coins paying `pubkeyHex`, as `[outpointKey, coin]`. */
  coinsByOwner(pubkeyHex: string): Promise<[string, Coin][]>;
  /** Apply all of `batch` or nothing. */
  write(batch: StoreBatch): Promise<void>;
}
