/**
 * The JavaScript mining kernel: the generated, unrolled double SHA-256 of
 * core/mining/sha256-unrolled.ts, one nonce at a time, allocating nothing per nonce. Runs anywhere;
 * the fallback when WebAssembly SIMD is missing or cannot be compiled synchronously.
 */
import {
  assertHeader,
  assertNonceRange,
  createNonceCheck,
  targetTopWord,
  type MiningKernel,
} from './mine-kernel.js';
import { byteSwap32, firstHashPlan, headerWords } from './sha256-header-plan.js';
import { templateSlots, type Plan } from './sha256-plan.js';
import {
  SHA256_FIRST_HASH_SLOTS,
  sha256FirstHash,
  sha256SecondHashTop,
} from './sha256-unrolled.js';

let plan: Plan | undefined;

/** The plan the generated code was built from (built once, ~10 ms), checked against it. */
function unrolledPlan(): Plan {
  if (!plan) {
    plan = firstHashPlan({ bitselect: false });
    if (plan.slots.length !== SHA256_FIRST_HASH_SLOTS) {
      throw new Error('core/mining/sha256-unrolled.ts is stale: run tools/gen-sha256-unrolled.ts');
    }
  }
  return plan;
}

/**
 * A JavaScript kernel for one template: `header` (80 bytes; its nonce field is ignored) and
 * `target`.
 *
 * @example
 * const kernel = createJsKernel(encodeHeader(template.block.header), bitsToTarget(bits));
 * const nonce = kernel.scan(0, 1_000_000); // -1 when none of these nonces wins
 */
export function createJsKernel(header: Uint8Array, target: bigint): MiningKernel {
  assertHeader(header);
  const top = targetTopWord(target);
  const slots = templateSlots(unrolledPlan(), headerWords(header));
  const check = createNonceCheck(header, target);
  const state = new Int32Array(8);
  return {
    kind: 'js',
    scan(from: number, to: number): number {
      assertNonceRange(from, to);
      if (top < 0) return -1;
      for (let nonce = from; nonce < to; nonce++) {
        sha256FirstHash(slots, byteSwap32(nonce), state);
        if (byteSwap32(sha256SecondHashTop(state)) <= top && check(nonce)) return nonce;
      }
      return -1;
    },
  };
}
