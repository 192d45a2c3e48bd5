/**
 * Wallet primitives over a UTXO view and the mempool: which of a key's coins are spendable,
 * balances (confirmed / pending / immature), and building a payment with coin selection,
 * change and fee. Signing is `signTx` (sign.ts); keys and storage belong to the client.
 */
import { hexToHash, toHex } from '../primitives/bytes.js';
import { COINBASE_MATURITY, MAX_MONEY } from '../primitives/constants.js';
import { varintSize } from '../primitives/encoding.js';
import type { Mempool } from './mempool.js';
import { reject, type Result } from '../primitives/result.js';
import { splitOutpointKey, txidHex, type Tx, type TxOut } from '../primitives/tx.js';
import type { Coin } from '../consensus/utxo.js';

export interface OwnedCoin {
  key: string;
  coin: Coin;
  /** False for change from our own pending transaction. */
  confirmed: boolean;
}

export interface Balances {
  /** Mature confirmed coins not being spent by a pending transaction. */
  confirmed: bigint;
  /** Net effect of pending transactions: incoming minus outgoing (may be negative). */
  pending: bigint;
  /** Coinbase rewards still maturing. */
  immature: bigint;
  /** Blocks until the next immature reward matures (0 if none). */
  nextMaturityIn: number;
  /** What a payment can use now: `confirmed` plus our own pending change. */
  spendable: bigint;
}

function blocksToMaturity(coin: Coin, tipHeight: number): number {
  // A coin is spendable in a block at height h when h - coin.height >= COINBASE_MATURITY.
  return coin.coinbase ? Math.max(0, coin.height + COINBASE_MATURITY - (tipHeight + 1)) : 0;
}

/**
 * Coins of `pubkey` a new transaction may spend: mature confirmed coins no pending transaction
 * spends, plus unspent outputs to us of pending transactions we made ourselves (our change).
 * "Ourselves" means every input spends one of our coins, confirmed or our own pending change:
 * a stranger's unconfirmed chain that pays us may never confirm, so it is pending, not spendable.
 */
export function spendableCoins(
  pubkey: Uint8Array,
  confirmedCoins: readonly [string, Coin][],
  mempool: Mempool,
  tipHeight: number,
): OwnedCoin[] {
  const me = toHex(pubkey);
  const ours = new Set(confirmedCoins.map(([key]) => key));
  const result: OwnedCoin[] = confirmedCoins
    .filter(([key, coin]) => blocksToMaturity(coin, tipHeight) === 0 && !mempool.spenderOf(key))
    .map(([key, coin]) => ({ key, coin, confirmed: true }));
  // Arrival order: a pending parent always entered the pool before its children.
  for (const entry of mempool.entries()) {
    if (!entry.spends.every((key) => ours.has(key))) continue;
    entry.tx.outputs.forEach((output, vout) => {
      if (toHex(output.pubkey) !== me) return;
      const key = `${entry.id}:${vout}`;
      ours.add(key);
      if (!mempool.spenderOf(key)) {
        result.push({
          key,
          coin: { ...output, height: tipHeight + 1, coinbase: false },
          confirmed: false,
        });
      }
    });
  }
  return result;
}

export function computeBalances(
  pubkey: Uint8Array,
  confirmedCoins: readonly [string, Coin][],
  mempool: Mempool,
  tipHeight: number,
): Balances {
  const me = toHex(pubkey);
  let confirmed = 0n;
  let immature = 0n;
  let nextMaturityIn = 0;
  let outgoing = 0n;
  for (const [key, coin] of confirmedCoins) {
    const wait = blocksToMaturity(coin, tipHeight);
    if (wait > 0) {
      immature += coin.amount;
      nextMaturityIn = nextMaturityIn === 0 ? wait : Math.min(nextMaturityIn, wait);
    } else if (mempool.spenderOf(key)) {
      outgoing += coin.amount;
    } else {
      confirmed += coin.amount;
    }
  }
  let incoming = 0n;
  for (const entry of mempool.entries()) {
    for (const output of entry.tx.outputs)
      if (toHex(output.pubkey) === me) incoming += output.amount;
    for (const key of entry.spends) {
      const { txid: parentId, vout } = splitOutpointKey(key);
      const output = mempool.get(parentId)?.tx.outputs[vout];
      if (output && toHex(output.pubkey) === me) outgoing += output.amount;
    }
  }
  const change = spendableCoins(pubkey, confirmedCoins, mempool, tipHeight)
    .filter((c) => !c.confirmed)
    .reduce((sum, c) => sum + c.coin.amount, 0n);
  return {
    confirmed,
    pending: incoming - outgoing,
    immature,
    nextMaturityIn,
    spendable: confirmed + change,
  };
}

