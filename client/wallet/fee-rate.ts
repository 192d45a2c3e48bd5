/**
 * A fee rate to suggest, read from the node's mempool projected into the next blocks exactly as
 * this node's template would mine them (core `projectBlocks`): the default while the next block
 * has room for everything waiting, otherwise one unit per byte above the best rate that the next
 * block leaves out (a payment paying more ranks ahead of everything left waiting).
 */
import { projectBlocks, type Mempool, type MempoolEntry } from '../../core/index.js';

/** Base units per byte: twice the minimum relay fee rate (a one-coin payment pays 384 units). */
export const DEFAULT_FEE_RATE = 2n;

export interface FeeSuggestion {
  /** Base units per byte. */
  rate: bigint;
  /** Why, in words: what the mempool holds. */
  reason: string;
}

/**
 * The fee rate a payment made now should pay to be in the next block; `nextBlock` is
 * `projectBlocks(mempool, 1)[0]` when the caller has it already.
 */
export function suggestFeeRate(
  mempool: Mempool,
  nextBlock: readonly MempoolEntry[] = projectBlocks(mempool, 1)[0] ?? [],
): FeeSuggestion {
  const floor = DEFAULT_FEE_RATE > mempool.minFeeRate ? DEFAULT_FEE_RATE : mempool.minFeeRate;
  const next = new Set(nextBlock.map((e) => e.id));
  const waiting = mempool.entries();
  const left = waiting.filter((e) => !next.has(e.id));
  if (left.length > 0) {
    const best = left.reduce((max, e) => Math.max(max, e.feeRate), 0);
    const above = BigInt(Math.floor(best)) + 1n;
    const rate = above > floor ? above : floor;
    return { rate, reason: `the next block is full: it takes ${rate} units per byte or more` };
  }
  const count = waiting.length;
  const reason =
    count === 0
      ? 'the mempool is empty: any rate from the minimum gets into the next block'
      : `${count} transaction${count === 1 ? '' : 's'} (${mempool.bytes} bytes) waiting: the next block has room for all`;
  return { rate: floor, reason };
}
