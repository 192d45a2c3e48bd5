/**
 * Connecting a block to the UTXO set and undoing it. Pure: given the coins the block spends,
 * `connectBlockTxs` checks every spend and returns the changes to apply and the undo data
 * (spent coins, in input order) that `disconnectBlockTxs` needs to reverse them exactly.
 */
import type { Block } from '../primitives/block.js';
import type { ChainParams } from './params.js';
import { blockSubsidy } from './params.js';
import { reject, type Result } from '../primitives/result.js';
import type { SignatureCache } from './sig-cache.js';
import { checkTxInputs } from './tx-checks.js';
import { outpointKey, txid, type Tx } from '../primitives/tx.js';
import { CoinOverlay, coinFromOutput, type Coin, type CoinView } from './utxo.js';

export interface BlockChanges {
  /** Coins created by the block and not spent inside it. */
  added: [string, Coin][];
  /** Keys of pre-existing coins the block spends. */
  spent: string[];
  /** Every coin the block's inputs spent, in order: enough to undo the block. */
  undo: Coin[];
  fees: bigint;
}

function addOutputs(view: CoinOverlay, tx: Tx, height: number, coinbase: boolean): void {
  const id = txid(tx);
  tx.outputs.forEach((output, vout) => {
    view.add(outpointKey({ txid: id, vout }), coinFromOutput(output, height, coinbase));
  });
}

/** Keys of every outpoint the block spends that it did not create itself (to prefetch). */
export function externalSpends(block: Block): string[] {
  const created = new Set<string>();
  const keys: string[] = [];
  for (const tx of block.txs.slice(1)) {
    for (const input of tx.inputs) {
      const key = outpointKey(input.prevout);
      if (!created.has(key)) keys.push(key);
    }
    const id = txid(tx);
    tx.outputs.forEach((_, vout) => created.add(outpointKey({ txid: id, vout })));
  }
  return keys;
}

export function connectBlockTxs(
  block: Block,
  height: number,
  base: CoinView,
  params: ChainParams,
  sigCache: SignatureCache,
): Result<BlockChanges> {
  const view = new CoinOverlay(base);
  const undo: Coin[] = [];
  const spentInBlock = new Set<string>();
  let fees = 0n;
  for (let i = 1; i < block.txs.length; i++) {
    const tx = block.txs[i]!;
    const checked = checkTxInputs(tx, view, {
      spendHeight: height,
      missingReason: 'bad-txns-inputs-missingorspent',
      sigCache,
      genesisHash: params.genesisHash,
    });
    if (!checked.ok) {
      const doubleSpend = tx.inputs.find((input) => spentInBlock.has(outpointKey(input.prevout)));
      const detail = doubleSpend ? ' (double spend: spent earlier in this block)' : '';
      return { ...checked, message: `tx ${i}: ${checked.message}${detail}` };
    }
    for (const input of tx.inputs) {
      const key = outpointKey(input.prevout);
      view.spend(key);
      spentInBlock.add(key);
    }
    undo.push(...checked.value.coins);
    fees += checked.value.fee;
    addOutputs(view, tx, height, false);
  }
  const coinbase = block.txs[0]!;
  const reward = blockSubsidy(height, params) + fees;
  const paid = coinbase.outputs.reduce((sum, output) => sum + output.amount, 0n);
  if (paid > reward) {
    return reject('bad-cb-amount', `coinbase pays ${paid}, subsidy plus fees is ${reward}`);
  }
  addOutputs(view, coinbase, height, true);
  return { ok: true, value: { added: view.addedCoins(), spent: view.spentKeys(), undo, fees } };
}

export interface UndoChanges {
  /** Coins the block created, to delete. */
  remove: string[];
  /** Coins the block spent, to restore. */
  restore: [string, Coin][];
}

/** The reverse of `connectBlockTxs`, from the block and its undo data. */
export function disconnectBlockTxs(block: Block, undo: readonly Coin[]): UndoChanges {
  const remove = new Set<string>();
  const restore = new Map<string, Coin>();
  let u = undo.length;
  for (let i = block.txs.length - 1; i >= 0; i--) {
    const tx = block.txs[i]!;
    const id = txid(tx);
    tx.outputs.forEach((_, vout) => {
      const key = outpointKey({ txid: id, vout });
      if (restore.has(key)) restore.delete(key);
      else remove.add(key);
    });
    if (i === 0) break;
    for (let j = tx.inputs.length - 1; j >= 0; j--) {
      const coin = undo[--u];
      if (!coin) throw new RangeError('undo data is shorter than the block it undoes');
      restore.set(outpointKey(tx.inputs[j]!.prevout), coin);
    }
  }
  if (u !== 0) throw new RangeError('undo data is longer than the block it undoes');
  return { remove: [...remove], restore: [...restore] };
}
