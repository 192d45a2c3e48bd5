/**
 * A fee rate to suggest, read from the node's mempool: the default while the next block has
 * room for everything waiting, otherwise one unit per byte above the cheapest transaction that
 * would still make it into the next block (miners fill blocks by fee rate, highest first).
 */
import { MAX_BLOCK_BYTES, type Mempool } from '../../core/index.js';

/** Base units per byte: twice the minimum relay fee rate (a one-coin payment pays 384 units). */
export const DEFAULT_FEE_RATE = 2n;

/** Room kept for the coinbase and the block header when estimating what fits in a block. */
const BLOCK_OVERHEAD_BYTES = 1_000;

export interface FeeSuggestion {
  /** Base units per byte. */
  rate: bigint;
  /** Why, in words: what the mempool holds. */
  reason: string;
}

/** The fee rate a payment made now should pay to be in the next block. */
export function suggestFeeRate(mempool: Mempool): FeeSuggestion {
  const floor = DEFAULT_FEE_RATE > mempool.minFeeRate ? DEFAULT_FEE_RATE : mempool.minFeeRate;
  const waiting = mempool.byFeeRate();
  const room = MAX_BLOCK_BYTES - BLOCK_OVERHEAD_BYTES;
  let used = 0;
  for (const entry of waiting) {
    used += entry.size;
    if (used > room) {
      const above = BigInt(Math.floor(entry.feeRate)) + 1n;
      const rate = above > floor ? above : floor;
      return { rate, reason: `the next block is full: it takes ${rate} units per byte or more` };
    }
  }
  const count = waiting.length;
  const reason =
    count === 0
      ? 'the mempool is empty: any rate from the minimum gets into the next block'
      : `${count} transaction${count === 1 ? '' : 's'} (${mempool.bytes} bytes) waiting: the next block has room for all`;
  return { rate: floor, reason };
}
