/**
 * Signing: every input signs one tagged hash of the whole transaction without witnesses
 * (SIGHASH_ALL), so no part of a signed transaction can change without breaking a signature.
 */
import { taggedHash } from './hash.js';
import { signMessage } from './keys.js';
import { encodeTxNoWitness, type Tx } from './tx.js';

export const SIGHASH_TAG = 'Tabcoin/sighash';

/** The 32-byte message each input of `tx` signs. */
export function sighash(tx: Tx): Uint8Array {
  return taggedHash(SIGHASH_TAG, encodeTxNoWitness(tx));
}

/**
 * A copy of `tx` with every input signed by the key that `secretKeyFor(index)` returns.
 * `auxRand(index)` supplies BIP340 auxiliary randomness (core has no randomness of its own).
 */
export function signTx(
  tx: Tx,
  secretKeyFor: (index: number) => Uint8Array,
  auxRand: (index: number) => Uint8Array = () => new Uint8Array(32),
): Tx {
  const message = sighash(tx);
  return {
    ...tx,
    inputs: tx.inputs.map((input, i) => ({
      ...input,
      witness: signMessage(message, secretKeyFor(i), auxRand(i)),
    })),
  };
}
