/**
 * core/primitives/sign.ts and the signature part of core/consensus/tx-checks.ts: signatures
 * commit to the network's genesis hash, so a payment signed for one network is refused with
 * `bad-signature` on every other, in a block and in the mempool.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  MAIN,
  MapCoinView,
  Mempool,
  REGTEST,
  SIGHASH_TAG,
  SignatureCache,
  checkTxInputs,
  concatBytes,
  encodeTxNoWitness,
  sighash,
  signTx,
  toHex,
  type ChainParams,
  type Coin,
  type Tx,
} from '../../../core/index.js';
import { testKey } from '../../helpers/regtest.js';

const alice = testKey(1);
const bob = testKey(2);
const coin: Coin = { amount: 5_000_000_000n, pubkey: alice.pubkey, height: 1, coinbase: false };
const prevout = { txid: new Uint8Array(32).fill(7), vout: 0 };
const unsigned: Tx = {
  version: 1,
  inputs: [{ prevout, script: new Uint8Array(), witness: new Uint8Array() }],
  outputs: [{ amount: 4_999_990_000n, pubkey: bob.pubkey }],
  lockTime: 0,
};
const view = () => new MapCoinView(new Map([['07'.repeat(32) + ':0', coin]]));

function signedFor(params: ChainParams): Tx {
  return signTx(unsigned, params.genesisHash, () => alice.secret);
}

function checkOn(tx: Tx, params: ChainParams) {
  return checkTxInputs(tx, view(), {
    spendHeight: 100,
    missingReason: 'bad-txns-inputs-missingorspent',
    sigCache: new SignatureCache(),
    genesisHash: params.genesisHash,
  });
}

describe('sighash', () => {
  it("is taggedHash('Tabcoin/sighash', genesis hash ‖ tx without witnesses), by hand", () => {
    const tag = sha256(new TextEncoder().encode('Tabcoin/sighash'));
    const expected = sha256(
      concatBytes(tag, tag, REGTEST.genesisHash, encodeTxNoWitness(unsigned)),
    );
    expect(SIGHASH_TAG).toBe('Tabcoin/sighash');
    expect(toHex(sighash(unsigned, REGTEST.genesisHash))).toBe(toHex(expected));
  });

  it('uses the genesis hash in internal byte order (the reverse of the displayed id)', () => {
    for (const params of [MAIN, REGTEST]) {
      expect(toHex(params.genesisHash)).toBe(params.genesisId.match(/../g)!.reverse().join(''));
    }
  });

  it('differs between networks for the same transaction', () => {
    expect(toHex(sighash(unsigned, MAIN.genesisHash))).not.toBe(
      toHex(sighash(unsigned, REGTEST.genesisHash)),
    );
  });

  it('refuses a genesis hash that is not 32 bytes', () => {
    expect(() => sighash(unsigned, new Uint8Array(31))).toThrow(/genesisHash/);
  });
});

describe('a transaction signed for one network', () => {
  it.each([
    ['regtest', 'main', REGTEST, MAIN],
    ['main', 'regtest', MAIN, REGTEST],
  ])('signed for %s is valid there and refused with bad-signature on %s', (_a, _b, own, other) => {
    const tx = signedFor(own);
    expect(checkOn(tx, own).ok).toBe(true);
    const refused = checkOn(tx, other);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && [refused.reason, refused.category, refused.score]).toEqual([
      'bad-signature',
      'consensus',
      100,
    ]);
  });

  it('is refused by a main mempool when signed for regtest, accepted when signed for main', async () => {
    const chainView = {
      getCoins: async (keys: readonly string[]) => keys.map((k) => view().getCoin(k)),
      height: 100,
      medianTimePast: 0,
      sigCache: new SignatureCache(),
      genesisHash: MAIN.genesisHash,
    };
    const refused = await new Mempool().accept(signedFor(REGTEST), chainView, 0);
    expect(!refused.ok && refused.reason).toBe('bad-signature');
    expect((await new Mempool().accept(signedFor(MAIN), chainView, 0)).ok).toBe(true);
  });
});
