/** How a `Chain` is set up: its signature cache, orphan-pool bounds and write batching. */
import type { SignatureCache } from '../consensus/sig-cache.js';
import type { WriteCacheOptions } from './write-cache.js';

export interface ChainOptions {
  sigCache?: SignatureCache;
  maxOrphans?: number;
  maxOrphanBytes?: number;
  /** Batch writes in memory while far behind (write-cache.ts); without it, each goes through. */
  writeCache?: WriteCacheOptions;
}

/** Most headers answered to one getheaders (Bitcoin's MAX_HEADERS_RESULTS). */
export const MAX_HEADERS_RESULTS = 2000;
