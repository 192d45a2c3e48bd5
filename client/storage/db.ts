/**
 * A node's IndexedDB database: one per node (`tabcoin-<network>-<nodeId>`), opened with `idb`.
 * The schema is versioned; `upgrade` walks every version step so an old database is migrated in
 * place. Records hold bigints and Uint8Arrays directly (structured clone supports both in every
 * browser IndexedDB and in fake-indexeddb); blocks, headers and transactions are kept in core's
 * canonical encoding so what is stored is exactly what is hashed.
 */
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BlockStatus } from '../../core/index.js';

/** Bump together with a new step in `upgrade`. */
export const DB_VERSION = 1;

/** `meta` key of the active tip id; written only by `IdbChainStore`. */
export const META_TIP = 'chain.tip';

/** A block index entry: the header as its 80 canonical bytes. */
export interface EntryRecord {
  id: string;
  header: Uint8Array;
  height: number;
  chainWork: bigint;
  status: BlockStatus;
  sequence: number;
  invalidReason?: string;
}

/** An unspent output (or, in undo data, a spent one). */
export interface CoinRecord {
  amount: bigint;
  pubkey: Uint8Array;
  height: number;
  coinbase: boolean;
}

/** A UTXO set record; `owner` (hex pubkey) feeds the index behind `coinsByOwner`. */
export interface UtxoRecord extends CoinRecord {
  owner: string;
}

export interface MempoolRecord {
  /** Display txid. */
  txid: string;
  /** Canonical transaction bytes (`encodeTx`). */
  tx: Uint8Array;
  /** When it entered the pool (node clock, seconds). */
  time: number;
}

export interface BanRecord {
  /** The banned peer's node id. */
  id: string;
  /** End of the ban, ms since the Unix epoch. */
  until: number;
  reason: string;
}

export interface TabcoinDb extends DBSchema {
  /** Block index, every branch; in-line key `id`. */
  entries: { key: string; value: EntryRecord };
  /** Block id → canonical block bytes (`encodeBlock`). */
  blocks: { key: string; value: Uint8Array };
  /** Block id → the coins its connection spent, in spend order. */
  undo: { key: string; value: CoinRecord[] };
  /** Outpoint key (`<txid>:<vout>`) → unspent coin. */
  coins: { key: string; value: UtxoRecord; indexes: { owner: string } };
  /** Small named values (the tip under META_TIP, settings). */
  meta: { key: string; value: unknown };
  /** Pending transactions, kept across reloads; in-line key `txid`. */
  mempool: { key: string; value: MempoolRecord };
  /** Wallet records (the wallet defines their shape). */
  wallet: { key: string; value: unknown };
  /** Banned peers; in-line key `id`. */
  bans: { key: string; value: BanRecord };
}

export type NodeDb = IDBPDatabase<TabcoinDb>;
export type StoreName =
  'entries' | 'blocks' | 'undo' | 'coins' | 'meta' | 'mempool' | 'wallet' | 'bans';

export interface OpenNodeDbOptions {
  /**
   * Another connection (a newer version of the app in another tab) wants to upgrade this
   * database. The connection is closed first so the upgrade is not blocked; reload here.
   */
  onVersionChange?: () => void;
  /** The browser closed the connection abnormally (storage cleared, disk error). */
  onTerminated?: () => void;
}

/** Database name of a node, e.g. `nodeDbName('regtest', 'alice') === 'tabcoin-regtest-alice'`. */
export function nodeDbName(network: string, nodeId: string): string {
  if (!network) throw new TypeError('network must be a non-empty string');
  if (!nodeId) throw new TypeError('nodeId must be a non-empty string');
  return `tabcoin-${network}-${nodeId}`;
}

/**
 * Open (creating or upgrading) a node's database.
 * @example const db = await openNodeDb(nodeDbName('regtest', 'alice'));
 */
export async function openNodeDb(name: string, opts: OpenNodeDbOptions = {}): Promise<NodeDb> {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('name must be a non-empty string');
  const db = await openDB<TabcoinDb>(name, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('entries', { keyPath: 'id' });
        database.createObjectStore('blocks');
        database.createObjectStore('undo');
        database.createObjectStore('coins').createIndex('owner', 'owner');
        database.createObjectStore('meta');
        database.createObjectStore('mempool', { keyPath: 'txid' });
        database.createObjectStore('wallet');
        database.createObjectStore('bans', { keyPath: 'id' });
      }
    },
    blocking() {
      db.close();
      opts.onVersionChange?.();
    },
    terminated() {
      opts.onTerminated?.();
    },
  });
  return db;
}

/** Delete a node's database (to free space taken by old nodes). Close it first. */
export function deleteNodeDb(name: string): Promise<void> {
  return deleteDB(name);
}
