/**
 * A node's other records beside the chain: banned peers (so a reload does not forgive them),
 * pending transactions (so a reload does not forget them) and small `meta` values. Each helper
 * is one IndexedDB transaction.
 */
import { decodeTx, encodeTx, hashToHex, txidHex, type Tx } from '../../core/index.js';
import { META_TIP, type BanRecord, type NodeDb } from './db.js';
import { storageFailure } from './storage-errors.js';

/** Run `task`, reporting a quota failure as `StorageFullError` (other errors unchanged). */
async function guarded<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw storageFailure([error]);
  }
}

// ---- bans ----

/**
 * Ban peer `id` until `until` (ms since the epoch), replacing any earlier ban.
 * @example await saveBan(db, 'bob', Date.now() + 3_600_000, 'bad-txns-inputs-missingorspent');
 */
export function saveBan(db: NodeDb, id: string, until: number, reason: string): Promise<void> {
  if (typeof id !== 'string' || id === '') throw new TypeError('id must be a non-empty string');
  if (!Number.isFinite(until)) throw new RangeError('until must be a finite time in ms');
  return guarded(async () => {
    await db.put('bans', { id, until, reason });
  });
}

/** Bans still in force at `now` (ms); expired ones are deleted. */
export async function loadBans(db: NodeDb, now: number): Promise<BanRecord[]> {
  const tx = db.transaction('bans', 'readwrite');
  const active: BanRecord[] = [];
  const deletes: Promise<void>[] = [];
  for (const ban of await tx.store.getAll()) {
    if (ban.until > now) active.push(ban);
    else deletes.push(tx.store.delete(ban.id));
  }
  await Promise.all([...deletes, tx.done]);
  return active;
}

export async function removeBan(db: NodeDb, id: string): Promise<void> {
  await db.delete('bans', id);
}

// ---- mempool ----

export interface PendingTx {
  tx: Tx;
  /** When it entered the pool (node clock, seconds). */
  time: number;
}

/** Remember a transaction that entered the mempool at `time` (seconds). */
export function saveMempoolTx(db: NodeDb, tx: Tx, time: number): Promise<void> {
  if (!Number.isFinite(time)) throw new RangeError('time must be a finite number of seconds');
  const record = { txid: txidHex(tx), tx: encodeTx(tx), time };
  return guarded(async () => {
    await db.put('mempool', record);
  });
}

/** Forget transactions by display txid (confirmed, conflicting, expired, evicted). */
export async function removeMempoolTxs(db: NodeDb, txids: readonly string[]): Promise<void> {
  if (txids.length === 0) return;
  const tx = db.transaction('mempool', 'readwrite');
  await Promise.all([...txids.map((id) => tx.store.delete(id)), tx.done]);
}

export async function clearMempool(db: NodeDb): Promise<void> {
  await db.clear('mempool');
}

/**
 * Every remembered transaction, oldest first and parents before children, ready to be offered
 * to the mempool again. Records that no longer decode are dropped (and deleted).
 */
export async function loadMempool(db: NodeDb): Promise<PendingTx[]> {
  const tx = db.transaction('mempool', 'readwrite');
  const pending: PendingTx[] = [];
  const deletes: Promise<void>[] = [];
  for (const record of await tx.store.getAll()) {
    const decoded = decodeTx(record.tx);
    if (decoded.ok) pending.push({ tx: decoded.value, time: record.time });
    else deletes.push(tx.store.delete(record.txid));
  }
  await Promise.all([...deletes, tx.done]);
  pending.sort((a, b) => a.time - b.time);
  return parentsFirst(pending);
}

/** Reorder so every transaction follows the pending ones it spends (a stable topological sort). */
function parentsFirst(pending: PendingTx[]): PendingTx[] {
  const byId = new Map(pending.map((p) => [txidHex(p.tx), p]));
  const done = new Set<PendingTx>();
  const out: PendingTx[] = [];
  const visit = (p: PendingTx) => {
    if (done.has(p)) return;
    done.add(p);
    for (const input of p.tx.inputs) {
      const parent = byId.get(hashToHex(input.prevout.txid));
      if (parent) visit(parent);
    }
    out.push(p);
  };
  pending.forEach(visit);
  return out;
}

// ---- meta ----

/** A small named value (settings, counters); `undefined` when never set. */
export async function getMeta<T>(db: NodeDb, key: string): Promise<T | undefined> {
  return (await db.get('meta', key)) as T | undefined;
}

/** Store a small structured-cloneable value under `key`. The chain tip's key is reserved. */
export function putMeta(db: NodeDb, key: string, value: unknown): Promise<void> {
  if (typeof key !== 'string' || key === '') throw new TypeError('key must be a non-empty string');
  if (key === META_TIP) throw new RangeError(`key ${META_TIP} belongs to the chain store`);
  return guarded(async () => {
    await db.put('meta', value, key);
  });
}
