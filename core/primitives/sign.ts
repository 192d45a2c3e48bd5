/**
 * Signing: every input signs one tagged hash of the network's genesis block hash and the whole
 * transaction without witnesses (SIGHASH_ALL). No part of a signed transaction can change
 * without breaking a signature, and a payment signed for one network (regtest) is invalid on
 * every other (main), even when the same key owns coins on both.
 */
import { assertBytes } from './bytes.js';
import { taggedHash } from './hash.js';
import { signMessage } from './keys.js';
import { encodeTxNoWitness, type Tx } from './tx.js';

export const SIGHASH_TAG = 'Tabcoin/sighash';

/**
 * The 32-byte message each input of `tx` signs:
 * `taggedHash('Tabcoin/sighash', genesisHash ‖ encodeTxNoWitness(tx))`, where `genesisHash` is
 * the network's 32-byte genesis block hash in internal byte order (`ChainParams.genesisHash`,
 * the form a header's prevHash field holds).
 * @example sighash(tx, REGTEST.genesisHash)
 */
export function sighash(tx: Tx, genesisHash: Uint8Array): Uint8Array {
  assertBytes(genesisHash, 'genesisHash', 32);
  return taggedHash(SIGHASH_TAG, genesisHash, encodeTxNoWitness(tx));
}

/**
 * A copy of `tx` with every input signed, for the network whose genesis block hash is
 * `genesisHash`, by the key that `secretKeyFor(index)` returns. `auxRand(index)` supplies BIP340
 * auxiliary randomness (core has no randomness of its own).
 */
export function signTx(
  tx: Tx,
  genesisHash: Uint8Array,
  secretKeyFor: (index: number) => Uint8Array,
  auxRand: (index: number) => Uint8Array = () => new Uint8Array(32),
): Tx {
  const message = sighash(tx, genesisHash);
  return {
    ...tx,
    inputs: tx.inputs.map((input, i) => ({
      ...input,
      witness: signMessage(message, secretKeyFor(i), auxRand(i)),
    })),
  };
}
