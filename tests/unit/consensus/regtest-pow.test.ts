/**
 * core/consensus/params.ts `regtestParams` (regtest with a raised difficulty) and
 * core/consensus/pow.ts `leadingZeroBits`.
 */
import { describe, expect, it } from 'vitest';
import {
  bitsToTarget,
  checkProofOfWork,
  encodeHeader,
  headerHash,
  headerId,
  leadingZeroBits,
  MAX_POW_BITS,
  MemoryStore,
  mineRange,
  NodeState,
  REGTEST,
  regtestParams,
  type Block,
  type ChainParams,
} from '../../../core/index.js';
import { testKey } from '../../helpers/regtest.js';

const POW = 12;

async function templateOn(params: ChainParams): Promise<{ node: NodeState; block: Block }> {
  const node = await NodeState.open(params, new MemoryStore());
  const now = params.genesis.header.time + 600;
  const { block } = await node.template(testKey(0).pubkey, now, 0);
  return { node, block };
}

/** First nonce from `from` whose hash meets (`meets`) or fails the header's own bits. */
function nonceWhere(block: Block, meets: boolean): number {
  for (let nonce = 0; ; nonce++) {
    if (checkProofOfWork(encodeHeader({ ...block.header, nonce })) === meets) return nonce;
  }
}

describe('leadingZeroBits', () => {
  it('counts from the most significant bit of the little-endian number', () => {
    expect(leadingZeroBits(0n)).toBe(256);
    expect(leadingZeroBits((1n << 256n) - 1n)).toBe(0);
    expect(leadingZeroBits(1n << 236n)).toBe(19);
    expect(leadingZeroBits((1n << 236n) - 1n)).toBe(20);
    const hash = new Uint8Array(32);
    hash[31] = 0x01; // the last byte is the most significant: display hex starts "01"
    expect(leadingZeroBits(hash)).toBe(7);
    hash[31] = 0;
    hash[30] = 0x10; // display hex "0010…": 8 + 3 zero bits
    expect(leadingZeroBits(hash)).toBe(11);
  });

  it('refuses what is not a 256-bit value', () => {
    expect(() => leadingZeroBits(new Uint8Array(31))).toThrow(RangeError);
    expect(() => leadingZeroBits(-1n)).toThrow(RangeError);
    expect(() => leadingZeroBits(1n << 256n)).toThrow(RangeError);
  });
});

describe('regtestParams', () => {
  it('gives each difficulty its own genesis id, deterministically', () => {
    const ids = [12, 16, 20, 24].map((bits) => regtestParams(bits).genesisId);
    expect(new Set([...ids, REGTEST.genesisId]).size).toBe(5);
    expect(regtestParams(20).genesisId).toBe(ids[2]);
    for (const bits of [12, 16, 20, 24]) {
      const params = regtestParams(bits);
      expect(params).toMatchObject({ network: 'regtest', retarget: false, powBits: bits });
      expect(headerId(params.genesis.header)).toBe(params.genesisId);
      expect(params.genesisHash).toEqual(headerHash(params.genesis.header));
      // The fixed genesis keeps the regtest minimum bits and meets them.
      expect(params.genesis.header.bits).toBe(REGTEST.powLimitBits);
      expect(checkProofOfWork(encodeHeader(params.genesis.header))).toBe(true);
    }
  });

  it('matches the table in docs/consensus.md §6.5', () => {
    const recorded: [number, number, number, string][] = [
      [16, 0x1f00ffff, 3, '4c8729c800c71076d20bb7a6bd68ae51aaf737ed8b4c0b94e485c046aa1aff3d'],
      [20, 0x1e0fffff, 3, '6eb7ad0bacd8b730830a154a3ce6b5b59e7672764050bc7e1be1d889e2287d6d'],
      [24, 0x1e00ffff, 0, '354b6ed3a9b719388bbffde213bd940133973528673a0991ec38399113589e80'],
    ];
    for (const [bits, compact, nonce, id] of recorded) {
      const params = regtestParams(bits);
      expect([params.powLimitBits, params.genesis.header.nonce, params.genesisId]).toEqual([
        compact,
        nonce,
        id,
      ]);
    }
  });

  it('requires exactly `powBits` leading zero bits of every block hash', () => {
    for (const bits of [2, 8, 12, 20, 31, MAX_POW_BITS]) {
      const { powLimit, powLimitBits } = regtestParams(bits);
      expect(bitsToTarget(powLimitBits)).toBe(powLimit);
      expect(leadingZeroBits(powLimit)).toBe(bits); // the easiest hash allowed has `bits` zeros
      expect(powLimit).toBeLessThan(1n << BigInt(256 - bits));
    }
  });

  it('refuses settings out of range', () => {
    for (const bits of [1, 33, 2.5, Number.NaN]) {
      expect(() => regtestParams(bits)).toThrow(RangeError);
    }
  });

  it('accepts a block meeting the raised target: its hash has at least powBits zeros', async () => {
    const params = regtestParams(POW);
    const { node, block } = await templateOn(params);
    expect(block.header.bits).toBe(params.powLimitBits);
    const nonce = mineRange(encodeHeader(block.header), params.powLimit, 0, 2 ** 32);
    const mined = { ...block, header: { ...block.header, nonce } };
    const result = await node.processBlock(mined, block.header.time);
    expect(result.ok).toBe(true);
    expect(leadingZeroBits(headerHash(mined.header))).toBeGreaterThanOrEqual(POW);
    expect(node.chain.height).toBe(1);
  });

  it('refuses a block below the raised target (high-hash) or at easier bits (bad-diffbits)', async () => {
    const params = regtestParams(POW);
    const { node, block } = await templateOn(params);
    const weak = { ...block, header: { ...block.header, nonce: nonceWhere(block, false) } };
    expect(await node.processBlock(weak, block.header.time)).toMatchObject({
      ok: false,
      reason: 'high-hash',
    });
    // Plain regtest's bits, met: fine on REGTEST, refused here.
    const easy = { ...block, header: { ...block.header, bits: REGTEST.powLimitBits } };
    const easyMined = { ...easy, header: { ...easy.header, nonce: nonceWhere(easy, true) } };
    expect(await node.processBlock(easyMined, block.header.time)).toMatchObject({
      ok: false,
      reason: 'bad-diffbits',
    });
    expect(node.chain.height).toBe(0);
  });

  it('does not link to plain regtest: a REGTEST block has an unknown parent here', async () => {
    const { block } = await templateOn(REGTEST);
    const mined = { ...block, header: { ...block.header, nonce: nonceWhere(block, true) } };
    const { node } = await templateOn(regtestParams(POW));
    const result = await node.processBlock(mined, block.header.time);
    expect(result.ok).toBe(false);
    expect(node.chain.height).toBe(0);
  });
});
