/**
 * The wallet's balance as one headline figure and a breakdown whose parts add up to it:
 * spendable now + still maturing + incoming (paid to us, waiting for a block) = total. Our own
 * pending payments are already out of the total (their coins are spent, their change is
 * spendable); what they send away and pay in fees is reported beside, not inside, the sum.
 */
import {
  COINBASE_MATURITY,
  spendableCoins,
  toHex,
  type Coin,
  type Mempool,
} from '../../core/index.js';

export interface WalletBalance {
  /** Everything this wallet holds once its pending transactions confirm. */
  total: bigint;
  /** What a payment can use now: mature coins no pending transaction spends, and own change. */
  spendable: bigint;
  /** Mining rewards still maturing (COINBASE_MATURITY blocks). */
  immature: bigint;
  /** Blocks until the next maturing reward can be spent (0 if none). */
  nextMaturityIn: number;
  /** Paid to us by others, waiting for a block (spendable once confirmed). */
  incoming: bigint;
  /** Our own payments waiting for a block: sent to others, and their fees (not in the sum). */
  outgoing: { count: number; amount: bigint; fee: bigint };
}

/**
 * The balance of `pubkey` from its confirmed coins (`coinsByOwner`) and the mempool, with the
 * next block at `tipHeight + 1`. `total === spendable + immature + incoming` always.
 */
export function walletBalance(
  pubkey: Uint8Array,
  confirmedCoins: readonly [string, Coin][],
  mempool: Mempool,
  tipHeight: number,
): WalletBalance {
  const me = toHex(pubkey);
  const coins = spendableCoins(pubkey, confirmedCoins, mempool, tipHeight);
  const spendable = coins.reduce((sum, c) => sum + c.coin.amount, 0n);
  const own = new Set(confirmedCoins.map(([key]) => key));
  let immature = 0n;
  let nextMaturityIn = 0;
  for (const [, coin] of confirmedCoins) {
    // Spendable in the block at height h when h - coin.height >= COINBASE_MATURITY.
    const wait = coin.coinbase ? coin.height + COINBASE_MATURITY - (tipHeight + 1) : 0;
    if (wait <= 0) continue;
    immature += coin.amount;
    nextMaturityIn = nextMaturityIn === 0 ? wait : Math.min(nextMaturityIn, wait);
  }
  let incoming = 0n;
  const outgoing = { count: 0, amount: 0n, fee: 0n };
  for (const entry of mempool.entries()) {
    // Same rule as spendableCoins: ours when every input is a coin of ours (parents first).
    const fromUs = entry.spends.every((key) => own.has(key));
    if (fromUs) outgoing.count++;
    if (fromUs) outgoing.fee += entry.fee;
    entry.tx.outputs.forEach((output, vout) => {
      const key = `${entry.id}:${vout}`;
      const toUs = toHex(output.pubkey) === me;
      if (fromUs && toUs) own.add(key);
      else if (fromUs) outgoing.amount += output.amount;
      else if (toUs && !mempool.spenderOf(key)) incoming += output.amount;
    });
  }
  return {
    total: spendable + immature + incoming,
    spendable,
    immature,
    nextMaturityIn,
    incoming,
    outgoing,
  };
}
