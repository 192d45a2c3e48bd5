/**
 * Mining workers in Node (tests, benchmarks): the same worker file as in the browser, started
 * through the `web-worker` package and the tsx shim next to it. Never bundled into the client.
 */
import Worker from 'web-worker';
import type { MiningWorker } from './mining-messages.js';

export const NODE_MINING_WORKER_URL = new URL('./mining-worker.node.mjs', import.meta.url);

export function createNodeMiningWorker(): MiningWorker {
  return new Worker(NODE_MINING_WORKER_URL, { type: 'module' }) as unknown as MiningWorker;
}
