/**
 * Core's `ChainStore` port on IndexedDB. Every `write` is one readwrite transaction over the
 * stores the batch touches, so a connect or disconnect lands whole or not at all: a tab killed
 * mid-write reloads to the previous consistent chain. Answers match `MemoryStore` exactly
 * (tests/integration/idb-chain-store.test.ts runs both side by side).
 */
import type { IDBPTransaction } from 'idb';
import {
  decodeBlock,
  decodeHeader,
  encodeBlock,
  encodeHeader,
  toHex,
  type Block,
  type ChainStore,
  type Coin,
  type StoreBatch,
  type StoredEntry,
} from '../../core/index.js';
import {
  META_TIP,
  type CoinRecord,
  type EntryRecord,
  type NodeDb,
  type StoreName,
  type TabcoinDb,
  type UtxoRecord,
} from './db.js';
import { storageFailure } from './storage-errors.js';

export interface IdbChainStoreOptions {
  /**
   * Test-only fault injection: called before each request of a `write` is queued, with the
   * store it targets and its position in the batch. If it throws, the transaction is aborted
   * and the error is handled as if IndexedDB had raised it (a `QuotaExceededError` becomes a
   * `StorageFullError`).
   */
  beforeWriteRequest?: (store: StoreName, index: number) => void;
}

type WriteTx = IDBPTransaction<TabcoinDb, StoreName[], 'readwrite'>;

/** One request of a batch, in the order `MemoryStore.write` applies it. */
interface WriteOp {
  store: StoreName;
  apply(tx: WriteTx): Promise<unknown>;
}

export class IdbChainStore implements ChainStore {
  /** `db` stays owned by the caller (the node shares it with its other records). */
  constructor(
    readonly db: NodeDb,
    private readonly options: IdbChainStoreOptions = {},
  ) {}

  async loadIndex(): Promise<{ entries: StoredEntry[]; tip: string | undefined }> {
    const tx = this.db.transaction(['entries', 'meta'], 'readonly');
    const [records, tip] = await Promise.all([
      tx.objectStore('entries').getAll(),
      tx.objectStore('meta').get(META_TIP),
      tx.done,
    ]);
    if (tip !== undefined && typeof tip !== 'string') {
      throw new Error(`stored tip is corrupt (${typeof tip}, expected a block id)`);
    }
    return { entries: records.map(fromEntryRecord), tip };
  }

  async getBlock(id: string): Promise<Block | undefined> {
    const bytes = await this.db.get('blocks', id);
    if (bytes === undefined) return undefined;
    const decoded = decodeBlock(bytes);
    if (!decoded.ok) throw new Error(`stored block ${id} is corrupt (${decoded.message})`);
    return decoded.value;
  }

  async getUndo(id: string): Promise<Coin[] | undefined> {
    const records = await this.db.get('undo', id);
    return records?.map(fromCoinRecord);
  }

  /** All of `keys` in one readonly transaction (one consistent snapshot). */
  async getCoins(keys: readonly string[]): Promise<(Coin | undefined)[]> {
    if (keys.length === 0) return [];
    const tx = this.db.transaction('coins', 'readonly');
    const [records] = await Promise.all([Promise.all(keys.map((k) => tx.store.get(k))), tx.done]);
    return records.map((r) => (r === undefined ? undefined : fromCoinRecord(r)));
  }

  async coinsByOwner(pubkeyHex: string): Promise<[string, Coin][]> {
    const tx = this.db.transaction('coins', 'readonly');
    const owner = tx.store.index('owner');
    // Both lists come in index order (owner, then outpoint key), so they line up.
    const [keys, records] = await Promise.all([
      owner.getAllKeys(pubkeyHex),
      owner.getAll(pubkeyHex),
      tx.done,
    ]);
    return keys.map((key, i) => [key, fromCoinRecord(records[i]!)]);
  }

  async write(batch: StoreBatch): Promise<void> {
    const ops = planWrite(batch);
    if (ops.length === 0) return;
    // Relaxed durability: still atomic (all or nothing), but the browser does not wait for the
    // disk to flush. An OS crash may lose the last blocks, which peers simply send again.
    const tx = this.db.transaction([...new Set(ops.map((op) => op.store))], 'readwrite', {
      durability: 'relaxed',
    });
    const requests: Promise<unknown>[] = [];
    let failed = false;
    let cause: unknown;
    try {
      for (const [i, op] of ops.entries()) {
        // A flushed batch holds thousands of requests: queue them a chunk at a time, the next
        // chunk from the success of the last one (the transaction is still active there), so
        // the page gets the main thread between chunks instead of one long task.
        if (i > 0 && i % WRITE_CHUNK === 0) await requests[i - 1];
        this.options.beforeWriteRequest?.(op.store, i);
        requests.push(op.apply(tx));
      }
      // Everything is queued: commit now rather than when the page next yields, so a write
      // begun as the page closes (node.stop) is in the browser's hands before it unloads.
      tx.commit?.();
    } catch (error) {
      // A request that cannot even be queued (bad key, injected fault) must not leave the
      // earlier ones to commit on their own.
      failed = true;
      cause = error;
      if (!tx.error) abortQuietly(tx);
    }
    const settled = await Promise.allSettled([tx.done, ...requests]);
    const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
    if (!failed && errors.length === 0) return;
    throw storageFailure([cause, tx.error, ...errors]);
  }
}

