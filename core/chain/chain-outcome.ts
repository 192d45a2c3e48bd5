/** What `Chain.processBlock` reports: where a block went and how the active chain changed. */
import type { Block } from '../primitives/block.js';
import type { Rejection } from '../primitives/result.js';
import type { BlockEntry } from './block-index.js';

/** What `acceptHeaders` did: the entries for the headers it accepted, and why it stopped. */
export interface HeadersOutcome {
  accepted: BlockEntry[];
  rejection: Rejection | undefined;
}

/** What a call changed about the active chain, for the mempool, wallet and UI. */
export interface TipChange {
  /** Blocks removed from the active chain, tip first. */
  disconnected: Block[];
  /** Blocks added to the active chain, lowest first. */
  connected: Block[];
  /** Side-branch blocks pruned (PRUNE_DEPTH), whose transactions may return to the mempool. */
  pruned: Block[];
  /** Blocks found invalid while connecting, with why. */
  invalid: { id: string; reason: string }[];
}

export interface BlockAccepted {
  ok: true;
  id: string;
  /** Where the block ended up: on the active chain, on a side branch, or waiting for its parent. */
  status: 'active' | 'side-branch' | 'orphan';
  /** For an orphan: the parent id to request from peers. */
  missingParent?: string;
  change: TipChange;
}

export type BlockOutcome = BlockAccepted | (Rejection & { id: string; change: TipChange });

export function emptyChange(): TipChange {
  return { disconnected: [], connected: [], pruned: [], invalid: [] };
}
