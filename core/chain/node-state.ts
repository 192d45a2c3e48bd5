/**
 * Chain state and mempool kept consistent: every block goes through `processBlock`, which
 * updates the chain and then the mempool (confirmed and conflicting transactions leave it;
 * after a reorg or pruning, transactions from blocks that left the active chain come back if
 * they are still valid), and whenever the tip changes, transactions older than the mempool's
 * expiry leave it. Everything runs one call at a time.
 */
import { headerHash, type Block } from '../primitives/block.js';
import { createBlockTemplate, type BlockTemplate } from '../mempool/template.js';
import type { BlockOutcome } from './chain-outcome.js';
import { Chain } from './chain.js';
import type { ChainOptions } from './chain-options.js';
import type { ChainParams } from '../consensus/params.js';
import {
  Mempool,
  type MempoolChainView,
  type MempoolEntry,
  type MempoolOptions,
} from '../mempool/mempool.js';
import type { Result } from '../primitives/result.js';
import type { ChainStore } from './store.js';
import { txidHex, type Tx } from '../primitives/tx.js';

export interface MempoolChange {
  /** Transactions that left the pool because a block confirmed them. */
  confirmed: MempoolEntry[];
  /** Transactions dropped because a block spent the same outputs (double spends that lost). */
  conflicts: MempoolEntry[];
  /** Transactions from disconnected or pruned blocks that are pending again. */
  returned: MempoolEntry[];
  /**
   * Display txids of transactions that were confirmed on the branch a reorg abandoned and are
   * neither confirmed on the new branch nor valid any more: double-spent by the new branch.
   */
  replaced: string[];
  /**
   * Transactions dropped because they waited longer than the expiry (with their descendants):
   * checked whenever the tip changes, against the node clock `now`.
   */
  expired: MempoolEntry[];
}

export type ProcessedBlock = BlockOutcome & { mempool: MempoolChange };

export class NodeState {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly chain: Chain,
    readonly mempool: Mempool,
  ) {}

  static async open(
    params: ChainParams,
    store: ChainStore,
    options: ChainOptions & { mempool?: MempoolOptions } = {},
  ): Promise<NodeState> {
    return new NodeState(await Chain.open(params, store, options), new Mempool(options.mempool));
  }

  get params(): ChainParams {
    return this.chain.params;
  }

  /** The chain as the mempool sees it right now. */
  chainView(): MempoolChainView {
    return {
      getCoins: (keys) => this.chain.getCoins(keys),
      height: this.chain.height,
      medianTimePast: this.chain.medianTimePast(),
      sigCache: this.chain.sigCache,
      genesisHash: this.chain.params.genesisHash,
    };
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  acceptTx(tx: Tx, now: number): Promise<Result<MempoolEntry>> {
    return this.exclusive(() => this.mempool.accept(tx, this.chainView(), now));
  }

  processBlock(block: Block, now: number): Promise<ProcessedBlock> {
    return this.exclusive(async () => {
      const outcome = await this.chain.processBlock(block, now);
      const mempool: MempoolChange = {
        confirmed: [],
        conflicts: [],
        returned: [],
        replaced: [],
        expired: [],
      };
      const { connected, disconnected, pruned } = outcome.change;
      if (disconnected.length === 0) {
        for (const b of connected) {
          const removed = this.mempool.removeForBlock(b);
          mempool.confirmed.push(...removed.confirmed);
          mempool.conflicts.push(...removed.conflicts);
        }
        await this.returnTxs(pruned, [], now, mempool);
      } else {
        // Reorg: rebuild the pool against the new tip. Disconnected blocks' transactions go
        // first (oldest block first, so parents precede children), then what was pending.
        const before = this.mempool.entries();
        const pending = this.mempool.clear();
        // What was pending keeps its arrival time, so a reorg does not postpone its expiry.
        const since = new Map(before.map((e) => [e.tx, e.time]));
        await this.returnTxs(
          [...disconnected].reverse().concat(pruned),
          pending,
          now,
          mempool,
          since,
        );
        const nowConfirmed = new Set(connected.flatMap((b) => b.txs.map((tx) => txidHex(tx))));
        for (const entry of before) {
          if (nowConfirmed.has(entry.id)) mempool.confirmed.push(entry);
          else if (!this.mempool.has(entry.id)) mempool.conflicts.push(entry);
        }
        for (const tx of disconnected.flatMap((b) => b.txs.slice(1))) {
          const id = txidHex(tx);
          if (!nowConfirmed.has(id) && !this.mempool.has(id)) mempool.replaced.push(id);
        }
      }
      if (connected.length > 0 || disconnected.length > 0)
        mempool.expired = this.mempool.expire(now);
      return { ...outcome, mempool };
    });
  }

  /**
   * A block template on the current tip paying `payTo` (the miner's key). Queued behind any
   * block being processed, so it never offers transactions that block just confirmed.
   */
  template(payTo: Uint8Array, now: number, extraNonce = 0): Promise<BlockTemplate> {
    return this.exclusive(async () => this.templateNow(payTo, now, extraNonce));
  }

  private templateNow(payTo: Uint8Array, now: number, extraNonce: number): BlockTemplate {
    const tip = this.chain.tip;
    return createBlockTemplate(
      {
        params: this.params,
        parentHash: headerHash(tip.header),
        height: tip.height + 1,
        bits: this.chain.nextBits(),
        medianTimePast: this.chain.medianTimePast(),
        now,
        payTo,
        extraNonce,
      },
      this.mempool,
    );
  }

  private async returnTxs(
    blocks: Block[],
    pending: Tx[],
    now: number,
    change: MempoolChange,
    since = new Map<Tx, number>(),
  ): Promise<void> {
    const txs = blocks.flatMap((b) => b.txs.slice(1)).concat(pending);
    const fromBlocks = new Set(blocks.flatMap((b) => b.txs.slice(1)));
    for (const tx of txs) {
      const result = await this.mempool.accept(tx, this.chainView(), since.get(tx) ?? now);
      if (result.ok && fromBlocks.has(tx)) change.returned.push(result.value);
    }
  }
}
