/**
 * Turning a send request into an unsigned payment over the node's coins and mempool, with the
 * refusals a user can act on: a mistyped or foreign address, a bad amount or fee rate, not
 * enough coins, or coins that are still maturing (and for how many more blocks).
 */
import {
  AddressError,
  COINBASE_MATURITY,
  MAX_MONEY,
  computeBalances,
  createPayment,
  estimateTxSize,
  parseRecipient,
  reject,
  spendableCoins,
  toHex,
  type Coin,
  type NetworkName,
  type NodeState,
  type Payment,
  type Result,
} from '../../core/index.js';
import { formatCoins } from './amount-text.js';

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
    return reject('bad-amount', 'the amount must be more than zero', 'policy');
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
  const { immature } = computeBalances(pubkey, confirmed, state.mempool, tipHeight);
  const payment = createPayment({
    coins,
    to: recipient,
    amount: req.amount,
    feeRate: req.feeRate,
    changeTo: pubkey,
    immature,
  });
  if (payment.ok) return { ok: true, value: { ...payment.value, recipient } };
  const available = coins.reduce((sum, c) => sum + c.coin.amount, 0n);
  if (payment.reason === 'immature-funds') {
    const wait = blocksUntilEnough(req, available, coins.length, confirmed, tipHeight);
    return reject(
      'immature-funds',
      `only ${formatCoins(available)} coins are spendable now; mining rewards need ` +
        `${COINBASE_MATURITY} blocks to mature, enough will be in ${wait} block${wait === 1 ? '' : 's'}`,
      'policy',
    );
  }
  if (payment.reason === 'insufficient-funds') {
    const fee = req.feeRate * BigInt(estimateTxSize(Math.max(1, coins.length), 2));
    return reject(
      'insufficient-funds',
      `${formatCoins(req.amount)} plus a fee of about ${formatCoins(fee)} is more than the ` +
        `${formatCoins(available)} coins this wallet can spend`,
      'policy',
    );
  }
  return payment;
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
