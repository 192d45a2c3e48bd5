/**
 * The progress of this node's syncs, for the sync view and the status bar: one meter per node
 * (`syncProgressFor`), fed by the node's events. Counts signatures from a `SignatureCounter`
 * when the node has one, else from the blocks connected (each input's signature was checked
 * before its block joined the chain, now or when its transaction entered the mempool).
 */
import type { Block } from '../../core/index.js';
import type { TabNode } from '../node.js';
import { SyncMeter, type SyncView } from './explain/sync-meter.js';

/** A running count of signatures verified (a parallel verifier can provide one). */
export interface SignatureCounter {
  readonly signaturesChecked: number;
}

/** Signatures a block carries: one per input of each transaction after the coinbase. */
export function signaturesIn(block: Block): number {
  let count = 0;
  for (let i = 1; i < block.txs.length; i++) count += block.txs[i]!.inputs.length;
  return count;
}

export class SyncProgress {
  readonly meter = new SyncMeter();
  private connectedSignatures = 0;
  private active = false;

  constructor(
    private readonly node: TabNode,
    private readonly clock: () => number = () => performance.now(),
    private readonly counter?: SignatureCounter,
  ) {
    node.on('chain-changed', (result) => {
      for (const block of result.change.connected) this.connectedSignatures += signaturesIn(block);
      if (this.active) this.sample();
    });
    node.on('sync-progress', (p) => {
      if (p.syncing && !this.active) {
        this.active = true;
        this.meter.begin(this.current(), p.start, p.startBytes);
      } else this.sample();
      if (!p.syncing) this.active = false;
    });
  }

  /** True while the node is downloading a run of blocks. */
  get syncing(): boolean {
    return this.active;
  }

  /** The current or last sync, undefined before the first. */
  view(): SyncView | undefined {
    return this.meter.view();
  }

  private sample(): void {
    if (this.meter.started) this.meter.record(this.current());
  }

  private current() {
    const chain = this.node.state.chain;
    return {
      at: this.clock(),
      connected: chain.height,
      headers: chain.bestHeader.height,
      signatures: this.counter?.signaturesChecked ?? this.connectedSignatures,
      bytes: this.node.p2p.traffic.bytes,
    };
  }
}

const feeds = new WeakMap<TabNode, SyncProgress>();

/** The node's sync progress (created on first use, listening from then on). */
export function syncProgressFor(node: TabNode): SyncProgress {
  let feed = feeds.get(node);
  if (!feed) feeds.set(node, (feed = new SyncProgress(node)));
  return feed;
}
