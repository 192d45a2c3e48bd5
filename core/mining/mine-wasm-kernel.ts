/**
 * The WebAssembly SIMD128 mining kernel: 4 nonces per iteration, module bytes emitted at
 * runtime by core/mining/sha256-wasm-simd.ts (no prebuilt binary). Compiled synchronously once per
 * realm; unavailable where WebAssembly SIMD is missing or a synchronous compile is refused
 * (Chromium has refused them on the main thread for modules over 4 KB), which
 * `wasmKernelUnavailable` reports so callers fall back to the JavaScript kernel.
 */
import {
  assertHeader,
  assertNonceRange,
  createNonceCheck,
  targetTopWord,
  type MiningKernel,
} from './mine-kernel.js';
import { headerHashPlan, headerWords } from './sha256-header-plan.js';
import { templateSlots, type Plan } from './sha256-plan.js';
import { buildSimdScanModule, SIMD_LANES, SLOT_OFFSET } from './sha256-wasm-simd.js';

/** Nonces per call into WebAssembly (~15 ms): short calls let V8 switch to optimised code. */
const NONCES_PER_CALL = 1 << 16;

interface Compiled {
  plan: Plan;
  module?: WebAssembly.Module;
  /** Why the module is unavailable, when it is. */
  error?: string;
}

let compiled: Compiled | undefined;
let moduleBytes: { plan: Plan; bytes: Uint8Array<ArrayBuffer> } | undefined;

/** The plan and module bytes of the SIMD kernel (built once, deterministic). */
export function simdKernelModule(): { plan: Plan; bytes: Uint8Array<ArrayBuffer> } {
  if (!moduleBytes) {
    const plan = headerHashPlan({ bitselect: true });
    moduleBytes = { plan, bytes: buildSimdScanModule(plan) };
  }
  return moduleBytes;
}

function compile(): Compiled {
  if (compiled) return compiled;
  const { plan, bytes } = simdKernelModule();
  try {
    if (typeof WebAssembly !== 'object') compiled = { plan, error: 'no WebAssembly' };
    else if (!WebAssembly.validate(bytes)) compiled = { plan, error: 'no WebAssembly SIMD' };
    else compiled = { plan, module: new WebAssembly.Module(bytes) };
  } catch (err) {
    // e.g. Chromium's main thread: "WebAssembly.Module is disallowed on the main thread, if
    // the buffer size is larger than 4KB. Use WebAssembly.compile".
    compiled = { plan, error: err instanceof Error ? err.message : String(err) };
  }
  return compiled;
}

/** Why the SIMD kernel cannot run here, or undefined when it can. */
export function wasmKernelUnavailable(): string | undefined {
  return compile().error;
}

/**
 * A WebAssembly SIMD kernel for one template. Throws `Error` when the kernel is unavailable
 * (check `wasmKernelUnavailable()` first, or use `createMiningKernel`).
 */
export function createWasmKernel(header: Uint8Array, target: bigint): MiningKernel {
  assertHeader(header);
  const top = targetTopWord(target);
  const { plan, module, error } = compile();
  if (!module) throw new Error(`WebAssembly SIMD kernel unavailable: ${error}`);
  const instance = new WebAssembly.Instance(module, {});
  const scanGroups = instance.exports.scan as (
    start: number,
    groups: number,
    top: number,
  ) => number;
  const memory = instance.exports.memory as WebAssembly.Memory;
  new Int32Array(memory.buffer).set(templateSlots(plan, headerWords(header)), SLOT_OFFSET / 4);
  const check = createNonceCheck(header, target);
  return {
    kind: 'wasm-simd',
    scan(from: number, to: number): number {
      assertNonceRange(from, to);
      if (top < 0) return -1;
      let start = from;
      while (start < to) {
        const count = Math.min(to - start, NONCES_PER_CALL);
        const offset = scanGroups(start | 0, Math.ceil(count / SIMD_LANES), top | 0);
        if (offset < 0 || offset >= count) {
          start += count; // a lane past `count` belongs to the next call (or past `to`)
        } else if (check(start + offset)) {
          return start + offset;
        } else {
          start += offset + 1; // top word equal to the target's, but the hash is above it
        }
      }
      return -1;
    },
  };
}
