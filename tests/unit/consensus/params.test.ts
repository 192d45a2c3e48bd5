/** core/consensus/params.ts and core/consensus/genesis.ts: network parameters, genesis blocks, subsidy. */
import { describe, expect, it } from 'vitest';
import {
  blockMerkle,
  decodeBlock,
  encodeBlock,
  encodeHeader,
  headerId,
} from '../../../core/primitives/block.js';
import { toHex } from '../../../core/primitives/bytes.js';
import { coinbaseHeight } from '../../../core/primitives/coinbase.js';
import { COIN, MAX_MONEY } from '../../../core/primitives/constants.js';
import { bitsToTarget, targetToBits, workFromBits } from '../../../core/consensus/difficulty.js';
import { GENESIS_MESSAGE, NUMS_PUBKEY } from '../../../core/consensus/genesis.js';
import { isValidPublicKey } from '../../../core/primitives/keys.js';
import {
  blockSubsidy,
  MAIN,
  MAIN_GENESIS_BITS,
  NETWORKS,
  REGTEST,
  type ChainParams,
} from '../../../core/consensus/params.js';
import { checkProofOfWork } from '../../../core/consensus/pow.js';
import { isCoinbase, txidHex } from '../../../core/primitives/tx.js';

/**
 * The genesis ids, recorded when the nonces were mined (tools/mine-genesis.ts). Any change to
 * the genesis spec or to the header, coinbase or merkle encoding changes them: a new network.
 */
const GENESIS_IDS: Record<string, string> = {
  main: '000000bba995a5bf2c02b1269623c65425f808d2bda36cb96499f4667c84d356',
  regtest: '46ed8505bf8465c7563cf12239eec6e5b42e1ca10badd01b9811602d02aacc1d',
};
/** The coinbase both genesis blocks share (same height, output and message). */
const GENESIS_COINBASE_TXID = 'eabd8c1b81633634db39a0b8b43391422d3bf3ed856fd038bcf78a28b3ffab97';

describe.each([MAIN, REGTEST])('$network genesis block', (params: ChainParams) => {
  const { genesis } = params;
  const raw = encodeHeader(genesis.header);

  it('hashes to the recorded id', () => {
    expect(headerId(genesis.header)).toBe(GENESIS_IDS[params.network]);
    expect(params.genesisId).toBe(GENESIS_IDS[params.network]);
  });

  it('passes checkProofOfWork at its own bits', () => {
    expect(checkProofOfWork(raw)).toBe(true);
    expect(genesis.header.bits).toBe(params.network === 'main' ? MAIN_GENESIS_BITS : 0x207fffff);
  });

  it('is block zero: no parent, version 1, one coinbase at height 0', () => {
    expect(genesis.header.prevHash).toEqual(new Uint8Array(32));
    expect(genesis.header.version).toBe(1);
    expect(genesis.txs).toHaveLength(1);
    const coinbase = genesis.txs[0]!;
    expect(isCoinbase(coinbase)).toBe(true);
    expect(coinbaseHeight(coinbase)).toBe(0);
    expect(txidHex(coinbase)).toBe(GENESIS_COINBASE_TXID);
  });

  it('pays nothing, to the unspendable NUMS key, and carries the genesis message', () => {
    const coinbase = genesis.txs[0]!;
    expect(coinbase.outputs).toEqual([{ amount: 0n, pubkey: NUMS_PUBKEY }]);
    expect(isValidPublicKey(NUMS_PUBKEY)).toBe(true);
    const script = new TextDecoder().decode(coinbase.inputs[0]!.script);
    expect(script.endsWith(GENESIS_MESSAGE)).toBe(true);
  });

  it('commits to its coinbase in the merkle root, unmutated', () => {
    const merkle = blockMerkle(genesis.txs);
    expect(toHex(genesis.header.merkleRoot)).toBe(toHex(merkle.root));
    expect(merkle.mutated).toBe(false);
  });

  it('round-trips through the block codec', () => {
    expect(decodeBlock(encodeBlock(genesis))).toEqual({ ok: true, value: genesis });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(params)).toBe(true);
  });
});

