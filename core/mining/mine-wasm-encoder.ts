/**
 * A minimal WebAssembly binary writer: enough to emit the SIMD mining kernel
 * (core/mining/sha256-wasm-simd.ts) as a one-function module at runtime, so the bytes we compile come
 * from our own readable code rather than a prebuilt blob. Encodings follow the WebAssembly 2.0
 * binary format (LEB128 integers, sections 1/3/5/7/10/11, SIMD instructions after 0xfd).
 *
 * @example
 * const body = new WasmWriter().op(OP.i32Const).s32(7).op(OP.end).finish();
 * const bytes = encodeModule({ params: [], results: [TYPE.i32], locals: [], body }, 'seven');
 */

export const TYPE = { i32: 0x7f, v128: 0x7b, void: 0x40 } as const;

/** Core opcodes used by the kernel. */
export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Ctz: 0x68,
  i32Add: 0x6a,
  i32Shl: 0x74,
} as const;

/** SIMD opcodes (each written after the 0xfd prefix, as a LEB128 u32). */
export const SIMD = {
  v128Load32Splat: 0x09,
  v128Const: 0x0c,
  i8x16Shuffle: 0x0d,
  i32x4Splat: 0x11,
  i32x4LeU: 0x3e,
  v128And: 0x4e,
  v128Or: 0x50,
  v128Xor: 0x51,
  v128Bitselect: 0x52,
  v128AnyTrue: 0x53,
  i32x4Bitmask: 0xa4,
  i32x4Shl: 0xab,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
} as const;

/** A growable byte buffer with the binary format's integer encodings. */
export class WasmWriter {
  private buf = new Uint8Array(new ArrayBuffer(4096));
  private length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.length++] = b;
    return this;
  }

  bytes(data: ArrayLike<number>): this {
    for (let i = 0; i < data.length; i++) this.byte(data[i]!);
    return this;
  }

  /** Unsigned LEB128 (u32). */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v === 0 ? b : b | 0x80);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 (i32). */
  s32(value: number): this {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  op(code: number): this {
    return this.byte(code);
  }

  simd(code: number): this {
    return this.byte(0xfd).u32(code);
  }

  /** Memory immediate: alignment (log2) and offset. */
  memarg(alignLog2: number, offset: number): this {
    return this.u32(alignLog2).u32(offset);
  }

  /** Length-prefixed UTF-8 name. */
  name(text: string): this {
    const utf8 = new TextEncoder().encode(text);
    return this.u32(utf8.length).bytes(utf8);
  }

  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.length);
  }
}

export interface WasmFunction {
  params: number[];
  results: number[];
  /** Runs of extra locals: [count, type]. */
  locals: [number, number][];
  /** Instructions, ending with `end`. */
  body: Uint8Array;
}

function section(out: WasmWriter, id: number, content: Uint8Array): void {
  out.byte(id).u32(content.length).bytes(content);
}

/**
 * A module exporting one function as `name` and its memory as `memory` (`pages` x 64 KiB),
 * with `data.bytes` copied to address `data.offset` of the memory at instantiation.
 */
export function encodeModule(
  fn: WasmFunction,
  name: string,
  pages = 1,
  data?: { offset: number; bytes: Uint8Array },
): Uint8Array<ArrayBuffer> {
  const out = new WasmWriter().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const types = new WasmWriter().u32(1).byte(0x60).u32(fn.params.length).bytes(fn.params);
  section(out, 1, types.u32(fn.results.length).bytes(fn.results).finish());
  section(out, 3, new WasmWriter().u32(1).u32(0).finish());
  section(out, 5, new WasmWriter().u32(1).byte(0x00).u32(pages).finish());
  const exports = new WasmWriter().u32(2).name(name).byte(0x00).u32(0);
  section(out, 7, exports.name('memory').byte(0x02).u32(0).finish());
  const body = new WasmWriter().u32(fn.locals.length);
  for (const [count, type] of fn.locals) body.u32(count).byte(type);
  const code = body.bytes(fn.body).finish();
  section(out, 10, new WasmWriter().u32(1).u32(code.length).bytes(code).finish());
  if (data && data.bytes.length > 0) {
    const segment = new WasmWriter().u32(1).byte(0x00).op(OP.i32Const).s32(data.offset).op(OP.end);
    section(out, 11, segment.u32(data.bytes.length).bytes(data.bytes).finish());
  }
  return out.finish();
}
