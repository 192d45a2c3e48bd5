/**
 * Turning a send request into an unsigned payment over the node's coins and mempool, with the
 * refusals a user can act on, each naming its real cause: a mistyped or foreign address, a bad
 * amount or fee rate, a fee that does not fit on top of the amount, coins still waiting for a
 * block, coins still maturing (and for how many more blocks), or not enough coins at all.
 * "Send everything" (an amount of exactly `sendableAll`) spends every coin with no change.
 */
import {
  AddressError,
  COINBASE_MATURITY,
  MAX_MONEY,
  createPayment,
  estimateTxSize,
  hexToHash,
  parseRecipient,
  reject,
  spendableCoins,
  splitOutpointKey,
  toHex,
  type Coin,
  type OwnedCoin,
  type Tx,
  type TxOut,
  type NetworkName,
  type NodeState,
  type Payment,
  type Result,
} from '../../core/index.js';
import { formatCoins } from './amount-text.js';
import { walletBalance, type WalletBalance } from './balance.js';

export interface SendRequest {
  /** A bech32m address of this node's network, or a raw 64-hex public key. */
  to: string;
  /** Base units. */
  amount: bigint;
  /** Base units per byte. */
  feeRate: bigint;
  /** False sends the transaction unsigned, on purpose, to watch peers refuse it. */
  sign: boolean;
}

export interface PreparedPayment extends Payment {
  recipient: Uint8Array;
}

/** Most a fee rate may be (base units per byte): a typo guard, 1 coin per byte. */
export const MAX_FEE_RATE = 100_000_000n;

/** Build the payment `req` asks for from `pubkey`'s coins on `state` (unsigned). */
export async function preparePayment(
  state: NodeState,
  pubkey: Uint8Array,
  network: NetworkName,
  req: SendRequest,
): Promise<Result<PreparedPayment>> {
  let recipient: Uint8Array;
  try {
    recipient = parseRecipient(req.to, network);
  } catch (err) {
    if (!(err instanceof AddressError)) throw err;
    return reject(err.code === 'network' ? 'wrong-network' : 'bad-address', err.message, 'policy');
  }
  if (typeof req.amount !== 'bigint' || req.amount <= 0n) {
    return reject(
      'bad-amount',
      'the amount must be more than 0 (the smallest is 0.00000001 coins)',
      'policy',
    );
  }
  if (req.amount > MAX_MONEY) {
    return reject('bad-amount', `more than the ${formatCoins(MAX_MONEY)}-coin supply`, 'policy');
  }
  const minFeeRate = state.mempool.minFeeRate;
  if (typeof req.feeRate !== 'bigint' || req.feeRate < minFeeRate || req.feeRate > MAX_FEE_RATE) {
    return reject(
      'bad-fee',
      `the fee rate must be between ${minFeeRate} (the network's minimum) and ${MAX_FEE_RATE} base units per byte`,
      'policy',
    );
  }
  const confirmed = await state.chain.coinsByOwner(toHex(pubkey));
  const tipHeight = state.chain.height;
  const coins = spendableCoins(pubkey, confirmed, state.mempool, tipHeight);
  const available = coins.reduce((sum, c) => sum + c.coin.amount, 0n);
  const sweepFee = req.feeRate * BigInt(estimateTxSize(coins.length, 1));
  if (coins.length > 0 && req.amount + sweepFee === available) {
    // "Send everything": every spendable coin, one output, no change (exactly the fee stays).
    const tx = paymentTx(coins, [{ amount: req.amount, pubkey: recipient }]);
    return {
      ok: true,
      value: { tx, fee: sweepFee, change: 0n, spent: coins.map((c) => c.key), recipient },
    };
  }
  const balance = walletBalance(pubkey, confirmed, state.mempool, tipHeight);
  const payment = createPayment({
    coins,
    to: recipient,
    amount: req.amount,
    feeRate: req.feeRate,
    changeTo: pubkey,
    immature: balance.immature,
  });
  if (payment.ok) return { ok: true, value: { ...payment.value, recipient } };
  if (payment.reason !== 'immature-funds' && payment.reason !== 'insufficient-funds') {
    return payment;
  }
  return explainShortfall(req, coins.length, available, balance, confirmed, tipHeight);
}

