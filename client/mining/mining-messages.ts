/**
 * Messages between the mining controller (main thread) and its workers
 * (client/mining/mining-worker.ts). Structured-clone friendly: bigint and Uint8Array travel
 * as they are.
 */
import type { KernelKind } from '../../core/index.js';

/** Controller -> worker: hash this job (replacing any earlier one). */
export interface ToMiningWorker {
  type: 'job';
  /** Increases with every template; echoed in replies so stale ones can be told apart. */
  job: number;
  /** The 80-byte header; its nonce field is ignored. */
  header: Uint8Array;
  target: bigint;
  /** Nonce range of this worker: [from, to). */
  from: number;
  to: number;
  kernel: KernelKind | 'auto';
}

/** A nonce the worker just tried and its hash (internal byte order), for the live view. */
export interface HashSample {
  nonce: number;
  hash: Uint8Array;
}

/**
 * Worker -> controller. Each reply carries the hashes done since the previous one; at most a
 * few progress replies a second carry a `sample`.
 */
export type FromMiningWorker =
  | { type: 'progress'; job: number; hashes: number; kernel: KernelKind; sample?: HashSample }
  | { type: 'found'; job: number; nonce: number; hashes: number; kernel: KernelKind }
  | { type: 'exhausted'; job: number; hashes: number; kernel: KernelKind }
  | { type: 'error'; message: string };

/** What the controller needs of a Worker (a DOM `Worker`, or `web-worker`'s in Node). */
export interface MiningWorker {
  postMessage(message: ToMiningWorker): void;
  addEventListener(
    type: 'message',
    listener: (event: MessageEvent<FromMiningWorker>) => void,
  ): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}
