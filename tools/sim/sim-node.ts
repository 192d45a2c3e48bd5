/**
 * One simulated node: the real node logic (core `NodeState` on a `MemoryStore`, and the
 * client's `P2P` protocol) with its clock, timers and randomness taken from the simulation, and
 * (optionally) its validation charged in virtual time on a CPU of its own (costs.ts).
 */
import { MemoryStore, NodeState, type ChainParams } from '../../core/index.js';
import { P2P, type P2PEnv } from '../../client/net/p2p.js';
import {
  SimCpu,
  SimSignatureCache,
  chargeValidation,
  type ChargeStats,
  type SignatureOracle,
  type ValidationCosts,
} from './costs.js';
import { chargeCompact, type CompactStats } from './compact-charge.js';
import type { RelayMode } from './config.js';
import type { Prng } from './prng.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface SimNode {
  index: number;
  id: string;
  state: NodeState;
  p2p: P2P;
  /** What its validation was charged (absent when validation is free). */
  charged?: ChargeStats;
  cache?: SimSignatureCache;
  cpu?: SimCpu;
  /** How its compact blocks went (compact relay with validation charged). */
  compact?: CompactStats;
}

/** The P2P environment on the virtual clock: `now` and intervals are the scheduler's. */
export function simEnv(scheduler: Scheduler, random: Prng): P2PEnv {
  return {
    now: () => scheduler.now,
    setInterval: (fn, ms) => scheduler.every(ms, fn),
    clearInterval: (handle) => scheduler.cancel(handle as TimerHandle),
    setTimeout: (fn, ms) => scheduler.after(ms, fn),
    random: () => random.next(),
  };
}

export interface SimNodeOptions {
  /** The store to open (default: a fresh one, holding only genesis). */
  store?: MemoryStore;
  /** Charge validation on this scheduler at these costs, with verdicts from `oracle`. */
  validation?: { scheduler: Scheduler; costs: ValidationCosts; oracle: SignatureOracle };
  /** Block relay (default `full`: the node's compact block relay switched off). */
  relay?: RelayMode;
}

/** Open node `index` (id `n<index>`) and start its protocol timers. */
export async function createSimNode(
  index: number,
  params: ChainParams,
  env: P2PEnv,
  options: SimNodeOptions = {},
): Promise<SimNode> {
  const id = `n${index}`;
  const validation = options.validation;
  const cache = validation ? new SimSignatureCache(validation.oracle) : undefined;
  const state = await NodeState.open(params, options.store ?? new MemoryStore(), {
    ...(cache ? { sigCache: cache } : {}),
  });
  const cpu = validation ? new SimCpu(validation.scheduler) : undefined;
  const charged =
    validation && cache && cpu ? chargeValidation(state, cpu, validation.costs, cache) : undefined;
  const compactBlocks = options.relay === 'compact';
  const p2p = new P2P({ nodeId: id, state, env, userAgent: 'tabcoin-sim/0.1', compactBlocks });
  p2p.status.enabled = false; // docs/scale.md measures the block and tx protocol alone
  const compact =
    compactBlocks && cpu && validation
      ? chargeCompact(p2p, state, cpu, validation.costs)
      : undefined;
  p2p.start();
  return {
    index,
    id,
    state,
    p2p,
    ...(charged && cache && cpu ? { charged, cache, cpu } : {}),
    ...(compact ? { compact } : {}),
  };
}
