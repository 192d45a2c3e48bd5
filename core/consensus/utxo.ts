/** Unspent outputs ("coins") and views over them. Keys are `outpointKey` strings. */
import type { TxOut } from '../primitives/tx.js';

export interface Coin {
  readonly amount: bigint;
  readonly pubkey: Uint8Array;
  /** Height of the block that created it. */
  readonly height: number;
  /** Created by a coinbase: spendable only after COINBASE_MATURITY blocks. */
  readonly coinbase: boolean;
}

/** Synchronous read access to coins, e.g. a prefetched set layered under a block's own spends. */
export interface CoinView {
  getCoin(key: string): Coin | undefined;
}

export function coinFromOutput(output: TxOut, height: number, coinbase: boolean): Coin {
  return { amount: output.amount, pubkey: output.pubkey, height, coinbase };
}

/**
 * A writable layer over a base view: what a block (or a chain of unconfirmed transactions)
 * adds and spends, without touching the base. Spent base coins are remembered for undo data.
 */
export class CoinOverlay implements CoinView {
  private readonly added = new Map<string, Coin>();
  private readonly spent = new Set<string>();

  constructor(private readonly base: CoinView) {}

  getCoin(key: string): Coin | undefined {
    if (this.spent.has(key)) return undefined;
    return this.added.get(key) ?? this.base.getCoin(key);
  }

  add(key: string, coin: Coin): void {
    this.spent.delete(key);
    this.added.set(key, coin);
  }

  /** Spend `key`; returns the coin it held (caller has checked it exists). */
  spend(key: string): Coin | undefined {
    const coin = this.getCoin(key);
    if (this.added.delete(key)) return coin;
    this.spent.add(key);
    return coin;
  }

  /** Coins created and still unspent in this layer. */
  addedCoins(): [string, Coin][] {
    return [...this.added];
  }

  /** Base coins this layer spent. */
  spentKeys(): string[] {
    return [...this.spent];
  }
}

/** A plain map as a view (tests, prefetched coins). */
export class MapCoinView implements CoinView {
  constructor(readonly coins = new Map<string, Coin>()) {}
  getCoin(key: string): Coin | undefined {
    return this.coins.get(key);
  }
}
