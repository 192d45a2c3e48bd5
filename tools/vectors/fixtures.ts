/**
 * The vectors' fixed inputs: three keys and the BIP340 auxiliary randomness of every signature,
 * each the SHA-256 of a label, so anyone can rebuild them (docs/vectors/README.md).
 */
import { publicKeyOf, sha256 } from '../../core/index.js';

const label = (text: string) => sha256(new TextEncoder().encode(text));

export interface VectorKey {
  name: string;
  secret: Uint8Array;
  pubkey: Uint8Array;
}

/** key1..key3: secret = SHA-256("tabcoin vector key N"). */
export const KEYS: readonly VectorKey[] = [1, 2, 3].map((n) => {
  const secret = label(`tabcoin vector key ${n}`);
  return { name: `key${n}`, secret, pubkey: publicKeyOf(secret) };
});

/** Aux randomness of input `index` of the transaction named `tx`: SHA-256("<tx> aux <index>"). */
export function auxFor(tx: string, index: number): Uint8Array {
  return label(`${tx} aux ${index}`);
}
