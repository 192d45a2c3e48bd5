/** core/primitives/encoding.ts: CompactSize and little-endian codecs, and typed decode failures. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/primitives/bytes.js';
import {
  ByteReader,
  ByteWriter,
  decodeAll,
  varintSize,
} from '../../../core/primitives/encoding.js';
import { u32, varintValue } from '../../helpers/arbitraries.js';
import { rejection } from '../../helpers/results.js';

const readVarint = (data: Uint8Array) => decodeAll(data, 'test', (r) => r.varint());

/** One field of a record: the writer call and the reader call that must give it back. */
type Field =
  | { kind: 'u8'; value: number }
  | { kind: 'u32'; value: number }
  | { kind: 'u64'; value: bigint }
  | { kind: 'varint'; value: number }
  | { kind: 'varBytes'; value: Uint8Array };

const fieldArb: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ kind: fc.constant('u8' as const), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('u32' as const), value: u32 }),
  fc.record({
    kind: fc.constant('u64' as const),
    value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  }),
  fc.record({ kind: fc.constant('varint' as const), value: varintValue }),
  fc.record({ kind: fc.constant('varBytes' as const), value: fc.uint8Array({ maxLength: 300 }) }),
);

function writeFields(fields: Field[], initialSize = 1): Uint8Array {
  const w = new ByteWriter(initialSize);
  for (const f of fields) {
    if (f.kind === 'u64') w.u64(f.value);
    else if (f.kind === 'varBytes') w.varBytes(f.value);
    else w[f.kind](f.value);
  }
  return w.finish();
}

function readFields(fields: Field[]) {
  return (r: ByteReader): Field[] =>
    fields.map((f): Field => {
      if (f.kind === 'varBytes') return { kind: f.kind, value: r.varBytes(1000, 'bytes') };
      if (f.kind === 'u64') return { kind: f.kind, value: r.u64() };
      return { kind: f.kind, value: r[f.kind]() };
    });
}

describe('CompactSize varint', () => {
  // Bitcoin's CompactSize table: value -> exact bytes.
  const vectors: [number, string][] = [
    [0, '00'],
    [0xfc, 'fc'],
    [0xfd, 'fdfd00'],
    [0xffff, 'fdffff'],
    [0x10000, 'fe00000100'],
    [0xffffffff, 'feffffffff'],
    [0x100000000, 'ff0000000001000000'],
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff1f00'],
  ];

  it.each(vectors)('encodes %i as %s and decodes it back', (value, hex) => {
    expect(toHex(new ByteWriter().varint(value).finish())).toBe(hex);
    expect(varintSize(value)).toBe(hex.length / 2);
    expect(readVarint(fromHex(hex))).toEqual({ ok: true, value });
  });

  it('always writes varintSize(value) bytes', () => {
    fc.assert(
      fc.property(varintValue, (v) => new ByteWriter().varint(v).finish().length === varintSize(v)),
    );
  });

  it('refuses every longer-than-needed form (bad-encoding-non-canonical)', () => {
    const forms = [
      (v: number) => new ByteWriter().u8(0xfd).bytes(Uint8Array.of(v & 0xff, v >> 8)),
      (v: number) => new ByteWriter().u8(0xfe).u32(v),
      (v: number) => new ByteWriter().u8(0xff).u64(BigInt(v)),
    ];
    const limits = [0xfd, 0x10000, 0x100000000];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.nat(), (form, seed) => {
        const value = seed % limits[form]!; // fits a shorter form
        const data = forms[form]!(value).finish();
        return rejection(readVarint(data)).reason === 'bad-encoding-non-canonical';
      }),
    );
    expect(rejection(readVarint(fromHex('fdfc00'))).reason).toBe('bad-encoding-non-canonical');
    expect(rejection(readVarint(fromHex('feffff0000'))).reason).toBe('bad-encoding-non-canonical');
    expect(rejection(readVarint(fromHex('ffffffffff00000000'))).reason).toBe(
      'bad-encoding-non-canonical',
    );
  });

  it('refuses 9-byte values beyond Number.MAX_SAFE_INTEGER as oversized', () => {
    expect(rejection(readVarint(fromHex('ff0000000000002000'))).reason).toBe(
      'bad-encoding-oversized',
    );
    expect(rejection(readVarint(fromHex('ffffffffffffffffff'))).reason).toBe(
      'bad-encoding-oversized',
    );
  });

  it('refuses unencodable values with RangeError', () => {
    const w = new ByteWriter();
    expect(() => w.varint(-1)).toThrow(RangeError);
    expect(() => w.varint(1.5)).toThrow(RangeError);
    expect(() => w.varint(2 ** 53)).toThrow(RangeError);
  });
});