/** Exact serialized size of a transaction with these counts once signed (64-byte signatures). */
export function estimateTxSize(inputs: number, outputs: number): number {
  return (
    4 + varintSize(inputs) + inputs * (32 + 4 + 1 + 1 + 64) + varintSize(outputs) + outputs * 40 + 4
  );
}

export interface PaymentRequest {
  /** Coins to choose from (see `spendableCoins`). */
  coins: readonly OwnedCoin[];
  to: Uint8Array;
  amount: bigint;
  /** Base units per byte. */
  feeRate: bigint;
  /** Where change goes (normally the sender's own key). */
  changeTo: Uint8Array;
  /** Coins that exist but are not mature yet, to explain a shortfall. */
  immature?: bigint;
}

export interface Payment {
  /** Unsigned: sign with `signTx`. */
  tx: Tx;
  fee: bigint;
  change: bigint;
  /** Keys of the coins spent, in input order. */
  spent: string[];
}

/**
 * Build an unsigned payment: coins largest first until they cover amount + fee, change back to
 * `changeTo` (no change output when it would be zero). Typed rejections for bad amounts and
 * insufficient or immature funds.
 */
export function createPayment(req: PaymentRequest): Result<Payment> {
  if (req.amount <= 0n) return reject('bad-amount', 'amount must be more than zero', 'policy');
  if (req.amount > MAX_MONEY)
    return reject('bad-amount', 'amount exceeds the money supply', 'policy');
  if (req.feeRate < 0n) return reject('bad-fee', 'fee rate cannot be negative', 'policy');
  const sorted = [...req.coins].sort((a, b) =>
    a.coin.amount === b.coin.amount
      ? a.key < b.key
        ? -1
        : 1
      : a.coin.amount > b.coin.amount
        ? -1
        : 1,
  );
  const chosen: OwnedCoin[] = [];
  let total = 0n;
  for (const coin of sorted) {
    chosen.push(coin);
    total += coin.coin.amount;
    const feeWithChange = req.feeRate * BigInt(estimateTxSize(chosen.length, 2));
    const feeNoChange = req.feeRate * BigInt(estimateTxSize(chosen.length, 1));
    if (total === req.amount + feeNoChange || total >= req.amount + feeWithChange) {
      const exact = total === req.amount + feeNoChange;
      const fee = exact ? feeNoChange : feeWithChange;
      const change = total - req.amount - fee;
      const outputs: TxOut[] = [{ amount: req.amount, pubkey: req.to }];
      if (change > 0n) outputs.push({ amount: change, pubkey: req.changeTo });
      const tx: Tx = {
        version: 1,
        inputs: chosen.map((c) => ({
          prevout: parseKey(c.key),
          script: new Uint8Array(),
          witness: new Uint8Array(),
        })),
        outputs,
        lockTime: 0,
      };
      return { ok: true, value: { tx, fee, change, spent: chosen.map((c) => c.key) } };
    }
  }
  const needed = req.amount + req.feeRate * BigInt(estimateTxSize(Math.max(1, sorted.length), 2));
  if (req.immature && total + req.immature >= needed) {
    return reject(
      'immature-funds',
      `only ${total} is spendable now; ${req.immature} is still maturing`,
      'policy',
    );
  }
  return reject(
    'insufficient-funds',
    `needs ${needed} including fee, ${total} available`,
    'policy',
  );
}

function parseKey(key: string): { txid: Uint8Array; vout: number } {
  const { txid: id, vout } = splitOutpointKey(key);
  return { txid: hexToHash(id), vout };
}

/** Display txid of a payment (before or after signing: signatures do not change it). */
export function paymentId(payment: Payment): string {
  return txidHex(payment.tx);
}
