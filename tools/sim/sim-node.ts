/**
 * One simulated node: the real node logic (core `NodeState` on a `MemoryStore`, and the
 * client's `P2P` protocol) with its clock, timers and randomness taken from the simulation.
 */
import { MemoryStore, NodeState, type ChainParams } from '../../core/index.js';
import { P2P, type P2PEnv } from '../../client/net/p2p.js';
import type { Prng } from './prng.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface SimNode {
  index: number;
  id: string;
  state: NodeState;
  p2p: P2P;
}

/** The P2P environment on the virtual clock: `now` and intervals are the scheduler's. */
export function simEnv(scheduler: Scheduler, random: Prng): P2PEnv {
  return {
    now: () => scheduler.now,
    setInterval: (fn, ms) => scheduler.every(ms, fn),
    clearInterval: (handle) => scheduler.cancel(handle as TimerHandle),
    random: () => random.next(),
  };
}

/** Open node `index` (id `n<index>`) on a fresh store and start its protocol timers. */
export async function createSimNode(
  index: number,
  params: ChainParams,
  env: P2PEnv,
): Promise<SimNode> {
  const id = `n${index}`;
  const state = await NodeState.open(params, new MemoryStore());
  const p2p = new P2P({ nodeId: id, state, env, userAgent: 'tabcoin-sim/0.1' });
  p2p.status.enabled = false; // docs/scale.md measures the block and tx protocol alone
  p2p.start();
  return { index, id, state, p2p };
}
