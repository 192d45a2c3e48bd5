/**
 * What the simulation observes while it runs, from the nodes' own events: when each block was
 * found, when each node first had it on its active chain (`chain-changed`), how deep each reorg
 * went, every byte put on a link (by sender, receiver and message type), and when each node
 * joined, caught up with the network and left (churn).
 */
import { headerId } from '../../core/index.js';
import type { FoundBlock } from './miner.js';
import type { SimNode } from './sim-node.js';

/** A node's life in the network, virtual ms. */
export interface NodeLife {
  joinedAt: number;
  /** When it first had the tip that was best when it joined (at once for the first nodes). */
  caughtUpAt: number | undefined;
  leftAt: number | undefined;
}

export class Recorder {
  readonly found = new Map<string, FoundBlock>();
  /** Block id -> node index -> virtual time it first had the block on its active chain. */
  readonly reached = new Map<string, Map<number, number>>();
  /** Reorg depth (blocks disconnected) -> how many times a measured node went through one. */
  readonly reorgDepths = new Map<number, number>();
  readonly lives = new Map<number, NodeLife>();
  readonly bytesOut: number[] = [];
  readonly bytesIn: number[] = [];
  /** Bytes by message type among the measured nodes. */
  readonly bytesByType = new Map<string, number>();
  /** Bytes by message type received by the late node. */
  readonly lateBytesInByType = new Map<string, number>();
  /** Index of the late node that syncs at the end (not measured), once it exists. */
  lateIndex = -1;

  constructor(private readonly now: () => number) {}

  onFound(found: FoundBlock): void {
    this.found.set(found.id, found);
  }

  /** Follow a measured node from now on; `caughtUp` if it starts level with the network. */
  watch(node: SimNode, caughtUp: boolean): void {
    const now = this.now();
    this.lives.set(node.index, {
      joinedAt: now,
      caughtUpAt: caughtUp ? now : undefined,
      leftAt: undefined,
    });
    node.p2p.on('chain-changed', (result) => {
      const { connected, disconnected } = result.change;
      if (disconnected.length > 0) {
        const depth = disconnected.length;
        this.reorgDepths.set(depth, (this.reorgDepths.get(depth) ?? 0) + 1);
      }
      for (const block of connected) this.reach(headerId(block.header), node.index);
    });
  }

  caughtUp(index: number): void {
    const life = this.lives.get(index);
    if (life && life.caughtUpAt === undefined) life.caughtUpAt = this.now();
  }

  left(index: number): void {
    const life = this.lives.get(index);
    if (life) life.leftAt = this.now();
  }

  private reach(id: string, node: number): void {
    let by = this.reached.get(id);
    if (!by) {
      by = new Map();
      this.reached.set(id, by);
    }
    if (!by.has(node)) by.set(node, this.now());
  }

  /**
   * For block `id`: how many nodes it should reach (nodes caught up with the network when it
   * was found, except those that left without it), and the delays since the find at which
   * those of them that got it got it, ascending.
   */
  delays(id: string): { nodes: number; delays: number[] } {
    const foundAt = this.found.get(id)!.time;
    const by = this.reached.get(id);
    let nodes = 0;
    const delays: number[] = [];
    for (const [index, life] of this.lives) {
      if (life.caughtUpAt === undefined || life.caughtUpAt > foundAt) continue;
      const at = by?.get(index);
      if (at !== undefined) delays.push(at - foundAt);
      else if (life.leftAt !== undefined) continue;
      nodes++;
    }
    return { nodes, delays: delays.sort((a, b) => a - b) };
  }

  readonly countTraffic = (from: number, to: number, type: string, bytes: number): void => {
    this.bytesOut[from] = (this.bytesOut[from] ?? 0) + bytes;
    this.bytesIn[to] = (this.bytesIn[to] ?? 0) + bytes;
    const byType =
      to === this.lateIndex
        ? this.lateBytesInByType
        : from === this.lateIndex
          ? undefined
          : this.bytesByType;
    byType?.set(type, (byType.get(type) ?? 0) + bytes);
  };
}
