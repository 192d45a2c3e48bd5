/**
 * Network parameters. `main` aims at a block every ~10 s from a single tab hashing ~1 M/s and
 * retargets every block; `regtest` is minimum difficulty with no retarget so tests mine at once.
 */
import type { NetworkName } from '../primitives/address.js';
import { encodeHeader, headerHash, headerId, type Block } from '../primitives/block.js';
import { COIN } from '../primitives/constants.js';
import { bitsToTarget, targetToBits } from './difficulty.js';
import { buildGenesis, GENESIS_MESSAGE, GENESIS_TIME } from './genesis.js';
import { checkProofOfWork } from './pow.js';

export interface ChainParams {
  readonly network: NetworkName;
  /** Easiest allowed target, and its compact form. */
  readonly powLimit: bigint;
  readonly powLimitBits: number;
  /** False on regtest: every block carries `powLimitBits`. */
  readonly retarget: boolean;
  /** Seconds aimed for between blocks. */
  readonly targetSpacing: number;
  /**
   * A block's time may lead the validating node's clock by at most this many seconds. Kept to
   * a few spacings on a retargeting network: a miner stamping its blocks this far ahead makes
   * the retarget see blocks as faster than they are (docs/consensus.md, "Future-time limit").
   */
  readonly maxFutureBlockTime: number;
  /** How many recent blocks the LWMA retarget averages over. */
  readonly retargetWindow: number;
  /** Blocks between subsidy halvings. */
  readonly halvingInterval: number;
  readonly initialSubsidy: bigint;
  readonly genesis: Block;
  /** Display hash of the genesis block; peers on another genesis are refused. */
  readonly genesisId: string;
  /**
   * The genesis block hash in internal byte order (as a header's prevHash holds it): every
   * signature hash commits to it, so a transaction signed for one network fails on another.
   * Treat as read-only.
   */
  readonly genesisHash: Uint8Array;
  /**
   * Regtest with a raised difficulty (`regtestParams`): every block after genesis needs a hash
   * with at least this many leading zero bits. Absent on MAIN and REGTEST.
   */
  readonly powBits?: number;
}

/** Main: the powLimit needs ~1 M hashes per block, genesis difficulty ~10 M (10 s at 1 M/s). */
const MAIN_POW_LIMIT_BITS = targetToBits((1n << 236n) - 1n);
export const MAIN_GENESIS_BITS = targetToBits((1n << 256n) / 10_000_000n);
const REGTEST_POW_LIMIT_BITS = 0x207fffff;

function makeParams(
  spec: Omit<ChainParams, 'powLimit' | 'genesisId' | 'genesisHash' | 'genesis'> & {
    genesis: Block;
  },
): ChainParams {
  return Object.freeze({
    ...spec,
    powLimit: bitsToTarget(spec.powLimitBits),
    genesisId: headerId(spec.genesis.header),
    genesisHash: new Uint8Array(headerHash(spec.genesis.header)),
  });
}

export const MAIN: ChainParams = makeParams({
  network: 'main',
  powLimitBits: MAIN_POW_LIMIT_BITS,
  retarget: true,
  targetSpacing: 10,
  // 3 spacings, below the 6-spacing cap on one solve time in the retarget: a 10% miner
  // stamping blocks this far ahead stretches block time by 0.3% instead of the 33% that 120 s
  // (12 spacings) allowed (tools/ftl-griefing.ts, docs/consensus.md "Future-time limit").
  maxFutureBlockTime: 30,
  retargetWindow: 30,
  halvingInterval: 210_000,
  initialSubsidy: 50n * COIN,
  genesis: buildGenesis({ time: GENESIS_TIME, bits: MAIN_GENESIS_BITS, nonce: 17_964_323 }),
});

const REGTEST_SPEC = {
  network: 'regtest',
  retarget: false,
  targetSpacing: 10,
  // No retarget, so nothing to grief; the wider limit lets a fast regtest miner (hundreds of
  // blocks a second, each at least median time past + 1) run ahead of the clock longer.
  maxFutureBlockTime: 120,
  retargetWindow: 30,
  halvingInterval: 150,
  initialSubsidy: 50n * COIN,
} as const;

export const REGTEST: ChainParams = makeParams({
  ...REGTEST_SPEC,
  powLimitBits: REGTEST_POW_LIMIT_BITS,
  genesis: buildGenesis({ time: GENESIS_TIME, bits: REGTEST_POW_LIMIT_BITS, nonce: 0 }),
});

/** Range of `regtestParams`: 2 bits is about REGTEST's own difficulty, 32 about 4 G hashes. */
export const MIN_POW_BITS = 2;
export const MAX_POW_BITS = 32;

const raisedRegtests = new Map<number, ChainParams>();

/**
 * Regtest with a raised, fixed difficulty, so a teacher can make proof of work visibly hard:
 * every block after genesis must carry the bits of the target 2^(256 - powBits) - 1 (in
 * compact form, rounded down), i.e. its hash has at least `powBits` leading zero bits; no
 * retarget. It is a network of its own, never a rule that differs between tabs of one
 * network: the genesis coinbase message names the difficulty, so each setting has its own
 * genesis id (tracker room, database, signature hashes). The genesis block itself keeps the
 * regtest minimum bits (it is fixed, never validated; mining it at the raised difficulty
 * would cost up to 2^32 hashes here): its nonce is the first that meets those bits, found in a
 * few hashes. Deterministic; results are cached per `powBits`. docs/consensus.md "Regtest
 * difficulty".
 *
 * @example regtestParams(20).powLimitBits === 0x1e0fffff
 */
export function regtestParams(powBits: number): ChainParams {
  if (!Number.isInteger(powBits) || powBits < MIN_POW_BITS || powBits > MAX_POW_BITS) {
    throw new RangeError(`powBits must be an integer ${MIN_POW_BITS}..${MAX_POW_BITS}`);
  }
  const cached = raisedRegtests.get(powBits);
  if (cached) return cached;
  const message = `${GENESIS_MESSAGE}; pow ${powBits}`;
  let nonce = 0;
  const genesisAt = (n: number) =>
    buildGenesis({ time: GENESIS_TIME, bits: REGTEST_POW_LIMIT_BITS, nonce: n, message });
  while (!checkProofOfWork(encodeHeader(genesisAt(nonce).header))) nonce++;
  const params = makeParams({
    ...REGTEST_SPEC,
    powLimitBits: targetToBits((1n << BigInt(256 - powBits)) - 1n),
    genesis: genesisAt(nonce),
    powBits,
  });
  raisedRegtests.set(powBits, params);
  return params;
}

export const NETWORKS: Record<NetworkName, ChainParams> = { main: MAIN, regtest: REGTEST };

/** New coins in the coinbase of the block at `height`: halves every `halvingInterval` blocks. */
export function blockSubsidy(height: number, params: ChainParams): bigint {
  const halvings = Math.floor(height / params.halvingInterval);
  return halvings >= 64 ? 0n : params.initialSubsidy >> BigInt(halvings);
}
