/**
 * Compact block relay in the simulator: the reconstruction a node does on receiving a
 * `cmpctblock` costs it `shortIdMs` per candidate transaction (its mempool, the refused pool and
 * the orphans: `PartialBlock.start` computes the short id of each), charged on its CPU before
 * the node's own `CompactRelay` runs; validation of the rebuilt block is then charged as any
 * block (costs.ts), its signatures mostly cached from the mempool. The wrapper also counts how
 * each compact block went: rebuilt at once, after a `getblocktxn` round trip, or not rebuilt.
 */
import { hasData, headerId, type NodeState } from '../../core/index.js';
import type { P2P } from '../../client/net/p2p.js';
import type { SimCpu, ValidationCosts } from './costs.js';

export interface CompactStats {
  /** Compact blocks rebuilt from the mempool alone. */
  immediate: number;
  /** Compact blocks that needed a `getblocktxn` / `blocktxn` round trip. */
  roundTrip: number;
  /** Compact blocks for blocks the node already had (from another high-bandwidth peer). */
  redundant: number;
  /** Compact blocks not rebuilt (not on the tip, a collision…): the block came whole. */
  fellBack: number;
}

/** Charge `p2p`'s compact block reconstruction to `cpu`, and count what it did. */
export function chargeCompact(
  p2p: P2P,
  state: NodeState,
  cpu: SimCpu,
  costs: ValidationCosts,
): CompactStats {
  const stats: CompactStats = { immediate: 0, roundTrip: 0, redundant: 0, fellBack: 0 };
  const compact = p2p.compact;
  const receive = compact.receive.bind(compact);
  compact.receive = async (peer, message) => {
    if (message.type !== 'cmpctblock') return receive(peer, message);
    const id = headerId(message.header);
    const had = (): boolean => {
      const entry = state.chain.getEntry(id);
      return entry !== undefined && hasData(entry);
    };
    if (had()) {
      stats.redundant++;
      return receive(peer, message);
    }
    const candidates = state.mempool.size + p2p.orphanTxs.size;
    await cpu.run(
      () => costs.shortIdMs * candidates,
      async () => undefined,
    );
    if (had()) {
      stats.redundant++; // another peer's copy came while this one waited for the CPU
      return receive(peer, message);
    }
    const partials = compact.partialCount(peer);
    await receive(peer, message);
    if (had()) stats.immediate++;
    else if (compact.partialCount(peer) > partials) stats.roundTrip++;
    else stats.fellBack++;
  };
  return stats;
}
