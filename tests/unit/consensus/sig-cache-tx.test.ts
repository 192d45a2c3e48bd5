/**
 * The signature cache's whole-transaction entries (Bitcoin Core's script execution cache): a
 * transaction whose signatures verified is not checked again for the same keys on the same
 * network, and nothing else is taken for it.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  REGTEST,
  SignatureCache,
  checkTxSignatures,
  sha256,
  type Coin,
  type Tx,
} from '../../../core/index.js';
import { alice, bob, outputOf, pay, testKey } from '../../helpers/regtest.js';

const funding: Tx = {
  version: 1,
  inputs: [],
  outputs: [1n, 2n, 3n].map((n) => ({ amount: n * 100_000_000n, pubkey: alice.pubkey })),
  lockTime: 0,
};
const spendable = [0, 1, 2].map((vout) => outputOf(funding, vout, 1));
const coins: Coin[] = spendable.map((s) => s.coin);
const tx = pay(alice, spendable, [{ amount: 500_000_000n, pubkey: bob.pubkey }], true);
const genesis = REGTEST.genesisHash;

/** `tx` with input `at`'s witness changed (its txid does not change). */
function withWitness(at: number, witness: Uint8Array): Tx {
  return { ...tx, inputs: tx.inputs.map((input, i) => (i === at ? { ...input, witness } : input)) };
}

const otherKeyAt = (at: number): Coin[] =>
  coins.map((coin, i) => (i === at ? { ...coin, pubkey: testKey(9).pubkey } : coin));

describe('SignatureCache: whole transactions', () => {
  it('a verified transaction is a hit for the same keys and network, and only then', () => {
    const cache = new SignatureCache();
    const keys = coins.map((c) => c.pubkey);
    expect(cache.hasTx(tx, keys, genesis)).toBe(false);
    expect(checkTxSignatures(tx, coins, cache, genesis).ok).toBe(true);
    expect(cache.hasTx(tx, keys, genesis)).toBe(true);
    // Equal bytes in other arrays are the same keys.
    expect(
      cache.hasTx(
        tx,
        keys.map((k) => k.slice()),
        genesis,
      ),
    ).toBe(true);
    expect(
      cache.hasTx(
        tx,
        otherKeyAt(2).map((c) => c.pubkey),
        genesis,
      ),
    ).toBe(false);
    expect(cache.hasTx(tx, keys.slice(0, 2), genesis)).toBe(false);
    expect(cache.hasTx(tx, keys, sha256(Uint8Array.of(1)))).toBe(false);
    // Another valid witness (every input signs one sighash) is not this entry.
    const other = withWitness(1, tx.inputs[0]!.witness);
    expect(cache.hasTx(other, keys, genesis)).toBe(false);
  });

  it('a hit verifies nothing; a miss verifies every input again', () => {
    const cache = new SignatureCache();
    expect(checkTxSignatures(tx, coins, cache, genesis).ok).toBe(true);
    const verify = vi.spyOn(cache, 'verify');
    expect(checkTxSignatures(tx, coins, cache, genesis).ok).toBe(true);
    expect(verify).not.toHaveBeenCalled();
    // The same transaction spending a coin of another key: checked, and refused.
    const refused = checkTxSignatures(tx, otherKeyAt(1), cache, genesis);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toBe('bad-signature');
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('never remembers a transaction with a bad signature, nor one signed for another network', () => {
    const cache = new SignatureCache();
    const flipped = tx.inputs[2]!.witness.slice();
    flipped[63]! ^= 1;
    const bad = withWitness(2, flipped);
    expect(checkTxSignatures(bad, coins, cache, genesis).ok).toBe(false);
    expect(
      cache.hasTx(
        bad,
        coins.map((c) => c.pubkey),
        genesis,
      ),
    ).toBe(false);
    expect(checkTxSignatures(bad, coins, cache, genesis).ok).toBe(false);
    const elsewhere = sha256(Uint8Array.of(7));
    expect(checkTxSignatures(tx, coins, cache, elsewhere).ok).toBe(false);
    expect(checkTxSignatures(tx, coins, cache, genesis).ok).toBe(true);
    expect(checkTxSignatures(tx, coins, cache, elsewhere).ok).toBe(false);
  });

  it('holds at most maxEntries public keys, the oldest transactions leaving first', () => {
    const cache = new SignatureCache(4);
    const keys = coins.map((c) => c.pubkey);
    const two = pay(alice, spendable.slice(0, 2), [{ amount: 1n, pubkey: bob.pubkey }]);
    cache.addVerifiedTx(tx, keys, genesis);
    cache.addVerifiedTx(two, keys.slice(0, 2), genesis);
    // 3 + 2 keys > 4: the first transaction is gone.
    expect(cache.hasTx(tx, keys, genesis)).toBe(false);
    expect(cache.hasTx(two, keys.slice(0, 2), genesis)).toBe(true);
    const tooBig = new SignatureCache(2);
    tooBig.addVerifiedTx(tx, keys, genesis);
    expect(tooBig.hasTx(tx, keys, genesis)).toBe(false);
  });

  it('refuses a key list that does not match the inputs (a caller bug)', () => {
    const cache = new SignatureCache();
    expect(() => cache.addVerifiedTx(tx, [alice.pubkey], genesis)).toThrow(RangeError);
  });
});
