/**
 * One block connected to, or disconnected from, the stored chain state: load the coins it
 * spends, run the consensus connect (core/consensus/connect.ts) and write coins, undo data, the
 * entry's status and the new tip in one atomic store write, so a tab killed mid-way reopens on
 * the previous consistent chain.
 */
import type { Block } from '../primitives/block.js';
import type { Result } from '../primitives/result.js';
import { connectBlockTxs, disconnectBlockTxs, externalSpends } from '../consensus/connect.js';
import type { ChainParams } from '../consensus/params.js';
import type { SignatureCache } from '../consensus/sig-cache.js';
import { MapCoinView } from '../consensus/utxo.js';
import { toStored, type BlockEntry } from './block-index.js';
import type { ChainStore } from './store.js';

/**
 * Connect `block` (the body of `entry`, whose parent is the stored tip). `storeBody` also writes
 * the body in the same transaction (a block accepted and connected in one call).
 */
export async function connectToStore(
  store: ChainStore,
  entry: BlockEntry,
  block: Block,
  storeBody: boolean,
  params: ChainParams,
  sigCache: SignatureCache,
): Promise<Result<void>> {
  const keys = externalSpends(block);
  const coins = await store.getCoins(keys);
  const view = new MapCoinView();
  keys.forEach((key, i) => {
    const coin = coins[i];
    if (coin) view.coins.set(key, coin);
  });
  const result = connectBlockTxs(block, entry.height, view, params, sigCache);
  if (!result.ok) return result;
  await store.write({
    putEntries: [{ ...toStored(entry), status: 'valid' }],
    addCoins: result.value.added,
    deleteCoins: result.value.spent,
    putUndo: [{ id: entry.id, coins: result.value.undo }],
    putBlocks: storeBody ? [{ id: entry.id, block }] : [],
    tip: entry.id,
  });
  return { ok: true, value: undefined };
}

/** Disconnect the stored tip `tip` with its undo data; returns its block. */
export async function disconnectFromStore(store: ChainStore, tip: BlockEntry): Promise<Block> {
  if (!tip.parent) throw new Error('cannot disconnect the genesis block');
  const [block, undo] = await Promise.all([store.getBlock(tip.id), store.getUndo(tip.id)]);
  if (!block || !undo)
    throw new Error(`block ${tip.id} is active but its body or undo data is missing`);
  const { remove, restore } = disconnectBlockTxs(block, undo);
  await store.write({
    deleteCoins: remove,
    addCoins: restore,
    deleteUndo: [tip.id],
    tip: tip.parent.id,
  });
  return block;
}