/**
 * The most `pubkey` can send now at `feeRate`: every spendable coin in one output, minus the
 * fee of that transaction (0 when the coins cannot even pay it).
 */
export async function sendableAll(
  state: NodeState,
  pubkey: Uint8Array,
  feeRate: bigint,
): Promise<{ amount: bigint; fee: bigint; inputs: number }> {
  const confirmed = await state.chain.coinsByOwner(toHex(pubkey));
  const coins = spendableCoins(pubkey, confirmed, state.mempool, state.chain.height);
  const available = coins.reduce((sum, c) => sum + c.coin.amount, 0n);
  const fee = feeRate * BigInt(estimateTxSize(coins.length, 1));
  const amount = coins.length > 0 && available > fee ? available - fee : 0n;
  return { amount, fee: amount > 0n ? fee : 0n, inputs: amount > 0n ? coins.length : 0 };
}

/** Why a payment cannot be made now, naming the real cause: the fee, waiting coins, or funds. */
function explainShortfall(
  req: SendRequest,
  coinCount: number,
  available: bigint,
  balance: WalletBalance,
  confirmed: readonly [string, Coin][],
  tipHeight: number,
): Result<never> {
  const fee = req.feeRate * BigInt(estimateTxSize(Math.max(1, coinCount), 2));
  const most = available - req.feeRate * BigInt(estimateTxSize(coinCount, 1));
  const coins = (units: bigint) => `${formatCoins(units)} coins`;
  if (req.amount <= available) {
    return reject(
      'fee-not-covered',
      `the fee of about ${formatCoins(fee)} comes on top of the amount: ${coins(available)} ` +
        `are spendable, so at most ${coins(most > 0n ? most : 0n)} can be sent at this fee rate ` +
        `(Send everything fills that in)`,
      'policy',
    );
  }
  if (balance.incoming > 0n && req.amount + fee <= available + balance.incoming) {
    return reject(
      'unconfirmed-funds',
      `only ${coins(available)} are spendable now: ${coins(balance.incoming)} paid to you ` +
        `are waiting for a block and can be spent once one confirms them`,
      'policy',
    );
  }
  if (req.amount + fee <= available + balance.immature) {
    const wait = blocksUntilEnough(req, available, coinCount, confirmed, tipHeight);
    return reject(
      'immature-funds',
      `only ${coins(available)} are spendable now; mining rewards need ` +
        `${COINBASE_MATURITY} blocks to mature, enough will be in ${wait} block${wait === 1 ? '' : 's'}`,
      'policy',
    );
  }
  return reject(
    'insufficient-funds',
    `${formatCoins(req.amount)} plus a fee of about ${formatCoins(fee)} is more than the ` +
      `${coins(balance.total)} this wallet holds (${formatCoins(available)} spendable now)`,
    'policy',
  );
}

/** An unsigned version-1 transaction spending `coins` to `outputs`. */
function paymentTx(coins: readonly OwnedCoin[], outputs: TxOut[]): Tx {
  return {
    version: 1,
    inputs: coins.map((c) => {
      const { txid, vout } = splitOutpointKey(c.key);
      return {
        prevout: { txid: hexToHash(txid), vout },
        script: new Uint8Array(),
        witness: new Uint8Array(),
      };
    }),
    outputs,
    lockTime: 0,
  };
}

/** Blocks until spendable plus matured rewards cover the amount and an estimated fee. */
function blocksUntilEnough(
  req: SendRequest,
  available: bigint,
  coinCount: number,
  confirmed: readonly [string, Coin][],
  tipHeight: number,
): number {
  const maturing = confirmed
    .filter(([, c]) => c.coinbase)
    .map(([, c]) => ({ amount: c.amount, wait: c.height + COINBASE_MATURITY - (tipHeight + 1) }))
    .filter((c) => c.wait > 0)
    .sort((a, b) => a.wait - b.wait);
  let total = available;
  let count = coinCount;
  for (const coin of maturing) {
    total += coin.amount;
    count++;
    if (total >= req.amount + req.feeRate * BigInt(estimateTxSize(count, 2))) return coin.wait;
  }
  return maturing.at(-1)?.wait ?? 0;
}
