/** Verification workers in the browser: a module Worker that Vite bundles from verify-worker.ts. */
import type { VerifyWorker } from './verify-messages.js';

export function createBrowserVerifyWorker(): VerifyWorker {
  return new Worker(new URL('./verify-worker.ts', import.meta.url), {
    type: 'module',
    name: 'tabcoin-verifier',
  }) as unknown as VerifyWorker;
}
