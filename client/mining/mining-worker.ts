/**
 * The mining worker: hashes its nonce range of the latest job in chunks of ~50 ms with the
 * fastest kernel core offers (WebAssembly SIMD, else JavaScript), reporting hashes after each
 * chunk. Between chunks it yields to its event loop, so a new job (a new tip, new mempool
 * transactions) takes over at once, at most one chunk later. It stops after a find or at the
 * end of its range and waits for the next job. Runs as a module Worker in the browser and, via
 * mining-worker.node.mjs, in Node.
 *
 * For the live proof-of-work view, at most every SAMPLE_MS a progress message also carries the
 * last nonce of the chunk and its hash, computed once more with the plain core hash outside
 * the kernel: one extra hash per sample, nothing added to the hot loop.
 */
import { createMiningKernel, sha256d, type MiningKernel } from '../../core/index.js';
import type { FromMiningWorker, ToMiningWorker } from './mining-messages.js';

/** Wall time one chunk should take: short enough to switch jobs promptly. */
const CHUNK_MS = 50;
const MIN_CHUNK = 1 << 10;
const MAX_CHUNK = 1 << 24;
/** Shortest interval between two sampled hashes (client/mining/pow-sampler.ts). */
const SAMPLE_MS = 200;

interface Work {
  job: number;
  kernel: MiningKernel;
  /** A private copy of the header, for the sampled hashes. */
  header: Uint8Array;
  next: number;
  to: number;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromMiningWorker): void => scope.postMessage(message);

let work: Work | undefined;
let chunk = 1 << 14;
let scheduled = false;
let lastSample = -Infinity;

/** The hash of `nonce` on `header` (the copy in `Work`), for the live view. */
function hashAt(header: Uint8Array, nonce: number): Uint8Array {
  new DataView(header.buffer).setUint32(76, nonce, true);
  return sha256d(header);
}

/**
 * Run `step` as a new task once pending messages have been seen, so a new job takes over
 * before the next chunk. Node: setImmediate (a MessageChannel there starves the messages
 * from the controller). Browsers: a message to ourselves, which queues behind the
 * controller's messages and, unlike setTimeout, is never clamped to 4 ms.
 */
const nextTask: (callback: () => void) => void =
  typeof setImmediate === 'function'
    ? (callback) => setImmediate(callback)
    : (() => {
        const channel = new MessageChannel();
        let pending: (() => void) | undefined;
        channel.port1.onmessage = () => pending?.();
        return (callback) => {
          pending = callback;
          channel.port2.postMessage(null);
        };
      })();

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  nextTask(run);
}

function step(): void {
  scheduled = false;
  const current = work;
  if (!current) return;
  const from = current.next;
  const to = Math.min(current.to, from + chunk);
  const started = performance.now();
  const nonce = current.kernel.scan(from, to);
  const elapsed = performance.now() - started;
  if (elapsed > 0) {
    const rate = (to - from) / elapsed;
    chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.round(rate * CHUNK_MS)));
  }
  const kernel = current.kernel.kind;
  if (nonce >= 0) {
    work = undefined;
    post({ type: 'found', job: current.job, nonce, hashes: nonce - from + 1, kernel });
    return;
  }
  current.next = to;
  if (to >= current.to) {
    work = undefined;
    post({ type: 'exhausted', job: current.job, hashes: to - from, kernel });
    return;
  }
  const now = performance.now();
  if (now - lastSample >= SAMPLE_MS && to > from) {
    lastSample = now;
    const sample = { nonce: to - 1, hash: hashAt(current.header, to - 1) };
    post({ type: 'progress', job: current.job, hashes: to - from, kernel, sample });
  } else {
    post({ type: 'progress', job: current.job, hashes: to - from, kernel });
  }
  schedule();
}

function run(): void {
  try {
    step();
  } catch (err) {
    work = undefined;
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

scope.addEventListener('message', (event: MessageEvent<ToMiningWorker>) => {
  const message = event.data;
  try {
    const kernel = createMiningKernel(message.header, message.target, message.kernel);
    const header = Uint8Array.from(message.header);
    work = { job: message.job, kernel, header, next: message.from, to: message.to };
    schedule();
  } catch (err) {
    work = undefined;
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
