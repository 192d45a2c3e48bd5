/**
 * Compiles the header double-hash plan (core/mining/sha256-header-plan.ts) into a WebAssembly SIMD128
 * module that hashes 4 nonces per iteration, one per 32-bit lane:
 *
 *   scan(start: i32, groups: i32, top: i32) -> i32
 *
 * hashes nonces start, start+1, ... in `groups` groups of 4 and returns the offset (from
 * `start`) of the first nonce whose hash's top word, byte-swapped to a little-endian number,
 * is <= `top` (unsigned), or -1. Template slots are read from memory at `SLOT_OFFSET` (written
 * by the caller per template); constants from a data segment at `CONST_OFFSET` (a load-splat
 * is one instruction, where V8 builds a `v128.const` from several: measured ~5% faster).
 * Nodes used once are emitted inline on the operand stack; the rest live in locals, reused
 * once dead.
 */
import { encodeModule, OP, SIMD, TYPE, WasmWriter } from './mine-wasm-encoder.js';
import type { Plan } from './sha256-plan.js';

/** Byte address of template slot 0 (slot i at SLOT_OFFSET + 4i). */
export const SLOT_OFFSET = 0;
export const SIMD_LANES = 4;
/** Byte address of the constant table (after room for 256 slots). */
const CONST_OFFSET = 1024;

const START = 0;
const GROUPS = 1;
const TOP = 2;
const GROUP = 3; // i32 loop counter
const NONCES = 4; // v128: the 4 nonces of this group
const W3 = 5; // v128: the nonces byte-swapped, as SHA-256 reads them
const TOPS = 6; // v128: `top` in every lane
const MASK = 7; // v128: lanes that passed
const FIRST_TEMP = 8;

/** i8x16.shuffle lanes that byte-swap each 32-bit lane. */
const BYTE_SWAP = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12];

function i32x4Const(w: WasmWriter, values: readonly number[]): void {
  w.simd(SIMD.v128Const);
  for (const v of values)
    w.byte(v & 0xff)
      .byte((v >>> 8) & 0xff)
      .byte((v >>> 16) & 0xff)
      .byte(v >>> 24);
}

