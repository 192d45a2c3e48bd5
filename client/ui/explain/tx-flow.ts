/**
 * A transaction as a flow of money: the coins it spends (with where each was created) on the
 * left, who it pays on the right, and the fee as the difference. Pure: the caller looks up the
 * spent coins (UTXO set, mempool parents or the block's undo data) and passes what it found.
 */
import { hashToHex, isCoinbase, toHex, type Tx } from '../../../core/index.js';

/** A coin a transaction spends, as far as this tab knows it. */
export interface SpentCoin {
  amount: bigint;
  pubkey: Uint8Array;
  /** Height of the block that created it (undefined: created by a pending transaction). */
  height?: number;
  coinbase?: boolean;
}

export interface FlowInput {
  /** Origin `txid:vout` (display txid). */
  origin: string;
  txid: string;
  vout: number;
  /** Undefined when this tab does not know the coin (then the fee is unknown too). */
  amount?: bigint;
  /** Owner public key, hex. */
  owner?: string;
  /** Block height it was created in; undefined while that transaction is pending. */
  height?: number;
  coinbase: boolean;
}

export interface FlowOutput {
  vout: number;
  amount: bigint;
  owner: string;
  /** Pays back to the owner of one of the inputs. */
  change: boolean;
}

export interface TxFlow {
  coinbase: boolean;
  inputs: FlowInput[];
  outputs: FlowOutput[];
  /** Sum of the inputs, when every spent coin is known (a coinbase: undefined). */
  inTotal?: bigint;
  outTotal: bigint;
  /** inTotal - outTotal, when known. */
  fee?: bigint;
}

/** Build the flow of `tx`; `spent[i]` is the coin input i spends, if known. */
export function buildTxFlow(tx: Tx, spent: readonly (SpentCoin | undefined)[]): TxFlow {
  const coinbase = isCoinbase(tx);
  const inputs: FlowInput[] = coinbase
    ? []
    : tx.inputs.map((input, i) => {
        const txid = hashToHex(input.prevout.txid);
        const coin = spent[i];
        return {
          origin: `${txid}:${input.prevout.vout}`,
          txid,
          vout: input.prevout.vout,
          amount: coin?.amount,
          owner: coin ? toHex(coin.pubkey) : undefined,
          height: coin?.height,
          coinbase: coin?.coinbase ?? false,
        };
      });
  const owners = new Set(inputs.flatMap((i) => (i.owner ? [i.owner] : [])));
  const outputs = tx.outputs.map((o, vout) => {
    const owner = toHex(o.pubkey);
    return { vout, amount: o.amount, owner, change: owners.has(owner) };
  });
  const outTotal = outputs.reduce((sum, o) => sum + o.amount, 0n);
  const known = !coinbase && inputs.every((i) => i.amount !== undefined);
  const inTotal = known ? inputs.reduce((sum, i) => sum + i.amount!, 0n) : undefined;
  return {
    coinbase,
    inputs,
    outputs,
    inTotal,
    outTotal,
    fee: inTotal === undefined ? undefined : inTotal - outTotal,
  };
}
