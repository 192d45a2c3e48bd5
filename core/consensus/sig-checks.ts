/**
 * The signature checks of a block, listed without verifying them: one (signature, message,
 * public key) triple per input whose spent coin's key is known, so they can be verified in
 * parallel (client/verify/) and their successes put in the `SignatureCache` before the serial
 * connect (connect.ts), which stays the one place that decides validity and its reason.
 *
 * Listing a wrong key (a stale or guessed coin) is harmless: a triple only ever fills the cache
 * if it verifies, and the connect looks the cache up with the key of the coin it really spends.
 */
import type { Block } from '../primitives/block.js';
import { SIGNATURE_BYTES } from '../primitives/keys.js';
import { sighash } from '../primitives/sign.js';
import { outpointKey, txid, type Tx } from '../primitives/tx.js';

export interface SignatureCheck {
  signature: Uint8Array;
  /** The sighash of the transaction (sign.ts). */
  message: Uint8Array;
  /** The x-only key of the coin the input spends. */
  publicKey: Uint8Array;
}

/** Bytes one check takes in `packSignatureChecks`: message ‖ public key ‖ signature. */
export const PACKED_CHECK_BYTES = 32 + 32 + SIGNATURE_BYTES;

/**
 * The checks of `tx`'s inputs whose key `keyOf(outpointKey)` knows. Inputs whose witness is not
 * a signature's length are left out (the serial checks refuse them with their own reason).
 */
export function txSignatureChecks(
  tx: Tx,
  genesisHash: Uint8Array,
  keyOf: (outpoint: string) => Uint8Array | undefined,
): SignatureCheck[] {
  const checks: SignatureCheck[] = [];
  let message: Uint8Array | undefined;
  for (const input of tx.inputs) {
    if (input.witness.length !== SIGNATURE_BYTES) continue;
    const publicKey = keyOf(outpointKey(input.prevout));
    if (!publicKey) continue;
    message ??= sighash(tx, genesisHash);
    checks.push({ signature: input.witness, message, publicKey });
  }
  return checks;
}

/**
 * The checks of every non-coinbase transaction of `block`. A coin is looked up first among the
 * outputs of earlier transactions of the block, then with `keyOf` (the UTXO set, or outputs of
 * blocks not connected yet).
 */
export function blockSignatureChecks(
  block: Block,
  genesisHash: Uint8Array,
  keyOf: (outpoint: string) => Uint8Array | undefined,
): SignatureCheck[] {
  const created = new Map<string, Uint8Array>();
  const lookup = (key: string): Uint8Array | undefined => created.get(key) ?? keyOf(key);
  const checks: SignatureCheck[] = [];
  block.txs.forEach((tx, i) => {
    if (i > 0) checks.push(...txSignatureChecks(tx, genesisHash, lookup));
    const id = txid(tx);
    tx.outputs.forEach((output, vout) =>
      created.set(outpointKey({ txid: id, vout }), output.pubkey),
    );
  });
  return checks;
}

/** Every output of `block` as [outpoint key, public key], for `keyOf` of later blocks. */
export function blockOutputKeys(block: Block): [string, Uint8Array][] {
  return block.txs.flatMap((tx) => {
    const id = txid(tx);
    return tx.outputs.map((o, vout): [string, Uint8Array] => [
      outpointKey({ txid: id, vout }),
      o.pubkey,
    ]);
  });
}

/** Checks packed into one buffer (`PACKED_CHECK_BYTES` each), cheap to post to a worker. */
export function packSignatureChecks(checks: readonly SignatureCheck[]): Uint8Array {
  const packed = new Uint8Array(checks.length * PACKED_CHECK_BYTES);
  checks.forEach((c, i) => {
    const at = i * PACKED_CHECK_BYTES;
    packed.set(c.message, at);
    packed.set(c.publicKey, at + 32);
    packed.set(c.signature, at + 64);
  });
  return packed;
}

/** The inverse of `packSignatureChecks` (views into `packed`, not copies). */
export function unpackSignatureChecks(packed: Uint8Array): SignatureCheck[] {
  if (packed.length % PACKED_CHECK_BYTES !== 0) {
    throw new RangeError(`packed checks: length ${packed.length} is not a multiple of 128`);
  }
  const checks: SignatureCheck[] = [];
  for (let at = 0; at < packed.length; at += PACKED_CHECK_BYTES) {
    checks.push({
      message: packed.subarray(at, at + 32),
      publicKey: packed.subarray(at + 32, at + 64),
      signature: packed.subarray(at + 64, at + PACKED_CHECK_BYTES),
    });
  }
  return checks;
}
