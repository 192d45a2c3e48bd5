/**
 * Listing a block's signature checks (core/consensus/sig-checks.ts): one per signed input with
 * the key of the coin it spends, found in the block itself or through the lookup; the packed
 * form round-trips.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  NodeState,
  PACKED_CHECK_BYTES,
  blockOutputKeys,
  blockSignatureChecks,
  outpointKey,
  packSignatureChecks,
  sighash,
  txid,
  unpackSignatureChecks,
  verifySignature,
} from '../../../core/index.js';
import {
  alice,
  bob,
  buildBlock,
  outputOf,
  params,
  pay,
  type Spendable,
} from '../../helpers/regtest.js';

const funding = (n: number): Spendable =>
  outputOf(
    { version: 1, inputs: [], outputs: [{ amount: 5_000n, pubkey: alice.pubkey }], lockTime: n },
    0,
  );

describe('blockSignatureChecks', async () => {
  const tip = (await NodeState.open(params, new MemoryStore())).chain.tip;
  const a = funding(1);
  const b = funding(2);
  const first = pay(alice, [a, b], [{ amount: 9_000n, pubkey: bob.pubkey }], true);
  const second = pay(bob, [outputOf(first, 0)], [{ amount: 8_000n, pubkey: alice.pubkey }]);
  const unknown = pay(alice, [funding(3)], [{ amount: 1n, pubkey: alice.pubkey }]);
  const block = buildBlock(tip, { txs: [first, second, unknown] });
  const known = new Map([
    [a.key, alice.pubkey],
    [b.key, alice.pubkey],
  ]);

  it('lists every signed input with its coin key, from the block or the lookup', () => {
    const checks = blockSignatureChecks(block, params.genesisHash, (k) => known.get(k));
    expect(checks.map((c) => c.publicKey)).toEqual([alice.pubkey, alice.pubkey, bob.pubkey]);
    expect(checks[0]!.message).toEqual(sighash(first, params.genesisHash));
    expect(checks[2]!.message).toEqual(sighash(second, params.genesisHash));
    expect(checks.every((c) => verifySignature(c.signature, c.message, c.publicKey))).toBe(true);
  });

  it('leaves out coins it cannot find and witnesses that are not a signature', () => {
    const short = { ...second, inputs: [{ ...second.inputs[0]!, witness: new Uint8Array(63) }] };
    const other = buildBlock(tip, { txs: [first, short] });
    expect(blockSignatureChecks(other, params.genesisHash, () => undefined)).toEqual([]);
  });

  it('hands out every output for later blocks', () => {
    const outputs = blockOutputKeys(block);
    expect(outputs).toContainEqual([outpointKey({ txid: txid(first), vout: 0 }), bob.pubkey]);
    expect(outputs.length).toBe(4);
  });
});

describe('packSignatureChecks', () => {
  const check = fc.record({
    message: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    publicKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(fc.array(check, { maxLength: 20 }), (checks) => {
        const packed = packSignatureChecks(checks);
        expect(packed.length).toBe(checks.length * PACKED_CHECK_BYTES);
        expect(unpackSignatureChecks(packed)).toEqual(checks);
      }),
    );
  });

  it('refuses a buffer that is not whole checks', () => {
    expect(() => unpackSignatureChecks(new Uint8Array(PACKED_CHECK_BYTES + 1))).toThrow(RangeError);
  });
});