/** Requests queued per task in one write (see `write`). */
export const WRITE_CHUNK = 500;

function abortQuietly(tx: WriteTx): void {
  try {
    tx.abort();
  } catch {
    // Already finished: a failed request aborted it.
  }
}

/** The batch as requests, in `MemoryStore.write`'s order (a later request wins on one key). */
function planWrite(batch: StoreBatch): WriteOp[] {
  const ops: WriteOp[] = [];
  // Records are encoded as their request is queued, so the work is spread like the requests.
  for (const entry of batch.putEntries ?? []) {
    ops.push({
      store: 'entries',
      apply: (tx) => tx.objectStore('entries').put(toEntryRecord(entry)),
    });
  }
  for (const id of batch.deleteEntries ?? []) {
    ops.push({ store: 'entries', apply: (tx) => tx.objectStore('entries').delete(id) });
  }
  for (const { id, block } of batch.putBlocks ?? []) {
    ops.push({
      store: 'blocks',
      apply: (tx) => tx.objectStore('blocks').put(encodeBlock(block), id),
    });
  }
  for (const id of batch.deleteBlocks ?? []) {
    ops.push({ store: 'blocks', apply: (tx) => tx.objectStore('blocks').delete(id) });
  }
  for (const { id, coins } of batch.putUndo ?? []) {
    ops.push({
      store: 'undo',
      apply: (tx) => tx.objectStore('undo').put(coins.map(toCoinRecord), id),
    });
  }
  for (const id of batch.deleteUndo ?? []) {
    ops.push({ store: 'undo', apply: (tx) => tx.objectStore('undo').delete(id) });
  }
  for (const key of batch.deleteCoins ?? []) {
    ops.push({ store: 'coins', apply: (tx) => tx.objectStore('coins').delete(key) });
  }
  for (const [key, coin] of batch.addCoins ?? []) {
    const record = (): UtxoRecord => ({ ...toCoinRecord(coin), owner: toHex(coin.pubkey) });
    ops.push({ store: 'coins', apply: (tx) => tx.objectStore('coins').put(record(), key) });
  }
  const tip = batch.tip;
  if (tip !== undefined) {
    ops.push({ store: 'meta', apply: (tx) => tx.objectStore('meta').put(tip, META_TIP) });
  }
  return ops;
}

function toEntryRecord(entry: StoredEntry): EntryRecord {
  const record: EntryRecord = {
    id: entry.id,
    header: encodeHeader(entry.header),
    height: entry.height,
    chainWork: entry.chainWork,
    status: entry.status,
    sequence: entry.sequence,
  };
  if (entry.invalidReason !== undefined) record.invalidReason = entry.invalidReason;
  return record;
}

function fromEntryRecord(record: EntryRecord): StoredEntry {
  const header = decodeHeader(record.header);
  if (!header.ok) throw new Error(`stored header of ${record.id} is corrupt (${header.message})`);
  const entry: StoredEntry = {
    id: record.id,
    header: header.value,
    height: record.height,
    chainWork: record.chainWork,
    status: record.status,
    sequence: record.sequence,
  };
  if (record.invalidReason !== undefined) entry.invalidReason = record.invalidReason;
  return entry;
}

function toCoinRecord(coin: Coin): CoinRecord {
  if (typeof coin.amount !== 'bigint') throw new TypeError('coin.amount must be a bigint');
  return {
    amount: coin.amount,
    pubkey: ownBytes(coin.pubkey),
    height: coin.height,
    coinbase: coin.coinbase,
  };
}

function fromCoinRecord(record: CoinRecord): Coin {
  return {
    amount: record.amount,
    pubkey: record.pubkey,
    height: record.height,
    coinbase: record.coinbase,
  };
}

/**
 * `bytes` as a standalone array: structured clone stores a view's whole underlying buffer, so
 * a 32-byte key sliced out of a larger buffer would otherwise store all of it.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes);
}
