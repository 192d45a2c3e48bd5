/**
 * The coinbase transaction: the first in every block, creating the subsidy plus fees. Its one
 * input carries the block height (like BIP34, so every coinbase and hence every txid is unique,
 * but as a CompactSize varint rather than a script push: docs/consensus.md) and
 * an extra nonce that miners roll when the header's nonce space runs out.
 */
import { ByteReader, ByteWriter } from './encoding.js';
import { NULL_TXID, NULL_VOUT, type Tx, type TxOut } from './tx.js';

/** Coinbase script: varint height, u32 extra nonce, then optional miner tag bytes. */
export function encodeCoinbaseScript(
  height: number,
  extraNonce: number,
  tag: Uint8Array = new Uint8Array(),
): Uint8Array {
  return new ByteWriter(16).varint(height).u32(extraNonce).bytes(tag).finish();
}

/** Height committed in a coinbase script (leading CompactSize varint), or undefined if none. */
export function coinbaseHeight(tx: Tx): number | undefined {
  const script = tx.inputs[0]?.script;
  if (!script) return undefined;
  try {
    return new ByteReader(script).varint('coinbase height');
  } catch {
    return undefined;
  }
}

export interface CoinbaseOptions {
  height: number;
  outputs: TxOut[];
  extraNonce?: number;
  tag?: Uint8Array;
}

export function createCoinbase({ height, outputs, extraNonce = 0, tag }: CoinbaseOptions): Tx {
  return {
    version: 1,
    inputs: [
      {
        prevout: { txid: NULL_TXID, vout: NULL_VOUT },
        script: encodeCoinbaseScript(height, extraNonce, tag),
        witness: new Uint8Array(),
      },
    ],
    outputs,
    lockTime: 0,
  };
}
