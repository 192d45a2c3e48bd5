/**
 * Look up the coins a transaction spends, as far as this tab knows them: a pending parent's
 * output, a coin still in the UTXO set (the transaction is pending), or, for a transaction in a
 * recent active block, that block's undo data (the coins it spent, in input order).
 */
import { hashToHex, isCoinbase, outpointKey, txidHex, type Tx } from '../../../core/index.js';
import type { TabNode } from '../../node.js';
import { findTx } from '../explorer-search.js';
import type { SpentCoin } from './tx-flow.js';

/** Spent coins by txid, from the last blocks whose undo data was read (one block fills it). */
const fromUndo = new Map<string, SpentCoin[]>();
const CACHE_LIMIT = 20_000;

export async function spentCoins(node: TabNode, tx: Tx): Promise<(SpentCoin | undefined)[]> {
  if (isCoinbase(tx)) return [];
  const { mempool, chain } = node.state;
  const found: (SpentCoin | undefined)[] = tx.inputs.map((input) => {
    const parent = mempool.get(hashToHex(input.prevout.txid));
    const out = parent?.tx.outputs[input.prevout.vout];
    return out && { amount: out.amount, pubkey: out.pubkey };
  });
  const utxo = await chain.getCoins(tx.inputs.map((i) => outpointKey(i.prevout)));
  utxo.forEach((coin, i) => (found[i] ??= coin));
  if (found.every((c) => c !== undefined)) return found;
  const id = txidHex(tx);
  const cached = fromUndo.get(id);
  if (cached) return found.map((c, i) => c ?? cached[i]);
  const located = await findTx(node, txidHex(tx));
  if (located?.kind !== 'tx' || !located.blockId) return found;
  const [block, undo] = await Promise.all([
    chain.getBlock(located.blockId),
    chain.getUndo(located.blockId),
  ]);
  if (!block || !undo) return found;
  if (fromUndo.size > CACHE_LIMIT) fromUndo.clear();
  let offset = 0;
  for (const t of block.txs.slice(1)) {
    fromUndo.set(txidHex(t), undo.slice(offset, offset + t.inputs.length));
    offset += t.inputs.length;
  }
  const spent = fromUndo.get(id) ?? [];
  return found.map((c, i) => c ?? spent[i]);
}
