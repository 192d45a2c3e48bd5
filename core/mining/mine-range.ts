/**
 * Kernel selection and `mineRange`, the one-call miner: the fastest kernel available here
 * (WebAssembly SIMD, else the unrolled JavaScript kernel), as bcoin's `mine(header, target,
 * min, max)`.
 */
import { createJsKernel } from './mine-js-kernel.js';
import {
  assertHeader,
  assertNonceRange,
  targetTopWord,
  type KernelKind,
  type MiningKernel,
} from './mine-kernel.js';
import { createWasmKernel, wasmKernelUnavailable } from './mine-wasm-kernel.js';

/** The kernel `createMiningKernel(..., 'auto')` picks here. */
export function bestKernelKind(): KernelKind {
  return wasmKernelUnavailable() === undefined ? 'wasm-simd' : 'js';
}

/**
 * A kernel for one template (`header`, 80 bytes, nonce field ignored; `target`), created once
 * per template and scanned in chunks.
 *
 * @example
 * const kernel = createMiningKernel(headerBytes, bitsToTarget(header.bits));
 * for (let from = 0; from < 2 ** 32; from += 1 << 20) {
 *   const nonce = kernel.scan(from, Math.min(from + (1 << 20), 2 ** 32));
 *   if (nonce >= 0) return nonce;
 * }
 */
export function createMiningKernel(
  header: Uint8Array,
  target: bigint,
  kind: KernelKind | 'auto' = 'auto',
): MiningKernel {
  const chosen = kind === 'auto' ? bestKernelKind() : kind;
  return chosen === 'wasm-simd' ? createWasmKernel(header, target) : createJsKernel(header, target);
}

/**
 * The first nonce in [from, to) for which the 80-byte `header` with that nonce hashes (double
 * SHA-256, read as a little-endian number as in `hashMeetsTarget`) to at most `target`, or -1.
 *
 * @example
 * const nonce = mineRange(encodeHeader(header), bitsToTarget(header.bits), 0, 2 ** 32);
 */
export function mineRange(header: Uint8Array, target: bigint, from: number, to: number): number {
  assertHeader(header);
  assertNonceRange(from, to);
  if (targetTopWord(target) < 0 || from === to) return -1;
  return createMiningKernel(header, target).scan(from, to);
}
