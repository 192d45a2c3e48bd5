/**
 * A database that holds another genesis: a chain from before a consensus change (the network
 * got new genesis blocks) or, in principle, any chain that is not this network's. Opening it
 * as-is would fail in `linkBlockTree`; instead its chain is dropped in one transaction and
 * the node starts again from the new genesis (and syncs from peers), while the wallet's keys,
 * seed and settings stay. Derived wallet records (the history index of the old chain) go with
 * the chain: they describe coins that do not exist on the new network.
 */
import { META_TIP, type NodeDb } from './db.js';

/** What `resetForeignChain` found and did. */
export interface ForeignChain {
  /** Genesis id of the dropped chain, when it could be read. */
  oldGenesis: string | undefined;
  /** Height of the dropped chain's tip, when it could be read. */
  oldHeight: number | undefined;
  /** A sentence for the user (event log and notice bar). */
  notice: string;
}

/** Stores that describe the chain (and the mempool built on it): all cleared on a reset. */
const CHAIN_STORES = ['entries', 'blocks', 'undo', 'coins', 'mempool'] as const;

/**
 * If `db` holds a chain whose genesis is not `genesisId`, delete that chain (block index,
 * bodies, undo data, coins, tip, mempool) and the `walletDerived` wallet records, keeping every
 * other wallet record, the bans and other settings. Returns what was dropped, or `undefined`
 * when the database is empty or already on `genesisId` (the usual case: one keyed read).
 * @example const dropped = await resetForeignChain(db, REGTEST.genesisId, indexKeyRanges());
 */
export async function resetForeignChain(
  db: NodeDb,
  genesisId: string,
  walletDerived: readonly (IDBKeyRange | string)[] = [],
): Promise<ForeignChain | undefined> {
  if (!/^[0-9a-f]{64}$/.test(genesisId)) throw new TypeError('genesisId must be 64 hex digits');
  const check = db.transaction('entries', 'readonly');
  const [ours, any] = await Promise.all([
    check.store.getKey(genesisId),
    check.store.openCursor(),
    check.done.catch(() => undefined),
  ]);
  if (ours !== undefined || any === null) return undefined;

  const tx = db.transaction([...CHAIN_STORES, 'meta', 'wallet'], 'readwrite');
  const entries = tx.objectStore('entries');
  // Read what the notice names, then clear, all in this one transaction (atomic).
  let oldGenesis: string | undefined;
  for (let c = await entries.openCursor(); c && !oldGenesis; c = await c.continue()) {
    if (c.value.height === 0) oldGenesis = c.value.id;
  }
  const tip = await tx.objectStore('meta').get(META_TIP);
  const tipEntry = typeof tip === 'string' ? await entries.get(tip) : undefined;
  const oldHeight = tipEntry?.height;
  await Promise.all([
    ...CHAIN_STORES.map((name) => tx.objectStore(name).clear()),
    tx.objectStore('meta').delete(META_TIP),
    ...walletDerived.map((range) => tx.objectStore('wallet').delete(range)),
    tx.done,
  ]);
  const old = oldGenesis ? ` (genesis ${oldGenesis.slice(0, 16)}…)` : '';
  const height = oldHeight !== undefined ? ` at height ${oldHeight}` : '';
  return {
    oldGenesis,
    oldHeight,
    notice:
      `This node's stored chain${height} belongs to an older Tabcoin network${old}: the ` +
      'network now starts from a new genesis block (consensus changed). The old chain was ' +
      'cleared and this node syncs the new one from its peers. Your wallet keys and backup ' +
      'words are kept; coins mined or received on the old chain do not exist on the new one.',
  };
}