/** Body of `scan` and the number of v128 temporaries it uses. */
function compileScan(plan: Plan): { body: Uint8Array; temps: number; data: Uint8Array } {
  const { nodes } = plan;
  if (plan.outputs.length !== 1 || plan.varCount !== 1) {
    throw new RangeError('the scan kernel needs a plan with one variable and one output');
  }
  if (SLOT_OFFSET + 4 * plan.slots.length > CONST_OFFSET) throw new RangeError('too many slots');
  const uses = new Int32Array(nodes.length);
  const bound = new Uint8Array(nodes.length);
  for (const node of nodes) {
    if (node.level !== 2) continue;
    for (const a of node.args) {
      uses[a]!++;
      if (node.op === 'rotr') bound[a] = 1;
    }
  }
  nodes.forEach((node, id) => {
    if (node.level === 2 && node.op !== 'var' && uses[id]! > 1) bound[id] = 1;
    if (node.level !== 2 || node.op === 'var') bound[id] = 0;
  });
  const slotIndex = new Map(plan.slots.map((id, i) => [id, i]));
  const output = plan.outputs[0]!;
  const statements = [...bound.keys()].filter((id) => bound[id] && id !== output);
  statements.push(output);

  // Pass 1: the last statement that reads each local-bound node.
  const lastRead = new Int32Array(nodes.length).fill(-1);
  const visit = (id: number, s: number): void => {
    const node = nodes[id]!;
    if (node.level !== 2 || node.op === 'var') return;
    if (bound[id]) {
      lastRead[id] = s;
      return;
    }
    for (const a of node.args) visit(a, s);
  };
  statements.forEach((id, s) => nodes[id]!.args.forEach((a) => visit(a, s)));
  const dying: number[][] = statements.map(() => []);
  lastRead.forEach((s, id) => {
    if (s >= 0) dying[s]!.push(id);
  });

  // Pass 2: emit, allocating temporaries.
  const w = new WasmWriter();
  const local = new Int32Array(nodes.length).fill(-1);
  const free: number[] = [];
  const constIndex = new Map<number, number>();
  let temps = 0;
  const ref = (id: number): void => {
    const node = nodes[id]!;
    if (node.op === 'const') {
      if (!constIndex.has(node.imm)) constIndex.set(node.imm, constIndex.size);
      w.op(OP.i32Const).s32(0).simd(SIMD.v128Load32Splat);
      w.memarg(2, CONST_OFFSET + 4 * constIndex.get(node.imm)!);
    } else if (node.level === 1) {
      w.op(OP.i32Const).s32(0).simd(SIMD.v128Load32Splat);
      w.memarg(2, SLOT_OFFSET + 4 * slotIndex.get(id)!);
    } else if (node.op === 'var') w.op(OP.localGet).u32(W3);
    else if (local[id]! >= 0) w.op(OP.localGet).u32(local[id]!);
    else expr(id);
  };
  const expr = (id: number): void => {
    const node = nodes[id]!;
    const [a = 0, b = 0, c = 0] = node.args;
    switch (node.op) {
      case 'add':
        ref(node.args[0]!);
        for (const t of node.args.slice(1)) {
          ref(t);
          w.simd(SIMD.i32x4Add);
        }
        return;
      case 'xor':
      case 'and':
      case 'or':
        ref(a);
        ref(b);
        w.simd(node.op === 'xor' ? SIMD.v128Xor : node.op === 'and' ? SIMD.v128And : SIMD.v128Or);
        return;
      case 'rotr': {
        const x = nodes[a]!.op === 'var' ? W3 : local[a]!;
        w.op(OP.localGet).u32(x).op(OP.i32Const).s32(node.imm).simd(SIMD.i32x4ShrU);
        w.op(OP.localGet)
          .u32(x)
          .op(OP.i32Const)
          .s32(32 - node.imm)
          .simd(SIMD.i32x4Shl);
        w.simd(SIMD.v128Or);
        return;
      }
      case 'shr':
        ref(a);
        w.op(OP.i32Const).s32(node.imm).simd(SIMD.i32x4ShrU);
        return;
      case 'sel':
        ref(b);
        ref(c);
        ref(a);
        w.simd(SIMD.v128Bitselect);
        return;
      default:
        throw new RangeError(`cannot compile ${node.op} at nonce level`);
    }
  };

  // nonces = start + [0, 1, 2, 3]; tops = splat(top)
  w.op(OP.localGet).u32(START).simd(SIMD.i32x4Splat);
  i32x4Const(w, [0, 1, 2, 3]);
  w.simd(SIMD.i32x4Add).op(OP.localSet).u32(NONCES);
  w.op(OP.localGet).u32(TOP).simd(SIMD.i32x4Splat).op(OP.localSet).u32(TOPS);
  w.op(OP.block).byte(TYPE.void).op(OP.loop).byte(TYPE.void);
  w.op(OP.localGet).u32(GROUP).op(OP.localGet).u32(GROUPS).op(OP.i32GeU).op(OP.brIf).u32(1);
  w.op(OP.localGet).u32(NONCES).op(OP.localGet).u32(NONCES);
  w.simd(SIMD.i8x16Shuffle).bytes(BYTE_SWAP).op(OP.localSet).u32(W3);
  statements.forEach((id, s) => {
    for (const d of dying[s]!) free.push(local[d]!);
    if (id === output) {
      expr(id);
      w.op(OP.localSet).u32(MASK);
      return;
    }
    const slot = free.pop() ?? FIRST_TEMP + temps++;
    expr(id);
    local[id] = slot;
    w.op(OP.localSet).u32(slot);
  });
  // mask = bswap(top word) <= tops; if any lane passed, return 4 * group + first such lane.
  w.op(OP.localGet).u32(MASK).op(OP.localGet).u32(MASK).simd(SIMD.i8x16Shuffle).bytes(BYTE_SWAP);
  w.op(OP.localGet).u32(TOPS).simd(SIMD.i32x4LeU).op(OP.localTee).u32(MASK);
  w.simd(SIMD.v128AnyTrue).op(OP.if).byte(TYPE.void);
  w.op(OP.localGet).u32(GROUP).op(OP.i32Const).s32(2).op(OP.i32Shl);
  w.op(OP.localGet).u32(MASK).simd(SIMD.i32x4Bitmask).op(OP.i32Ctz).op(OP.i32Add);
  w.op(OP.return).op(OP.end);
  w.op(OP.localGet).u32(NONCES);
  i32x4Const(w, [SIMD_LANES, SIMD_LANES, SIMD_LANES, SIMD_LANES]);
  w.simd(SIMD.i32x4Add).op(OP.localSet).u32(NONCES);
  w.op(OP.localGet).u32(GROUP).op(OP.i32Const).s32(1).op(OP.i32Add).op(OP.localSet).u32(GROUP);
  w.op(OP.br).u32(0).op(OP.end).op(OP.end);
  w.op(OP.i32Const).s32(-1).op(OP.end);
  const data = new Uint8Array(4 * constIndex.size);
  const view = new DataView(data.buffer);
  for (const [v, i] of constIndex) view.setInt32(4 * i, v, true);
  return { body: w.finish(), temps, data };
}

/** Module bytes of the SIMD scan kernel for `plan` (built with `bitselect: true`). */
export function buildSimdScanModule(plan: Plan): Uint8Array<ArrayBuffer> {
  const { body, temps, data } = compileScan(plan);
  return encodeModule(
    {
      params: [TYPE.i32, TYPE.i32, TYPE.i32],
      results: [TYPE.i32],
      locals: [
        [1, TYPE.i32],
        [4 + temps, TYPE.v128],
      ],
      body,
    },
    'scan',
    1,
    { offset: CONST_OFFSET, bytes: data },
  );
}
