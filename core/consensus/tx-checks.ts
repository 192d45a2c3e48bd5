/**
 * Transaction validation. `checkTxSanity` needs nothing but the transaction (context-free);
 * `checkTxInputs` needs the coins it spends and the height it would be mined at. Each failure
 * is a typed rejection with a stable reason (docs/consensus.md lists them all).
 */
import {
  COINBASE_MATURITY,
  COINBASE_SCRIPT_MAX,
  COINBASE_SCRIPT_MIN,
  LOCKTIME_THRESHOLD,
  MAX_BLOCK_BYTES,
  MAX_MONEY,
} from '../primitives/constants.js';
import { SIGNATURE_BYTES } from '../primitives/keys.js';
import { OK, reject, type Check, type Result } from '../primitives/result.js';
import type { SignatureCache } from './sig-cache.js';
import { sighash } from '../primitives/sign.js';
import { isCoinbase, isNullOutPoint, outpointKey, txSize, type Tx } from '../primitives/tx.js';
import type { Coin, CoinView } from './utxo.js';

export function checkTxSanity(tx: Tx): Check {
  if (tx.inputs.length === 0) return reject('bad-txns-vin-empty', 'transaction has no inputs');
  if (tx.outputs.length === 0) return reject('bad-txns-vout-empty', 'transaction has no outputs');
  let total = 0n;
  for (const [i, output] of tx.outputs.entries()) {
    if (output.amount < 0n) return reject('bad-txns-vout-negative', `output ${i} is negative`);
    if (output.amount > MAX_MONEY)
      return reject('bad-txns-vout-toolarge', `output ${i} exceeds MAX_MONEY`);
    total += output.amount;
    if (total > MAX_MONEY) {
      return reject('bad-txns-txouttotal-toolarge', 'outputs add up to more than MAX_MONEY');
    }
  }
  // After the amount checks: a negative amount cannot even be serialized to measure.
  if (txSize(tx) > MAX_BLOCK_BYTES)
    return reject('bad-txns-oversize', 'transaction larger than a block');
  const seen = new Set<string>();
  for (const input of tx.inputs) {
    const key = outpointKey(input.prevout);
    if (seen.has(key)) return reject('bad-txns-inputs-duplicate', `input ${key} is spent twice`);
    seen.add(key);
  }
  if (isCoinbase(tx)) {
    const input = tx.inputs[0]!;
    if (input.script.length < COINBASE_SCRIPT_MIN || input.script.length > COINBASE_SCRIPT_MAX) {
      return reject(
        'bad-cb-length',
        `coinbase script must be ${COINBASE_SCRIPT_MIN}-${COINBASE_SCRIPT_MAX} bytes`,
      );
    }
    if (input.witness.length !== 0)
      return reject('bad-cb-witness', 'coinbase input carries a witness');
    return OK;
  }
  for (const [i, input] of tx.inputs.entries()) {
    if (isNullOutPoint(input.prevout))
      return reject('bad-txns-prevout-null', `input ${i} spends nothing`);
    if (input.script.length !== 0) {
      return reject('bad-txns-input-script', `input ${i} has a script (only the coinbase may)`);
    }
    if (input.witness.length !== SIGNATURE_BYTES) {
      return reject(
        'bad-signature',
        input.witness.length === 0
          ? `input ${i} is not signed`
          : `input ${i} witness is ${input.witness.length} bytes, a signature is ${SIGNATURE_BYTES}`,
      );
    }
  }
  return OK;
}

/**
 * Bitcoin's finality rule: a lock time below LOCKTIME_THRESHOLD is a height, otherwise a time;
 * a transaction is final once the block height (or median time past) passes it.
 */
export function isFinalTx(tx: Tx, height: number, medianTimePast: number): boolean {
  if (tx.lockTime === 0) return true;
  return tx.lockTime < (tx.lockTime < LOCKTIME_THRESHOLD ? height : medianTimePast);
}

export interface InputContext {
  /** Height of the block the transaction would be (or is being) mined in. */
  spendHeight: number;
  /** Reason for a missing or spent input: blocks and the mempool name it differently. */
  missingReason: 'bad-txns-inputs-missingorspent' | 'missing-inputs';
  sigCache: SignatureCache;
  /** The network's genesis block hash (internal order): signatures commit to it. */
  genesisHash: Uint8Array;
}

export interface SpentCoins {
  fee: bigint;
  /** The coins the inputs spend, in input order. */
  coins: Coin[];
}

/**
 * Contextual checks of a non-coinbase transaction against `view`: inputs exist and are unspent,
 * coinbase coins are mature, amounts are in range, inputs cover outputs, and every signature
 * verifies against the public key of the coin it spends (over this network's sighash). Returns the fee and spent coins.
 */
export function checkTxInputs(tx: Tx, view: CoinView, ctx: InputContext): Result<SpentCoins> {
  const spent = checkTxAmounts(tx, view, ctx);
  if (!spent.ok) return spent;
  const signed = checkTxSignatures(tx, spent.value.coins, ctx.sigCache, ctx.genesisHash);
  return signed.ok ? spent : signed;
}

/**
 * `checkTxInputs` without the signatures: everything that needs only the coins, so a caller
 * (the mempool) can apply cheap policy, such as the fee, before any signature is verified.
 */
export function checkTxAmounts(
  tx: Tx,
  view: CoinView,
  ctx: Omit<InputContext, 'sigCache' | 'genesisHash'>,
): Result<SpentCoins> {
  const coins: Coin[] = [];
  let totalIn = 0n;
  for (const [i, input] of tx.inputs.entries()) {
    const key = outpointKey(input.prevout);
    const coin = view.getCoin(key);
    if (!coin) {
      return ctx.missingReason === 'missing-inputs'
        ? reject(
            'missing-inputs',
            `input ${i} spends unknown or spent output ${key}`,
            'missing-parent',
          )
        : reject(ctx.missingReason, `input ${i} spends missing or already spent output ${key}`);
    }
    if (coin.coinbase && ctx.spendHeight - coin.height < COINBASE_MATURITY) {
      return reject(
        'bad-txns-premature-spend-of-coinbase',
        `input ${i} spends a coinbase from height ${coin.height}: mature at ${coin.height + COINBASE_MATURITY}`,
      );
    }
    totalIn += coin.amount;
    if (coin.amount > MAX_MONEY || totalIn > MAX_MONEY) {
      return reject('bad-txns-inputvalues-outofrange', 'input values out of range');
    }
    coins.push(coin);
  }
  let totalOut = 0n;
  for (const output of tx.outputs) totalOut += output.amount;
  if (totalIn < totalOut) {
    return reject('bad-txns-in-belowout', `inputs ${totalIn} are less than outputs ${totalOut}`);
  }
  return { ok: true, value: { fee: totalIn - totalOut, coins } };
}

/**
 * Every input's signature against the public key of the coin it spends (`coins`, in order); a
 * transaction that passed this before with the same keys is a cache hit (sig-cache.ts).
 */
export function checkTxSignatures(
  tx: Tx,
  coins: readonly Coin[],
  sigCache: SignatureCache,
  genesisHash: Uint8Array,
): Check {
  const publicKeys = coins.map((coin) => coin.pubkey);
  if (sigCache.hasTx(tx, publicKeys, genesisHash)) return OK;
  const message = sighash(tx, genesisHash);
  for (const [i, input] of tx.inputs.entries()) {
    if (!sigCache.verify(input.witness, message, publicKeys[i]!)) {
      return reject('bad-signature', `input ${i} signature does not verify`);
    }
  }
  sigCache.addVerifiedTx(tx, publicKeys, genesisHash);
  return OK;
}
