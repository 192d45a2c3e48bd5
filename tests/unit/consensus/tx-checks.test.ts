/** Context-free transaction checks and finality: each rule with its exact reason. */
import { describe, expect, it } from 'vitest';
import {
  MAX_MONEY,
  NULL_TXID,
  NULL_VOUT,
  checkTxSanity,
  createCoinbase,
  isFinalTx,
  LOCKTIME_THRESHOLD,
  type Tx,
} from '../../../core/index.js';
import { outputOf, pay, testKey } from '../../helpers/regtest.js';

const alice = testKey(1);
const funding = createCoinbase({ height: 1, outputs: [{ amount: 50n, pubkey: alice.pubkey }] });
const valid = pay(alice, [outputOf(funding)], [{ amount: 40n, pubkey: alice.pubkey }]);

function reasonOf(tx: Tx): string | undefined {
  const result = checkTxSanity(tx);
  return result.ok ? undefined : result.reason;
}

describe('checkTxSanity', () => {
  it('accepts a well-formed payment and coinbase', () => {
    expect(checkTxSanity(valid)).toEqual({ ok: true });
    expect(checkTxSanity(funding)).toEqual({ ok: true });
  });

  it.each([
    ['bad-txns-vin-empty', { ...valid, inputs: [] }],
    ['bad-txns-vout-empty', { ...valid, outputs: [] }],
    [
      'bad-txns-vout-toolarge',
      { ...valid, outputs: [{ amount: MAX_MONEY + 1n, pubkey: alice.pubkey }] },
    ],
    [
      'bad-txns-txouttotal-toolarge',
      {
        ...valid,
        outputs: [
          { amount: MAX_MONEY, pubkey: alice.pubkey },
          { amount: 1n, pubkey: alice.pubkey },
        ],
      },
    ],
    ['bad-txns-inputs-duplicate', { ...valid, inputs: [valid.inputs[0]!, valid.inputs[0]!] }],
    [
      'bad-txns-prevout-null',
      {
        ...valid,
        inputs: [
          valid.inputs[0]!,
          { ...valid.inputs[0]!, prevout: { txid: NULL_TXID, vout: NULL_VOUT } },
        ],
      },
    ],
    [
      'bad-txns-input-script',
      { ...valid, inputs: [{ ...valid.inputs[0]!, script: Uint8Array.of(1) }] },
    ],
    ['bad-signature', { ...valid, inputs: [{ ...valid.inputs[0]!, witness: new Uint8Array() }] }],
    ['bad-signature', { ...valid, inputs: [{ ...valid.inputs[0]!, witness: new Uint8Array(63) }] }],
    [
      'bad-cb-length',
      { ...funding, inputs: [{ ...funding.inputs[0]!, script: Uint8Array.of(1) }] },
    ],
    [
      'bad-cb-length',
      { ...funding, inputs: [{ ...funding.inputs[0]!, script: new Uint8Array(101) }] },
    ],
    [
      'bad-cb-witness',
      { ...funding, inputs: [{ ...funding.inputs[0]!, witness: new Uint8Array(64) }] },
    ],
  ] as [string, Tx][])('refuses with %s', (reason, tx) => {
    const result = checkTxSanity(tx);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.category).toBe('consensus');
      expect(result.score).toBe(100);
      expect(result.message.length).toBeGreaterThan(5);
    }
  });

  it('names which input is unsigned', () => {
    const unsigned = { ...valid, inputs: [{ ...valid.inputs[0]!, witness: new Uint8Array() }] };
    const result = checkTxSanity(unsigned);
    expect(!result.ok && result.message).toBe('input 0 is not signed');
    expect(reasonOf(valid)).toBeUndefined();
  });
});

describe('isFinalTx', () => {
  it('treats lock times below the threshold as heights and above as times', () => {
    expect(isFinalTx({ ...valid, lockTime: 0 }, 1, 0)).toBe(true);
    expect(isFinalTx({ ...valid, lockTime: 10 }, 10, 0)).toBe(false);
    expect(isFinalTx({ ...valid, lockTime: 10 }, 11, 0)).toBe(true);
    const time = LOCKTIME_THRESHOLD + 1000;
    expect(isFinalTx({ ...valid, lockTime: time }, 1_000_000, time)).toBe(false);
    expect(isFinalTx({ ...valid, lockTime: time }, 1, time + 1)).toBe(true);
  });
});
