/**
 * The mempool as the next blocks: pending transactions packed exactly as this node's template
 * would mine them (core `projectBlocks`), each block's fee-rate range, and each transaction's
 * expected wait in words.
 */
import { projectBlocks, type Mempool, type MempoolEntry } from '../../../core/index.js';

export interface ProjectedBlock {
  entries: MempoolEntry[];
  bytes: number;
  fees: bigint;
  /** Lowest and highest fee rate (units/byte) of its transactions. */
  minRate: number;
  maxRate: number;
}

/** The next `count` projected blocks (fewer when the mempool runs out). */
export function nextBlocks(mempool: Mempool, count: number): ProjectedBlock[] {
  return projectBlocks(mempool, count).map((entries) => ({
    entries,
    bytes: entries.reduce((sum, e) => sum + e.size, 0),
    fees: entries.reduce((sum, e) => sum + e.fee, 0n),
    minRate: Math.min(...entries.map((e) => e.feeRate)),
    maxRate: Math.max(...entries.map((e) => e.feeRate)),
  }));
}

/** Expected wait of a transaction in projected block `index` (0-based; -1: beyond them). */
export function waitLabel(index: number, shown: number): string {
  if (index === 0) return 'next block';
  if (index > 0) return `in ~${index + 1} blocks`;
  return `more than ${shown} blocks`;
}

/** Fee-rate band 0..4 for colouring: < 2, < 5, < 10, < 50, 50+ units per byte. */
export function rateBand(rate: number): number {
  const limits = [2, 5, 10, 50];
  const band = limits.findIndex((limit) => rate < limit);
  return band === -1 ? limits.length : band;
}