describe('main difficulty parameters', () => {
  it('powLimit and its compact form agree, and need about a million hashes per block', () => {
    expect(MAIN.powLimit).toBe(bitsToTarget(MAIN.powLimitBits));
    expect(targetToBits(MAIN.powLimit)).toBe(MAIN.powLimitBits);
    expect(MAIN.powLimit < 1n << 236n).toBe(true);
    expect(MAIN.powLimit > (1n << 236n) - (1n << 217n)).toBe(true);
    const work = workFromBits(MAIN.powLimitBits);
    expect(work >= 1n << 20n && work < 1_100_000n).toBe(true);
  });

  it('starts genesis at ~10 M expected hashes, harder than the powLimit', () => {
    const genesisTarget = bitsToTarget(MAIN_GENESIS_BITS);
    expect(genesisTarget > 0n && genesisTarget < MAIN.powLimit).toBe(true);
    const work = workFromBits(MAIN_GENESIS_BITS);
    expect(work >= 10_000_000n && work < 10_001_000n).toBe(true);
    // The id's leading zeros show the work: at least 24 zero bits at this target.
    expect(MAIN.genesisId.startsWith('000000')).toBe(true);
  });

  it('retargets every block over a 30-block window aiming at 10 s', () => {
    expect(MAIN).toMatchObject({ retarget: true, targetSpacing: 10, retargetWindow: 30 });
  });
});

describe('regtest parameters', () => {
  it("uses Bitcoin regtest's minimum difficulty and no retarget", () => {
    expect(REGTEST.powLimitBits).toBe(0x207fffff);
    expect(REGTEST.powLimit).toBe(0x7fffffn << 232n);
    expect(REGTEST.retarget).toBe(false);
    expect(REGTEST.genesis.header.bits).toBe(REGTEST.powLimitBits);
  });

  it('has a different genesis from main, so the networks never join', () => {
    expect(REGTEST.genesisId).not.toBe(MAIN.genesisId);
  });

  it('is reachable by name', () => {
    expect(NETWORKS).toEqual({ main: MAIN, regtest: REGTEST });
  });
});

describe('blockSubsidy', () => {
  it('halves every halvingInterval blocks', () => {
    const fifty = 50n * COIN;
    expect(blockSubsidy(0, MAIN)).toBe(fifty);
    expect(blockSubsidy(209_999, MAIN)).toBe(fifty);
    expect(blockSubsidy(210_000, MAIN)).toBe(fifty / 2n);
    expect(blockSubsidy(419_999, MAIN)).toBe(fifty / 2n);
    expect(blockSubsidy(420_000, MAIN)).toBe(fifty / 4n);
    expect(blockSubsidy(149, REGTEST)).toBe(fifty);
    expect(blockSubsidy(150, REGTEST)).toBe(fifty / 2n);
  });

  it('rounds down and reaches zero: 1 base unit after 32 halvings, 0 after 33', () => {
    expect(blockSubsidy(32 * 210_000, MAIN)).toBe(1n);
    expect(blockSubsidy(33 * 210_000, MAIN)).toBe(0n);
    expect(blockSubsidy(64 * 210_000, MAIN)).toBe(0n);
    expect(blockSubsidy(Number.MAX_SAFE_INTEGER, MAIN)).toBe(0n);
  });

  it("sums to Bitcoin's 20,999,999.9769 coins, within MAX_MONEY", () => {
    let total = 0n;
    for (let era = 0; era < 64; era++) {
      total += BigInt(MAIN.halvingInterval) * blockSubsidy(era * MAIN.halvingInterval, MAIN);
    }
    expect(total).toBe(2_099_999_997_690_000n);
    expect(total <= MAX_MONEY).toBe(true);
  });
});