describe('ByteWriter / ByteReader round trip', () => {
  it('reads back any sequence of fields, growing past the initial size', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { maxLength: 20 }), (fields) => {
        const data = writeFields(fields);
        const decoded = decodeAll(data, 'record', readFields(fields));
        expect(decoded).toEqual({ ok: true, value: fields });
      }),
    );
  });

  it('writes integers little-endian', () => {
    const w = new ByteWriter().u8(0xab).u32(0x01020304).u64(0x0102030405060708n);
    expect(toHex(w.finish())).toBe('ab' + '04030201' + '0807060504030201');
  });

  it('refuses out-of-range integers with RangeError', () => {
    const w = new ByteWriter();
    expect(() => w.u32(-1)).toThrow(RangeError);
    expect(() => w.u32(2 ** 32)).toThrow(RangeError);
    expect(() => w.u32(0.5)).toThrow(RangeError);
    expect(() => w.u64(-1n)).toThrow(RangeError);
    expect(() => w.u64(1n << 64n)).toThrow(RangeError);
  });

  it('reads from a view into a larger buffer at its own offset', () => {
    const backing = fromHex('ffffff' + '04030201' + 'ee');
    const r = new ByteReader(backing.subarray(3, 7));
    expect(r.u32()).toBe(0x01020304);
    expect(r.remaining).toBe(0);
  });

  it('returns copies, not views, of the input', () => {
    const data = Uint8Array.of(1, 2, 3);
    const out = new ByteReader(data).bytes(3);
    out[0] = 99;
    expect(data[0]).toBe(1);
  });

  it('tracks offset and remaining', () => {
    const r = new ByteReader(new Uint8Array(10));
    r.u32();
    expect(r.offset).toBe(4);
    expect(r.remaining).toBe(6);
  });
});

describe('decodeAll', () => {
  it('rejects every proper prefix as truncated, without throwing', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { minLength: 1, maxLength: 6 }), (fields) => {
        const data = writeFields(fields);
        for (let n = 0; n < data.length; n++) {
          const result = decodeAll(data.subarray(0, n), 'record', readFields(fields));
          expect(rejection(result).reason).toBe('bad-encoding-truncated');
        }
      }),
    );
  });

  it('rejects trailing bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fieldArb, { maxLength: 6 }),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        (fields, garbage) => {
          const data = new Uint8Array([...writeFields(fields), ...garbage]);
          const r = rejection(decodeAll(data, 'record', readFields(fields)));
          expect(r.reason).toBe('bad-encoding-trailing');
          expect(r.message).toContain(`${garbage.length} trailing bytes`);
        },
      ),
    );
  });

  it('refuses a count over its limit before reading the items (bad-encoding-oversized)', () => {
    // 0xffffffff items announced by a 5-byte input: a reader that allocated or looped first
    // would report truncation (or run out of memory) instead.
    const data = fromHex('feffffffff');
    const r = rejection(decodeAll(data, 'list', (reader) => reader.count(1000, 'item count')));
    expect(r.reason).toBe('bad-encoding-oversized');
    expect(r.message).toContain('item count 4294967295 exceeds the limit of 1000');
    expect(decodeAll(fromHex('fde803'), 'list', (reader) => reader.count(1000, 'n'))).toEqual({
      ok: true,
      value: 1000,
    });
    expect(
      rejection(decodeAll(fromHex('fde903'), 'list', (reader) => reader.count(1000, 'n'))).reason,
    ).toBe('bad-encoding-oversized');
  });

  it('refuses varBytes longer than their limit before reading them', () => {
    const data = fromHex('05' + '0102');
    const r = rejection(decodeAll(data, 'blob', (reader) => reader.varBytes(4, 'blob')));
    expect(r.reason).toBe('bad-encoding-oversized');
    expect(decodeAll(fromHex('020102'), 'blob', (reader) => reader.varBytes(2, 'blob'))).toEqual({
      ok: true,
      value: Uint8Array.of(1, 2),
    });
  });

  it('returns a consensus rejection (ban score 100), and refuses non-bytes', () => {
    const r = rejection(readVarint(new Uint8Array()));
    expect(r).toMatchObject({ ok: false, category: 'consensus', score: 100 });
    expect(r.message).toMatch(/^test: truncated input/);
    expect(rejection(readVarint('00' as unknown as Uint8Array)).reason).toBe('bad-encoding-type');
  });

  it('lets programmer errors through instead of disguising them as bad data', () => {
    expect(() =>
      decodeAll(new Uint8Array(1), 'x', () => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
  });
});
