/**
 * Fixtures for the IndexedDB storage tests: fresh database names, a comparable snapshot of
 * everything a `ChainStore` answers, and branches of regtest blocks built off any entry.
 */
import {
  outpointKey,
  toHex,
  txid,
  type Block,
  type ChainStore,
  type Tx,
} from '../../core/index.js';
import type { TestKey } from './regtest.js';

let dbCount = 0;

/** A database name no other test in this process uses. */
export function freshDbName(label = 'test'): string {
  return `tabcoin-${label}-${++dbCount}`;
}

/** What a store answers about `ids`, `keys` and `owners`, in an order-independent form. */
export interface StoreSnapshot {
  entries: unknown[];
  tip: string | undefined;
  blocks: unknown[];
  undo: unknown[];
  coins: unknown[];
  owned: unknown[];
}

export async function snapshotStore(
  store: ChainStore,
  ids: readonly string[],
  keys: readonly string[],
  owners: readonly string[],
): Promise<StoreSnapshot> {
  const { entries, tip } = await store.loadIndex();
  return {
    // The port leaves listing order open (Map insertion vs IndexedDB key order).
    entries: [...entries].sort((a, b) => a.id.localeCompare(b.id)),
    tip,
    blocks: await Promise.all(ids.map((id) => store.getBlock(id))),
    undo: await Promise.all(ids.map((id) => store.getUndo(id))),
    coins: await store.getCoins(keys),
    owned: await Promise.all(
      owners.map(async (o) => (await store.coinsByOwner(o)).sort(([a], [b]) => a.localeCompare(b))),
    ),
  };
}

/** Every outpoint key that `blocks` create or spend (the coins worth comparing). */
export function outpointsOf(blocks: readonly Block[]): string[] {
  const keys = new Set<string>();
  const addTx = (tx: Tx) => {
    tx.outputs.forEach((_, vout) => keys.add(outpointKey({ txid: txid(tx), vout })));
    for (const input of tx.inputs) keys.add(outpointKey(input.prevout));
  };
  for (const block of blocks) block.txs.forEach(addTx);
  return [...keys];
}

export const ownerOf = (key: TestKey): string => toHex(key.pubkey);

export { buildBranch } from './regtest.js';
