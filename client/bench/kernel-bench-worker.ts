/** Runs the kernel measurements (measure-kernels.ts) in a Web Worker for the bench page. */
import { bestKernelKind, wasmKernelUnavailable } from '../../core/index.js';
import { measureAll } from './measure-kernels.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', (event: MessageEvent<{ seconds: number }>) => {
  const unavailable = wasmKernelUnavailable();
  const kinds = unavailable === undefined ? (['js', 'wasm-simd'] as const) : (['js'] as const);
  const rates = measureAll(event.data.seconds, () => performance.now(), [...kinds]);
  scope.postMessage({ rates, best: bestKernelKind(), wasmUnavailable: unavailable });
});
