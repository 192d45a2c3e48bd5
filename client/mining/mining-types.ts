/** The mining controller's interface: what it needs of the node, its options, status and events. */
import type { Block, BlockTemplate, KernelKind, ProcessedBlock } from '../../core/index.js';
import type { MiningWorker } from './mining-messages.js';
import type { PowSampler } from './pow-sampler.js';

/** What the controller needs of the node; `NodeState` has both. */
export interface MinerNode {
  template(
    payTo: Uint8Array,
    now: number,
    extraNonce: number,
  ): BlockTemplate | Promise<BlockTemplate>;
  /** The node's normal validation path for a block (and, in the browser node, relay). */
  processBlock(block: Block, now: number): Promise<ProcessedBlock>;
}

export interface MinerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface MiningControllerOptions {
  node: MinerNode;
  /** The miner's 32-byte x-only public key: the coinbase pays it. */
  payTo: Uint8Array;
  createWorker: () => MiningWorker;
  /** Workers to start with (default 1), clamped to 1..maxWorkers. */
  workers?: number;
  /** Default: navigator.hardwareConcurrency (1 when unknown). */
  maxWorkers?: number;
  kernel?: KernelKind | 'auto';
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  timers?: MinerTimers;
  /** Delay between a mempool change and the template refresh it causes. */
  mempoolDebounceMs?: number;
  /** Renew the template (and so its block time) at least this often. */
  templateRefreshMs?: number;
  /** How often the hashrate is sampled (and `status` emitted). */
  sampleMs?: number;
  hashrateHalfLifeMs?: number;
  /** Size of the nonce space split between workers (tests shrink it to roll extra nonces). */
  nonceSpace?: number;
  /** Wait before building a new template after our block was refused. */
  rejectBackoffMs?: number;
  /** Rest at least this long after each new tip before mining on it (0: no pace). */
  paceMs?: number;
  /** Fed with each template, the workers' sampled hashes and finds (the live PoW view). */
  pow?: PowSampler;
}

export interface MiningStatus {
  running: boolean;
  workers: number;
  maxWorkers: number;
  /** Kernel the workers report using. */
  kernel?: KernelKind;
  /** Smoothed hashes per second over all workers. */
  hashrate: number;
  /** Hashes since start. */
  hashes: number;
  /** Height and bits of the block being mined. */
  height?: number;
  bits?: number;
  /** Expected seconds to find a block: 2^256 / (target + 1) / hashrate. */
  expectedSeconds?: number;
  extraNonce: number;
  blocksFound: number;
  staleFound: number;
  /** Milliseconds between a new tip and mining on it (0: no pace). */
  paceMs: number;
  /** True while the workers rest: for the pace, or for the clock to reach the block time. */
  resting: boolean;
}

export interface MiningEvents extends Record<string, unknown> {
  /** Our block passed validation: relay it. */
  block: { block: Block; id: string; height: number; result: ProcessedBlock };
  /** Our block failed validation (a bug, or the chain moved during validation). */
  rejected: { block: Block; id: string; result: ProcessedBlock };
  /** A worker found a block on a tip that has since changed: dropped. */
  stale: { job: number; nonce: number };
  status: MiningStatus;
  error: Error;
}
