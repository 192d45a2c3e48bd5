/** Mining workers in the browser: a module Worker that Vite bundles from mining-worker.ts. */
import type { MiningWorker } from './mining-messages.js';

export function createBrowserMiningWorker(): MiningWorker {
  return new Worker(new URL('./mining-worker.ts', import.meta.url), {
    type: 'module',
    name: 'tabcoin-miner',
  }) as unknown as MiningWorker;
}
