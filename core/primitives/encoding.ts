/**
 * Canonical binary encoding: little-endian integers and Bitcoin's CompactSize varint. The
 * reader checks every length and count against a named limit before it allocates, and a
 * decode fails with a typed result (never a thrown error) on truncated, oversized,
 * non-canonical or trailing input.
 */
import { reject, type Result } from './result.js';

/** Thrown inside a reader and turned into a `Rejection` by `decodeAll`; never escapes it. */
export class DecodeError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Bytes a CompactSize varint of `value` takes. */
export function varintSize(value: number): number {
  return value < 0xfd ? 1 : value <= 0xffff ? 3 : value <= 0xffffffff ? 5 : 9;
}

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): this {
    this.ensure(1);
    this.buf[this.pos++] = value;
    return this;
  }

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`u32 out of range: ${value}`);
    }
    this.ensure(4);
    this.view.setUint32(this.pos, value, true);
    this.pos += 4;
    return this;
  }

  u64(value: bigint): this {
    if (value < 0n || value > 0xffffffffffffffffn)
      throw new RangeError(`u64 out of range: ${value}`);
    this.ensure(8);
    this.view.setBigUint64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  /** Bitcoin CompactSize: 1, 3, 5 or 9 bytes, always the shortest form. */
  varint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`varint out of range: ${value}`);
    if (value < 0xfd) return this.u8(value);
    if (value <= 0xffff) {
      this.ensure(3);
      this.buf[this.pos] = 0xfd;
      this.view.setUint16(this.pos + 1, value, true);
      this.pos += 3;
      return this;
    }
    if (value <= 0xffffffff) return this.u8(0xfe).u32(value);
    return this.u8(0xff).u64(BigInt(value));
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  /** Length-prefixed bytes. */
  varBytes(data: Uint8Array): this {
    return this.varint(data.length).bytes(data);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class ByteReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new DecodeError(
        'truncated',
        `truncated input: ${what} needs ${n} bytes, ${this.remaining} left`,
      );
    }
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  u64(what = 'u64'): bigint {
    this.need(8, what);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** CompactSize, refusing non-shortest forms (one canonical encoding per value). */
  varint(what = 'varint'): number {
    const first = this.u8(what);
    if (first < 0xfd) return first;
    let value: number;
    let min: number;
    if (first === 0xfd) {
      this.need(2, what);
      value = this.view.getUint16(this.pos, true);
      this.pos += 2;
      min = 0xfd;
    } else if (first === 0xfe) {
      value = this.u32(what);
      min = 0x10000;
    } else {
      const big = this.u64(what);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new DecodeError('oversized', `${what} too large`);
      }
      value = Number(big);
      min = 0x100000000;
    }
    if (value < min) throw new DecodeError('non-canonical', `${what} is not in its shortest form`);
    return value;
  }

  /** A count of items, checked against `max` before anything is allocated for them. */
  count(max: number, what: string): number {
    const n = this.varint(what);
    if (n > max) throw new DecodeError('oversized', `${what} ${n} exceeds the limit of ${max}`);
    return n;
  }

  /** A fixed number of bytes (copied, so the result does not alias the input). */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Length-prefixed bytes of at most `max`. */
  varBytes(max: number, what: string): Uint8Array {
    const n = this.count(max, `${what} length`);
    return this.bytes(n, what);
  }
}

/**
 * Decode all of `data` with `read`; trailing bytes, truncation and limit violations become a
 * typed rejection with reason `bad-encoding-<kind>` rather than an exception.
 */
export function decodeAll<T>(
  data: Uint8Array,
  what: string,
  read: (r: ByteReader) => T,
): Result<T> {
  if (!(data instanceof Uint8Array)) return reject('bad-encoding-type', `${what}: not bytes`);
  const reader = new ByteReader(data);
  try {
    const value = read(reader);
    if (reader.remaining !== 0) {
      return reject('bad-encoding-trailing', `${what}: ${reader.remaining} trailing bytes`);
    }
    return { ok: true, value };
  } catch (err) {
    if (err instanceof DecodeError)
      return reject(`bad-encoding-${err.reason}`, `${what}: ${err.message}`);
    throw err;
  }
}
