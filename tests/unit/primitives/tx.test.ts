/** core/primitives/tx.ts and core/primitives/coinbase.ts: the transaction codec, txid/wtxid and the coinbase. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashToHex, toHex } from '../../../core/primitives/bytes.js';
import {
  coinbaseHeight,
  createCoinbase,
  encodeCoinbaseScript,
} from '../../../core/primitives/coinbase.js';
import {
  MAX_BLOCK_BYTES,
  MIN_INPUT_BYTES,
  OUTPUT_BYTES,
} from '../../../core/primitives/constants.js';
import { ByteWriter } from '../../../core/primitives/encoding.js';
import {
  decodeTx,
  encodeTx,
  encodeTxNoWitness,
  isCoinbase,
  isNullOutPoint,
  NULL_TXID,
  NULL_VOUT,
  outpointKey,
  txid,
  txidHex,
  txSize,
  wtxid,
  type Tx,
} from '../../../core/primitives/tx.js';
import { txArb } from '../../helpers/arbitraries.js';
import { rejection } from '../../helpers/results.js';

const nodeSha256d = (data: Uint8Array) =>
  createHash('sha256').update(createHash('sha256').update(data).digest()).digest('hex');

/** A one-input, one-output signed payment with recognisable field bytes. */
const PAYMENT: Tx = {
  version: 1,
  inputs: [
    {
      prevout: { txid: new Uint8Array(32).fill(0x11), vout: 2 },
      script: new Uint8Array(),
      witness: new Uint8Array(64).fill(0x33),
    },
  ],
  outputs: [{ amount: 5_000_000_000n, pubkey: new Uint8Array(32).fill(0x22) }],
  lockTime: 0x01020304,
};

/** PAYMENT's canonical bytes, field by field. */
const PAYMENT_HEX = [
  '01000000', // version
  '01', // input count
  '11'.repeat(32) + '02000000' + '00', // prevout txid, vout, empty script
  '01', // output count
  '00f2052a01000000' + '22'.repeat(32), // 50 coins, pubkey
  '40' + '33'.repeat(64), // witness of input 0
  '04030201', // lock time
];

describe('tx codec', () => {
  it('lays out fields in the documented order', () => {
    expect(toHex(encodeTx(PAYMENT))).toBe(PAYMENT_HEX.join(''));
    expect(toHex(encodeTxNoWitness(PAYMENT))).toBe(PAYMENT_HEX.filter((_, i) => i !== 5).join(''));
  });

  it('round-trips any transaction', () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        expect(decodeTx(encodeTx(tx))).toEqual({ ok: true, value: tx });
      }),
    );
  });

  it('rejects every proper prefix as truncated, without throwing', () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        const bytes = encodeTx(tx);
        for (let n = 0; n < bytes.length; n++) {
          expect(rejection(decodeTx(bytes.subarray(0, n))).reason).toBe('bad-encoding-truncated');
        }
      }),
      { numRuns: 50 },
    );
  });

  it('rejects trailing garbage', () => {
    fc.assert(
      fc.property(txArb, fc.uint8Array({ minLength: 1, maxLength: 9 }), (tx, extra) => {
        const bytes = new Uint8Array([...encodeTx(tx), ...extra]);
        return rejection(decodeTx(bytes)).reason === 'bad-encoding-trailing';
      }),
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const result = decodeTx(bytes);
        return result.ok || result.reason.startsWith('bad-encoding-');
      }),
    );
  });

  describe('refuses counts and lengths over their limits before reading the items', () => {
    const maxInputs = Math.floor(MAX_BLOCK_BYTES / MIN_INPUT_BYTES);
    const maxOutputs = Math.floor(MAX_BLOCK_BYTES / OUTPUT_BYTES);
    const input = (script: Uint8Array) =>
      new ByteWriter().bytes(new Uint8Array(32)).u32(0).varBytes(script).finish();

    const cases: [string, Uint8Array][] = [
      [
        'input count',
        new ByteWriter()
          .u32(1)
          .varint(maxInputs + 1)
          .finish(),
      ],
      ['input count 2^32-1', new ByteWriter().u32(1).varint(0xffffffff).finish()],
      [
        'output count',
        new ByteWriter()
          .u32(1)
          .varint(0)
          .varint(maxOutputs + 1)
          .finish(),
      ],
      [
        'input script length',
        new ByteWriter().u32(1).varint(1).bytes(new Uint8Array(36)).varint(101).finish(),
      ],
      [
        'witness length',
        new ByteWriter()
          .u32(1)
          .varint(1)
          .bytes(input(new Uint8Array()))
          .varint(0)
          .varint(65)
          .finish(),
      ],
    ];

    it.each(cases)('%s', (_what, bytes) => {
      expect(rejection(decodeTx(bytes)).reason).toBe('bad-encoding-oversized');
    });

    it('but accepts the largest allowed script (100) and witness (64)', () => {
      const tx: Tx = {
        ...PAYMENT,
        inputs: [{ ...PAYMENT.inputs[0]!, script: new Uint8Array(100) }],
      };
      expect(decodeTx(encodeTx(tx))).toEqual({ ok: true, value: tx });
    });
  });

  it('refuses non-canonical counts', () => {
    const bytes = new ByteWriter().u32(1).u8(0xfd).bytes(Uint8Array.of(1, 0)).finish();
    expect(rejection(decodeTx(bytes)).reason).toBe('bad-encoding-non-canonical');
    const good = encodeTx(PAYMENT);
    const padded = new Uint8Array([...good.subarray(0, 4), 0xfd, 1, 0, ...good.subarray(5)]);
    expect(rejection(decodeTx(padded)).reason).toBe('bad-encoding-non-canonical');
  });
});

