/**
 * A wallet's money as the coins it is made of: each confirmed coin (maturing or spendable, or
 * being spent by a pending payment) and each pending one (change or an incoming payment).
 * The coins not being spent add up to the wallet's headline total (see balance.ts).
 */
import { COINBASE_MATURITY, toHex, type Coin, type Mempool } from '../../../core/index.js';

export type CoinState = 'spendable' | 'maturing' | 'pending' | 'spending';

export interface WalletCoin {
  /** `txid:vout` it was created by. */
  key: string;
  amount: bigint;
  /** Block height it was created in (undefined while pending). */
  height?: number;
  coinbase: boolean;
  /** Blocks on top of (and including) its block; 0 while pending. */
  confirmations: number;
  state: CoinState;
  /** Maturing: blocks until it can be spent. */
  maturesIn: number;
  /** Pending: our own change (true) or paid by someone else (false). */
  change: boolean;
}

/** The coins of `pubkey`, from its confirmed coins and the mempool, with the tip at `tipHeight`. */
export function walletCoins(
  pubkey: Uint8Array,
  confirmed: readonly [string, Coin][],
  mempool: Mempool,
  tipHeight: number,
): WalletCoin[] {
  const me = toHex(pubkey);
  const own = new Set(confirmed.map(([key]) => key));
  const coins: WalletCoin[] = confirmed.map(([key, coin]) => {
    // Spendable in the block at height h when h - coin.height >= COINBASE_MATURITY.
    const wait = coin.coinbase ? coin.height + COINBASE_MATURITY - (tipHeight + 1) : 0;
    const state: CoinState = mempool.spenderOf(key)
      ? 'spending'
      : wait > 0
        ? 'maturing'
        : 'spendable';
    return {
      key,
      amount: coin.amount,
      height: coin.height,
      coinbase: coin.coinbase,
      confirmations: tipHeight - coin.height + 1,
      state,
      maturesIn: Math.max(0, wait),
      change: false,
    };
  });
  // Arrival order: a pending parent always entered the pool before its children.
  for (const entry of mempool.entries()) {
    const fromUs = entry.spends.every((key) => own.has(key));
    entry.tx.outputs.forEach((output, vout) => {
      if (toHex(output.pubkey) !== me) return;
      const key = `${entry.id}:${vout}`;
      if (fromUs) own.add(key);
      coins.push({
        key,
        amount: output.amount,
        coinbase: false,
        confirmations: 0,
        state: mempool.spenderOf(key) ? 'spending' : fromUs ? 'spendable' : 'pending',
        maturesIn: 0,
        change: fromUs,
      });
    });
  }
  return coins;
}
