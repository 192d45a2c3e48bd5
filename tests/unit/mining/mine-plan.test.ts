/**
 * core/mining/sha256-plan.ts, core/mining/sha256-header-plan.ts, core/mining/mine-wasm-encoder.ts and the generated
 * core/mining/sha256-unrolled.ts: the symbolic SHA-256 the kernels are built from computes real
 * SHA-256, the builder folds what it claims to, the WebAssembly encoder writes the binary
 * format's integers, and the committed JavaScript kernel is what the generator produces.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simdKernelModule } from '../../../core/mining/mine-wasm-kernel.js';
import { WasmWriter } from '../../../core/mining/mine-wasm-encoder.js';
import {
  byteSwap32,
  firstHashPlan,
  headerHashPlan,
  headerWords,
  secondHashPlan,
} from '../../../core/mining/sha256-header-plan.js';
import {
  evaluatePlan,
  finishPlan,
  PlanBuilder,
  templateSlots,
} from '../../../core/mining/sha256-plan.js';
import { sha256FirstHash, sha256SecondHashTop } from '../../../core/mining/sha256-unrolled.js';
import { renderUnrolledKernel, UNROLLED_PATH } from '../../../tools/gen-sha256-unrolled.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();
const header80 = fc.uint8Array({ minLength: 80, maxLength: 80 });
const nonceOf = (header: Uint8Array) => Buffer.from(header).readUInt32LE(76);

describe('header hash plans', () => {
  it.each([false, true])('compute word 7 of the double SHA-256 (bitselect %s)', (bitselect) => {
    const plan = headerHashPlan({ bitselect });
    fc.assert(
      fc.property(header80, (header) => {
        const values = evaluatePlan(plan, headerWords(header), [byteSwap32(nonceOf(header))]);
        const top = sha256(sha256(header)).readUInt32BE(28);
        expect(values[plan.outputs[0]!]! >>> 0).toBe(top);
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it('split into first and second hash, as the generated JavaScript kernel is', () => {
    const first = firstHashPlan({ bitselect: false });
    const second = secondHashPlan({ bitselect: false });
    fc.assert(
      fc.property(header80, (header) => {
        const w3 = byteSwap32(nonceOf(header));
        const v = evaluatePlan(first, headerWords(header), [w3]);
        const words = Int32Array.from(first.outputs, (o) => v[o]!);
        const digest = sha256(header);
        expect(Buffer.from(Int32Array.from(words, byteSwap32).buffer)).toEqual(digest);
        const top = evaluatePlan(second, [], words)[second.outputs[0]!]! >>> 0;
        expect(top).toBe(sha256(digest).readUInt32BE(28));
        // The generated code computes the same from the template slots.
        const out = new Int32Array(8);
        sha256FirstHash(templateSlots(first, headerWords(header)), w3, out);
        expect(out).toEqual(words);
        expect(sha256SecondHashTop(out) >>> 0).toBe(top);
      }),
      { seed: 2, numRuns: 300 },
    );
  });

  it('leave little per nonce: the first 64 bytes, 3 rounds and the padding fold away', () => {
    const plan = headerHashPlan({ bitselect: true });
    const perNonce = plan.nodes.filter((n) => n.level === 2).length;
    const perTemplate = plan.nodes.filter((n) => n.level === 1).length;
    expect(perTemplate).toBeGreaterThan(1500); // the midstate and rounds 0-2 of the second block
    expect(perNonce).toBeLessThan(3000);
    expect(plan.slots.length).toBeLessThan(40);
    expect(plan.slots.every((id) => plan.nodes[id]!.level === 1)).toBe(true);
  });
});

describe('PlanBuilder', () => {
  it('folds constants, hoists template terms out of per-nonce sums and shares equal nodes', () => {
    const b = new PlanBuilder({ bitselect: false });
    const [x, y, n] = [b.input(0), b.input(1), b.variable(0)];
    expect(b.valueOf(b.add(b.constant(0xffffffff), b.constant(2)))).toBe(1);
    expect(b.xor(x, b.constant(0))).toBe(x);
    expect(b.and(x, b.constant(0))).toBe(b.constant(0));
    expect(b.rotr(b.constant(1), 1)).toBe(b.constant(0x80000000));
    const sum = b.add(x, n, b.constant(3), y);
    const node = b.nodes[sum]!;
    expect(node.level).toBe(2);
    expect(node.args).toHaveLength(2); // n + (x + y + 3)
    const hoisted = b.nodes[node.args.find((a) => a !== n)!]!;
    expect(hoisted.level).toBe(1);
    expect(b.add(y, b.constant(3), n, x)).toBe(sum);
    const plan = finishPlan(b, [sum]);
    expect(evaluatePlan(plan, [10, 20], [5])[plan.outputs[0]!]).toBe(38);
    expect(templateSlots(plan, [10, 20])).toEqual(Int32Array.of(33));
  });
});

describe('WasmWriter', () => {
  it('writes LEB128 as the binary format specifies', () => {
    const bytes = (f: (w: WasmWriter) => WasmWriter) => [...f(new WasmWriter()).finish()];
    expect(bytes((w) => w.u32(624485))).toEqual([0xe5, 0x8e, 0x26]);
    expect(bytes((w) => w.u32(0xffffffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(bytes((w) => w.s32(-123456))).toEqual([0xc0, 0xbb, 0x78]);
    expect(bytes((w) => w.s32(-1))).toEqual([0x7f]);
    expect(bytes((w) => w.s32(64))).toEqual([0xc0, 0x00]);
    expect(bytes((w) => w.s32(-0x80000000))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });

  it('builds a valid, deterministic SIMD kernel module from our own code', () => {
    const { bytes } = simdKernelModule();
    expect([...bytes.slice(0, 8)]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(bytes.length).toBeLessThan(64 * 1024);
  });
});

describe('core/mining/sha256-unrolled.ts', () => {
  it('is exactly what tools/gen-sha256-unrolled.ts generates (run it after plan changes)', () => {
    expect(readFileSync(UNROLLED_PATH, 'utf8')).toBe(renderUnrolledKernel());
  });
});