describe('txid / wtxid', () => {
  it('txid is sha256d of the encoding without witnesses; wtxid with them', () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        expect(toHex(txid(tx))).toBe(nodeSha256d(encodeTxNoWitness(tx)));
        expect(toHex(wtxid(tx))).toBe(nodeSha256d(encodeTx(tx)));
        expect(txidHex(tx)).toBe(hashToHex(txid(tx)));
        expect(txSize(tx)).toBe(encodeTx(tx).length);
      }),
    );
  });

  it('a changed signature changes the wtxid but not the txid (no malleability)', () => {
    fc.assert(
      fc.property(txArb, fc.uint8Array({ minLength: 64, maxLength: 64 }), (tx, sig) => {
        fc.pre(tx.inputs.length > 0 && toHex(tx.inputs[0]!.witness) !== toHex(sig));
        const resigned: Tx = {
          ...tx,
          inputs: tx.inputs.map((i, j) => (j ? i : { ...i, witness: sig })),
        };
        return (
          toHex(txid(resigned)) === toHex(txid(tx)) && toHex(wtxid(resigned)) !== toHex(wtxid(tx))
        );
      }),
    );
  });

  it('any change outside the witnesses changes the txid', () => {
    const variants: Tx[] = [
      { ...PAYMENT, version: 2 },
      { ...PAYMENT, lockTime: 0 },
      { ...PAYMENT, outputs: [{ ...PAYMENT.outputs[0]!, amount: 4_999_999_999n }] },
      { ...PAYMENT, inputs: [{ ...PAYMENT.inputs[0]!, prevout: { txid: NULL_TXID, vout: 2 } }] },
    ];
    const ids = new Set([PAYMENT, ...variants].map((t) => txidHex(t)));
    expect(ids.size).toBe(variants.length + 1);
  });
});

describe('coinbase', () => {
  it('is recognised by its single null prevout', () => {
    const cb = createCoinbase({ height: 5, outputs: PAYMENT.outputs.slice() });
    expect(isCoinbase(cb)).toBe(true);
    expect(isNullOutPoint({ txid: NULL_TXID, vout: NULL_VOUT })).toBe(true);
    expect(isNullOutPoint({ txid: NULL_TXID, vout: 0 })).toBe(false);
    expect(isNullOutPoint({ txid: new Uint8Array(32).fill(1), vout: NULL_VOUT })).toBe(false);
    expect(isCoinbase(PAYMENT)).toBe(false);
    expect(isCoinbase({ ...cb, inputs: [cb.inputs[0]!, cb.inputs[0]!] })).toBe(false);
    expect(isCoinbase({ ...cb, inputs: [] })).toBe(false);
  });

  it('commits to its height (BIP34) and extra nonce, making every coinbase txid unique', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (height, extraNonce) => {
          const cb = createCoinbase({ height, extraNonce, outputs: [] });
          expect(coinbaseHeight(cb)).toBe(height);
          expect(decodeTx(encodeTx(cb))).toEqual({ ok: true, value: cb });
          const next = createCoinbase({ height: height + 1, extraNonce, outputs: [] });
          expect(txidHex(next)).not.toBe(txidHex(cb));
        },
      ),
    );
  });

  it('encodes its script as varint height, u32 extra nonce, then the tag', () => {
    expect(toHex(encodeCoinbaseScript(300, 7, Uint8Array.of(0xaa)))).toBe(
      'fd2c01' + '07000000' + 'aa',
    );
  });

  it('reports no height for a missing or non-canonical height', () => {
    expect(coinbaseHeight({ ...PAYMENT, inputs: [] })).toBeUndefined();
    const bad = createCoinbase({ height: 0, outputs: [] });
    const script = Uint8Array.of(0xfd, 0x05, 0x00, 0, 0, 0, 0);
    expect(coinbaseHeight({ ...bad, inputs: [{ ...bad.inputs[0]!, script }] })).toBeUndefined();
  });
});

describe('outpointKey', () => {
  it('is the display txid and the output index', () => {
    const prevout = PAYMENT.inputs[0]!.prevout;
    expect(outpointKey(prevout)).toBe(`${'11'.repeat(32)}:2`);
    expect(outpointKey({ txid: txid(PAYMENT), vout: 0 })).toBe(`${txidHex(PAYMENT)}:0`);
  });
});
