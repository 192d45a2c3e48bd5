/** fast-check generators for consensus objects, shared by the codec tests (not a test file). */
import fc from 'fast-check';
import type { Block, BlockHeader } from '../../core/primitives/block.js';
import type { Tx, TxIn, TxOut } from '../../core/primitives/tx.js';

export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** Any value a CompactSize varint can carry, spread over its four encoded widths. */
export const varintValue = fc.oneof(
  fc.integer({ min: 0, max: 0xfc }),
  fc.integer({ min: 0xfd, max: 0xffff }),
  fc.integer({ min: 0x10000, max: 0xffffffff }),
  fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER }),
);

/** Inputs within the decoder's limits: script at most 100 bytes, witness at most 64. */
export const txInArb: fc.Arbitrary<TxIn> = fc.record({
  prevout: fc.record({ txid: bytes32, vout: u32 }),
  script: fc.uint8Array({ maxLength: 100 }),
  witness: fc.uint8Array({ maxLength: 64 }),
});

export const txOutArb: fc.Arbitrary<TxOut> = fc.record({
  amount: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  pubkey: bytes32,
});

export const txArb: fc.Arbitrary<Tx> = fc.record({
  version: u32,
  inputs: fc.array(txInArb, { maxLength: 4 }),
  outputs: fc.array(txOutArb, { maxLength: 4 }),
  lockTime: u32,
});

export const headerArb: fc.Arbitrary<BlockHeader> = fc.record({
  version: u32,
  prevHash: bytes32,
  merkleRoot: bytes32,
  time: u32,
  bits: u32,
  nonce: u32,
});

export const blockArb: fc.Arbitrary<Block> = fc.record({
  header: headerArb,
  txs: fc.array(txArb, { maxLength: 4 }),
});
