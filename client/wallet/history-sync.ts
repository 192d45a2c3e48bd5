/**
 * Keeps the wallet's history index (history.ts) in step with the node: after every chain
 * change it rewinds to the fork point with what it indexed last and scans the new blocks of
 * the active chain; pending entries follow the mempool. The same walk rebuilds a fresh index
 * (a restored key) from the stored chain, and catches up after a reload.
 */
import {
  hashToHex,
  outpointKey,
  toHex,
  type MempoolEntry,
  type NetworkName,
  type NodeState,
  type Tx,
} from '../../core/index.js';
import type { NodeDb } from '../storage/db.js';
import { HistoryIndex, type HistoryEntry } from './history.js';

export class HistorySync {
  constructor(
    private readonly db: NodeDb,
    private readonly state: NodeState,
    private readonly index: HistoryIndex,
  ) {}

  /** The stored index of public key `me` (hex). */
  static async load(db: NodeDb, state: NodeState, me: string): Promise<HistorySync> {
    return new HistorySync(db, state, await HistoryIndex.load(db, me));
  }

  /** History newest first, confirmations counted from the current tip. */
  entries(network: NetworkName): HistoryEntry[] {
    const mempool = this.state.mempool;
    return this.index.entries(this.state.chain.height, network, (id) => mempool.has(id));
  }

  /**
   * Bring the index up to the active chain: blocks above the fork point with what was last
   * indexed leave it (their transactions pending again), new blocks are scanned, then pending
   * entries follow the mempool (added if ours, dropped once gone: conflicts, lost rewards).
   */
  async catchUp(): Promise<void> {
    const chain = this.state.chain;
    for (;;) {
      const marker = this.index.synced;
      let fork = marker ? chain.getEntry(marker.tip) : undefined;
      while (fork && !chain.isActive(fork)) fork = fork.parent;
      // An unknown marker (none yet, or its branch was pruned) means a scan from genesis.
      let last = fork ?? chain.entryAt(0)!;
      this.index.unconfirmAbove(last.height);
      let moved = false;
      while (last.height < chain.height) {
        const next = chain.entryAt(last.height + 1);
        if (!next || next.parent !== last) {
          moved = true; // the chain reorganised while we read: start again from the marker
          break;
        }
        const block = await chain.getBlock(next.id);
        if (!block) throw new Error(`block ${next.id} of the active chain is not stored`);
        block.txs.forEach((tx, position) =>
          this.index.confirm(tx, position === 0, {
            height: next.height,
            blockId: next.id,
            position,
            blockTime: next.header.time,
          }),
        );
        this.index.synced = { tip: next.id, height: next.height };
        last = next;
      }
      if (!moved && chain.isActive(last)) break;
      this.index.synced = { tip: last.id, height: last.height };
    }
    if (!this.index.synced) this.index.synced = { tip: chain.tip.id, height: chain.tip.height };
    for (const entry of this.state.mempool.entries()) await this.indexPending(entry);
    this.index.dropPending((id) => this.state.mempool.has(id));
    await this.index.flush(this.db);
  }

  /** Index mempool transaction `id` if it touches us; true when it does. */
  async addPending(id: string): Promise<boolean> {
    const entry = this.state.mempool.get(id);
    if (!entry || !(await this.indexPending(entry))) return false;
    await this.index.flush(this.db);
    return true;
  }

  private async indexPending(entry: MempoolEntry): Promise<boolean> {
    if (this.index.get(entry.id)) return true;
    const paysUs = entry.tx.outputs.some((o) => toHex(o.pubkey) === this.index.me);
    const payer = paysUs ? await this.payerOf(entry.tx) : undefined;
    return this.index.addPending(entry.tx, entry.time, payer);
  }

  /** Owner (hex) of the coin a pending transaction's first input spends, while still known. */
  private async payerOf(tx: Tx): Promise<string | undefined> {
    const prevout = tx.inputs[0]?.prevout;
    if (!prevout) return undefined;
    const parent = this.state.mempool.get(hashToHex(prevout.txid));
    const coin = parent
      ? parent.tx.outputs[prevout.vout]
      : (await this.state.chain.getCoins([outpointKey(prevout)]))[0];
    return coin ? toHex(coin.pubkey) : undefined;
  }
}
