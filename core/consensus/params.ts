/**
 * Network parameters. `main` aims at a block every ~10 s from a single tab hashing ~1 M/s and
 * retargets every block; `regtest` is minimum difficulty with no retarget so tests mine at once.
 */
import type { NetworkName } from '../primitives/address.js';
import { headerHash, headerId, type Block } from '../primitives/block.js';
import { COIN } from '../primitives/constants.js';
import { bitsToTarget, targetToBits } from './difficulty.js';
import { buildGenesis, GENESIS_TIME } from './genesis.js';

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

export const REGTEST: ChainParams = makeParams({
  network: 'regtest',
  powLimitBits: REGTEST_POW_LIMIT_BITS,
  retarget: false,
  targetSpacing: 10,
  // No retarget, so nothing to grief; the wider limit lets a fast regtest miner (hundreds of
  // blocks a second, each at least median time past + 1) run ahead of the clock longer.
  maxFutureBlockTime: 120,
  retargetWindow: 30,
  halvingInterval: 150,
  initialSubsidy: 50n * COIN,
  genesis: buildGenesis({ time: GENESIS_TIME, bits: REGTEST_POW_LIMIT_BITS, nonce: 0 }),
});

export const NETWORKS: Record<NetworkName, ChainParams> = { main: MAIN, regtest: REGTEST };

/** New coins in the coinbase of the block at `height`: halves every `halvingInterval` blocks. */
export function blockSubsidy(height: number, params: ChainParams): bigint {
  const halvings = Math.floor(height / params.halvingInterval);
  return halvings >= 64 ? 0n : params.initialSubsidy >> BigInt(halvings);
}
