/**
 * A bounded cache of signatures already verified, so a transaction checked on mempool entry is
 * not verified again when its block connects (signature checks dominate sync time), and so the
 * node's verification workers (client/verify/) can verify a block's signatures in parallel
 * ahead of the serial connect, which then finds them here.
 *
 * An entry is the exact triple (message, x-only public key, signature): the key is the hex of
 * message ‖ public key ‖ signature, and the last two have fixed lengths (32 and 64 bytes:
 * `verifySignature` refuses any other, failures are never stored and `addVerified` refuses
 * them), so the message is what precedes them and two different triples never share a key. A hit
 * therefore means "this signature verified for this public key over this sighash", never
 * "some signature of this transaction verified".
 *
 * Beside the triples, whole transactions (Bitcoin Core's script execution cache): a transaction
 * whose every input signature verified is remembered by its txid, with its witnesses, the
 * network's genesis hash and the public keys of the coins it spent, in input order. The txid
 * commits to every byte but the witnesses, so to everything its sighash covers, and the
 * witnesses, genesis hash and keys are compared byte for byte (the txid is computed for every
 * transaction anyway; a wtxid would cost a hash more per transaction of a synced block). A hit therefore stands for exactly the triples
 * the transaction's inputs would look up, without computing its sighash or their keys: what
 * a block of transactions already in the mempool costs to connect is then a lookup per
 * transaction. Bounded by the public keys held (`maxEntries`, as the triples; oldest first
 * out); a transaction with more inputs than that is not remembered.
 */
import { equalBytes, toHex } from '../primitives/bytes.js';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verifySignature } from '../primitives/keys.js';
import { txid, type Tx } from '../primitives/tx.js';

export const DEFAULT_SIG_CACHE_SIZE = 50_000;

interface VerifiedTx {
  genesisHash: Uint8Array;
  witnesses: Uint8Array[];
  publicKeys: Uint8Array[];
}

function cacheKey(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): string {
  return toHex(message) + toHex(publicKey) + toHex(signature);
}

export class SignatureCache {
  private readonly seen = new Set<string>();
  /** Whole transactions by txid (hex); `txKeys` counts the public keys they hold. */
  private readonly txs = new Map<string, VerifiedTx>();
  private txKeys = 0;

  constructor(readonly maxEntries = DEFAULT_SIG_CACHE_SIZE) {}

  get size(): number {
    return this.seen.size;
  }

  /** `verifySignature`, remembering successes; failures are never cached. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    if (this.has(signature, message, publicKey)) return true;
    if (!verifySignature(signature, message, publicKey)) return false;
    this.remember(cacheKey(signature, message, publicKey));
    return true;
  }

  /** True when this exact triple verified before (and is still cached). */
  has(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    return this.seen.has(cacheKey(signature, message, publicKey));
  }

  /**
   * Store a triple that `verifySignature` (or a verifier proven to agree with it) accepted
   * elsewhere, e.g. in a verification worker. The caller vouches for it: only ever pass what a
   * verifier said was valid. A signature or key of the wrong length is refused (RangeError),
   * so the key stays unambiguous.
   */
  addVerified(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): void {
    if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) {
      throw new RangeError('addVerified: a signature is 64 bytes and a public key 32');
    }
    this.remember(cacheKey(signature, message, publicKey));
  }

  /**
   * True when every input signature of `tx` verified, on this network (`genesisHash`), for the
   * public keys `publicKeys` (those of the coins it spends, in input order).
   */
  hasTx(tx: Tx, publicKeys: readonly Uint8Array[], genesisHash: Uint8Array): boolean {
    const known = this.txs.get(toHex(txid(tx)));
    if (!known || known.publicKeys.length !== publicKeys.length) return false;
    if (!equalBytes(known.genesisHash, genesisHash)) return false;
    return tx.inputs.every(
      (input, i) =>
        equalBytes(input.witness, known.witnesses[i]!) &&
        equalBytes(publicKeys[i]!, known.publicKeys[i]!),
    );
  }

  /**
   * Remember that every input signature of `tx` verified over its sighash on the network of
   * `genesisHash`, each for the public key at its index in `publicKeys`. The caller vouches for
   * it, as for `addVerified`: only after each of those checks passed.
   */
  addVerifiedTx(tx: Tx, publicKeys: readonly Uint8Array[], genesisHash: Uint8Array): void {
    if (publicKeys.length !== tx.inputs.length) {
      throw new RangeError('addVerifiedTx: one public key per input');
    }
    if (publicKeys.length > this.maxEntries) return;
    const key = toHex(txid(tx));
    const old = this.txs.get(key);
    if (old) {
      this.txs.delete(key);
      this.txKeys -= old.publicKeys.length;
    }
    const witnesses = tx.inputs.map((input) => input.witness);
    this.txs.set(key, { genesisHash, witnesses, publicKeys: [...publicKeys] });
    this.txKeys += publicKeys.length;
    for (const [oldest, entry] of this.txs) {
      if (this.txKeys <= this.maxEntries) break;
      this.txs.delete(oldest);
      this.txKeys -= entry.publicKeys.length;
    }
  }

  private remember(key: string): void {
    if (this.seen.has(key)) return;
    if (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(key);
  }
}
