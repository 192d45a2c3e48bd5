/**
 * Messages between the verification pool (client/verify/verify-pool.ts, main thread) and its
 * workers (verify-worker.ts). Checks travel packed (`packSignatureChecks`, 128 bytes each) and
 * their buffers are transferred, not copied.
 */

/** `noble`: core's own `verifySignature`; `fastest`: libsecp256k1 (WASM) when it loads. */
export type VerifierChoice = 'noble' | 'fastest';
/** What a worker actually verifies with. */
export type VerifierName = 'noble' | 'libsecp256k1-wasm';

export type ToVerifyWorker =
  { type: 'init'; verifier: VerifierChoice } | { type: 'verify'; id: number; checks: Uint8Array };

export type FromVerifyWorker =
  | { type: 'ready'; verifier: VerifierName }
  /** One byte per check: 1 valid, 0 invalid. */
  | { type: 'verified'; id: number; valid: Uint8Array };

/** What the pool needs of a Worker (a DOM `Worker`, or `web-worker`'s in Node). */
export interface VerifyWorker {
  postMessage(message: ToVerifyWorker, transfer?: Transferable[]): void;
  addEventListener(
    type: 'message',
    listener: (event: MessageEvent<FromVerifyWorker>) => void,
  ): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}
