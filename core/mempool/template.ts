/**
 * Block templates for miners: mempool transactions by fee rate, highest first, each preceded by
 * its unconfirmed parents (so a child paying for its parent lifts both), within the block size
 * limit, and a coinbase paying subsidy + fees to the miner's key.
 */
import { blockMerkle, type Block } from '../primitives/block.js';
import { createCoinbase } from '../primitives/coinbase.js';
import { HEADER_BYTES, MAX_BLOCK_BYTES } from '../primitives/constants.js';
import type { Mempool, MempoolEntry } from './mempool.js';
import { blockSubsidy, type ChainParams } from '../consensus/params.js';
import type { Tx } from '../primitives/tx.js';

/** Room kept for the coinbase and the block's tx count. */
const COINBASE_RESERVE = 1_000;

export interface TemplateInput {
  params: ChainParams;
  /** Parent block hash, internal byte order. */
  parentHash: Uint8Array;
  height: number;
  bits: number;
  medianTimePast: number;
  /** Node clock, seconds; the block time is max(now, medianTimePast + 1). */
  now: number;
  payTo: Uint8Array;
  extraNonce?: number;
  maxBytes?: number;
}

export interface BlockTemplate {
  block: Block;
  fees: bigint;
  /** Mempool transactions included, in block order. */
  entries: MempoolEntry[];
}

/**
 * Mempool entries in block order: by ancestor-package fee rate, parents first. Entries in
 * `taken` (already in an earlier projected block) are left out, and count as confirmed parents.
 */
export function selectTransactions(
  mempool: Mempool,
  maxBytes: number,
  taken: ReadonlySet<string> = new Set(),
): MempoolEntry[] {
  const ancestorsOf = new Map<string, MempoolEntry[]>();
  const collect = (entry: MempoolEntry): MempoolEntry[] => {
    const cached = ancestorsOf.get(entry.id);
    if (cached) return cached;
    const found = new Map<string, MempoolEntry>();
    for (const parent of mempool.parentsOf(entry)) {
      if (taken.has(parent.id)) continue;
      for (const a of collect(parent)) found.set(a.id, a);
      found.set(parent.id, parent);
    }
    const list = [...found.values()].sort((a, b) => a.sequence - b.sequence);
    ancestorsOf.set(entry.id, list);
    return list;
  };
  const packageRate = (entry: MempoolEntry): number => {
    const pkg = [...collect(entry), entry];
    const fee = pkg.reduce((sum, e) => sum + e.fee, 0n);
    return Number(fee) / pkg.reduce((sum, e) => sum + e.size, 0);
  };
  const ranked = mempool
    .entries()
    .filter((entry) => !taken.has(entry.id))
    .map((entry) => ({ entry, rate: packageRate(entry) }))
    .sort((a, b) => b.rate - a.rate || a.entry.sequence - b.entry.sequence);
  const chosen = new Set<string>();
  const order: MempoolEntry[] = [];
  let bytes = 0;
  for (const { entry } of ranked) {
    if (chosen.has(entry.id)) continue;
    const pkg = [...collect(entry), entry].filter((e) => !chosen.has(e.id));
    const pkgBytes = pkg.reduce((sum, e) => sum + e.size, 0);
    if (bytes + pkgBytes > maxBytes) continue;
    bytes += pkgBytes;
    for (const e of pkg) {
      chosen.add(e.id);
      order.push(e);
    }
  }
  return order;
}

/** The block space a template leaves for mempool transactions. */
export function templateTxBytes(maxBytes: number = MAX_BLOCK_BYTES): number {
  return maxBytes - HEADER_BYTES - COINBASE_RESERVE;
}

/**
 * The next `count` blocks as this node would mine them if nothing new arrived: block 1 is
 * exactly the template's selection, each later block the same selection over what is left.
 * Stops early once the mempool is used up (never returns an empty block).
 */
export function projectBlocks(
  mempool: Mempool,
  count: number,
  maxBytes: number = MAX_BLOCK_BYTES,
): MempoolEntry[][] {
  const room = templateTxBytes(maxBytes);
  const taken = new Set<string>();
  const blocks: MempoolEntry[][] = [];
  while (blocks.length < count && taken.size < mempool.size) {
    const block = selectTransactions(mempool, room, taken);
    if (block.length === 0) break;
    for (const e of block) taken.add(e.id);
    blocks.push(block);
  }
  return blocks;
}

export function createBlockTemplate(input: TemplateInput, mempool: Mempool): BlockTemplate {
  const entries = selectTransactions(mempool, templateTxBytes(input.maxBytes));
  const fees = entries.reduce((sum, e) => sum + e.fee, 0n);
  const coinbase = createCoinbase({
    height: input.height,
    extraNonce: input.extraNonce ?? 0,
    outputs: [{ amount: blockSubsidy(input.height, input.params) + fees, pubkey: input.payTo }],
  });
  const txs: Tx[] = [coinbase, ...entries.map((e) => e.tx)];
  return {
    block: {
      header: {
        version: 1,
        prevHash: input.parentHash,
        merkleRoot: blockMerkle(txs).root,
        time: Math.max(input.now, input.medianTimePast + 1),
        bits: input.bits,
        nonce: 0,
      },
      txs,
    },
    fees,
    entries,
  };
}
