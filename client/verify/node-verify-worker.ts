/**
 * Verification workers in Node (tests, benchmarks): the same worker file as in the browser,
 * started through the `web-worker` package and the tsx shim next to it. Never bundled.
 */
import Worker from 'web-worker';
import type { VerifyWorker } from './verify-messages.js';

export const NODE_VERIFY_WORKER_URL = new URL('./verify-worker.node.mjs', import.meta.url);

export function createNodeVerifyWorker(): VerifyWorker {
  return new Worker(NODE_VERIFY_WORKER_URL, { type: 'module' }) as unknown as VerifyWorker;
}
