/**
 * What the simulation observes while it runs, from the nodes' own events: when each block was
 * found, when each node first had it on its active chain (`chain-changed`), how deep each reorg
 * went, and every byte put on a link (by sender, receiver and message type).
 */
import { headerId } from '../../core/index.js';
import type { FoundBlock } from './miner.js';
import type { SimNode } from './sim-node.js';

export class Recorder {
  readonly found = new Map<string, FoundBlock>();
  /** Block id -> virtual times (ascending) at which measured nodes first had it active. */
  readonly reached = new Map<string, number[]>();
  private readonly reachedBy = new Map<string, Set<number>>();
  /** Reorg depth (blocks disconnected) -> how many times a measured node went through one. */
  readonly reorgDepths = new Map<number, number>();
  readonly bytesOut: number[];
  readonly bytesIn: number[];
  /** Bytes by message type among the measured nodes. */
  readonly bytesByType = new Map<string, number>();
  /** Bytes by message type received by the late node (index `measured`). */
  readonly lateBytesInByType = new Map<string, number>();

  /** `measured` nodes (indices 0..measured-1) count for propagation and reorgs. */
  constructor(
    readonly measured: number,
    private readonly now: () => number,
  ) {
    this.bytesOut = new Array<number>(measured + 1).fill(0);
    this.bytesIn = new Array<number>(measured + 1).fill(0);
  }

  onFound(found: FoundBlock): void {
    this.found.set(found.id, found);
  }

  watch(node: SimNode): void {
    if (node.index >= this.measured) return;
    node.p2p.on('chain-changed', (result) => {
      const { connected, disconnected } = result.change;
      if (disconnected.length > 0) {
        const depth = disconnected.length;
        this.reorgDepths.set(depth, (this.reorgDepths.get(depth) ?? 0) + 1);
      }
      for (const block of connected) this.reach(headerId(block.header), node.index);
    });
  }

  private reach(id: string, node: number): void {
    let by = this.reachedBy.get(id);
    if (!by) {
      by = new Set();
      this.reachedBy.set(id, by);
      this.reached.set(id, []);
    }
    if (by.has(node)) return;
    by.add(node);
    this.reached.get(id)!.push(this.now());
  }

  readonly countTraffic = (from: number, to: number, type: string, bytes: number): void => {
    this.bytesOut[from] = (this.bytesOut[from] ?? 0) + bytes;
    this.bytesIn[to] = (this.bytesIn[to] ?? 0) + bytes;
    const byType =
      to === this.measured
        ? this.lateBytesInByType
        : from === this.measured
          ? undefined
          : this.bytesByType;
    byType?.set(type, (byType.get(type) ?? 0) + bytes);
  };
}
