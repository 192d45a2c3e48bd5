/**
 * The mining bench page (client/bench.html), for people and for tests/bench and tests/e2e:
 *
 * - `?run=kernels&seconds=3`: hashes per second of one Web Worker for the @noble/hashes
 *   baseline, the JavaScript kernel and the WebAssembly SIMD kernel; the result is also left
 *   in `window.tabcoinBench`.
 * - `?run=mine&workers=2&network=main`: the mining controller with real workers on an
 *   in-memory chain (no network), showing hashrate and blocks; state in `window.tabcoinMining`.
 *   `&view=pow` adds the live proof-of-work view (client/ui/tc-pow-live.ts).
 * - `?run=verify&count=1000`: signature verification rates (verify-bench-page.ts).
 */
import {
  MemoryStore,
  NETWORKS,
  NodeState,
  publicKeyOf,
  sha256,
  type NetworkName,
} from '../../core/index.js';
import { createBrowserMiningWorker } from '../mining/browser-worker.js';
import { MiningController, type MiningStatus } from '../mining/mining-controller.js';
import { PowSampler } from '../mining/pow-sampler.js';
import type { KernelRate } from './measure-kernels.js';
import { runVerifyBench } from './verify-bench-page.js';

interface KernelBenchResult {
  rates: KernelRate[];
  best: string;
  wasmUnavailable?: string;
}

interface MiningPageState {
  status: () => MiningStatus;
  blocks: { height: number; id: string; at: number }[];
  problems: string[];
  stop: () => void;
}

declare global {
  interface Window {
    tabcoinBench?: KernelBenchResult & { done: true };
    tabcoinMining?: MiningPageState;
  }
}

const params = new URLSearchParams(location.search);
const output = document.getElementById('output')!;
const toggle = document.getElementById('toggle') as HTMLButtonElement;

const mega = (rate: number) => `${(rate / 1e6).toFixed(2)} M/s`;

async function runKernels(): Promise<void> {
  const seconds = Number(params.get('seconds') ?? 3);
  output.textContent = `Measuring each kernel for ${seconds} s in a worker…`;
  const worker = new Worker(new URL('./kernel-bench-worker.ts', import.meta.url), {
    type: 'module',
  });
  const result = await new Promise<KernelBenchResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<KernelBenchResult>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ seconds });
  });
  worker.terminate();
  const baseline = result.rates[0]!.rate;
  output.textContent = [
    `${navigator.userAgent}`,
    ...result.rates.map(
      (r) =>
        `${r.subject.padEnd(10)} ${mega(r.rate)}  (${(r.rate / baseline).toFixed(1)}x baseline)`,
    ),
    result.wasmUnavailable ? `WebAssembly SIMD unavailable: ${result.wasmUnavailable}` : '',
  ].join('\n');
  window.tabcoinBench = { ...result, done: true };
}

async function runMiner(): Promise<void> {
  const network = (params.get('network') ?? 'main') as NetworkName;
  const chain = NETWORKS[network];
  if (!chain) throw new Error(`unknown network ${network}`);
  const state = await NodeState.open(chain, new MemoryStore());
  const payTo = publicKeyOf(sha256(new TextEncoder().encode('tabcoin bench page miner')));
  // `&view=pow`: the live proof-of-work view of the app's miner panel, fed by this controller.
  const pow = params.get('view') === 'pow' ? new PowSampler() : undefined;
  if (pow) {
    await import('../ui/tc-pow-live.js');
    const view = document.createElement('tc-pow-live');
    view.sampler = pow;
    document.body.append(view);
  }
  const controller = new MiningController({
    pow,
    node: state,
    payTo,
    createWorker: createBrowserMiningWorker,
    workers: Number(params.get('workers') ?? 2),
  });
  const page: MiningPageState = {
    status: () => controller.status(),
    blocks: [],
    problems: [],
    stop: () => controller.stop(),
  };
  window.tabcoinMining = page;
  const render = (status: MiningStatus) => {
    const expected = status.expectedSeconds;
    output.textContent = [
      `${status.running ? 'mining' : 'stopped'} on ${network}: ${status.workers} of ${status.maxWorkers} workers, kernel ${status.kernel ?? '…'}`,
      `hashrate ${mega(status.hashrate)}, ${status.hashes.toLocaleString()} hashes`,
      `block ${status.height ?? '…'}: expected in ${expected === undefined ? '…' : `${expected.toFixed(1)} s`}`,
      `found ${status.blocksFound} (stale ${status.staleFound}); extra nonce ${status.extraNonce}`,
      ...page.blocks.slice(-5).map((b) => `  #${b.height} ${b.id}`),
      ...page.problems.slice(-5),
    ].join('\n');
  };
  controller.on('status', render);
  controller.on('block', ({ height, id }) =>
    page.blocks.push({ height, id, at: performance.now() }),
  );
  controller.on('rejected', ({ result }) => {
    page.problems.push(`refused: ${result.ok ? '' : `${result.reason} ${result.message}`}`);
  });
  controller.on('error', (err) => page.problems.push(`error: ${err.message}`));
  toggle.hidden = false;
  toggle.onclick = () => {
    if (controller.isRunning) controller.stop();
    else void controller.start();
    toggle.textContent = controller.isRunning ? 'Stop' : 'Start';
  };
  await controller.start();
}

const runVerify = () => runVerifyBench(output, params);
const run = { mine: runMiner, verify: runVerify }[params.get('run') ?? ''] ?? runKernels;
run().catch((err: unknown) => {
  output.textContent = `failed: ${err instanceof Error ? err.stack : String(err)}`;
});
