/**
 * The tab's preverifier: a pool of verification Web Workers sized from
 * `navigator.hardwareConcurrency`, started in the background so the node never waits for it.
 * Until it is ready, or where module workers cannot run, blocks take the serial path.
 * `?verifiers=0` in the page URL keeps every block on the serial path (to compare; benchmarks).
 */
import type { Tx } from '../../core/index.js';
import {
  MAX_PREVERIFY_BACKLOG,
  MAX_RECENT_OUTPUTS,
  Preverifier,
  type PreverifyChain,
} from './preverifier.js';
import { createBrowserVerifyWorker } from './browser-verify-worker.js';
import { VerifyPool, verifyWorkerCount } from './verify-pool.js';

export function startBrowserPreverifier(
  chain: PreverifyChain,
  admitted: (tx: Tx) => boolean,
): Preverifier {
  const limits = { maxBacklog: MAX_PREVERIFY_BACKLOG, maxRecent: MAX_RECENT_OUTPUTS };
  const preverifier = new Preverifier(chain, undefined, limits, admitted);
  const disabled = new URLSearchParams(location.search).get('verifiers') === '0';
  if (disabled || typeof Worker !== 'function') return preverifier;
  const cores = navigator.hardwareConcurrency;
  void VerifyPool.start(createBrowserVerifyWorker, verifyWorkerCount(cores)).then((pool) =>
    preverifier.attach(pool, cores),
  );
  return preverifier;
}
