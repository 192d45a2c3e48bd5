/**
 * Starts client/verify/verify-worker.ts in a Node worker thread (package `web-worker`), for
 * tests and benchmarks. Node 20 cannot run TypeScript and a worker thread does not inherit
 * tsx from its parent, so register tsx here, inside the thread, before loading the worker.
 */
import { register } from 'tsx/esm/api';

register();
await import('./verify-worker.ts');
