/** core/wire/wire-frames.ts: chunking for data channels, reassembly, and refusal of bad frames. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalBytes } from '../../../core/primitives/bytes.js';
import { decodeMessage, encodeMessage } from '../../../core/wire/wire.js';
import {
  FIRST_FRAME_HEADER_BYTES,
  FRAME_FIRST,
  FRAME_LAST,
  FRAME_MIDDLE,
  FRAME_WHOLE,
  FrameAssembler,
  frameMessage,
} from '../../../core/wire/wire-frames.js';
import {
  MAX_FRAME_PAYLOAD,
  MAX_MESSAGE_BYTES,
  type WireMessage,
} from '../../../core/wire/wire-types.js';
import { headerArb } from '../../helpers/arbitraries.js';
import { invItemArb, messageArb } from '../../helpers/wire-arbitraries.js';
import { seeded } from '../../helpers/seeded.js';
import { rejection } from '../../helpers/results.js';

const prng = seeded;

/** `n` bytes of a recognisable pattern that depends on `seed` (cheap for big sizes). */
function patterned(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + (i >>> 8)) & 0xff;
  return out;
}

/** Push all frames; return every completed message (throws on a rejection). */
function reassemble(frames: Uint8Array[], assembler = new FrameAssembler()): Uint8Array[] {
  const done: Uint8Array[] = [];
  for (const frame of frames) {
    const result = assembler.push(frame);
    if (!result.ok) throw new Error(`unexpected rejection: ${result.reason} ${result.message}`);
    if (result.value) done.push(result.value);
  }
  return done;
}

function frame(kind: number, ...payload: Uint8Array[]): Uint8Array {
  return Uint8Array.from([kind, ...payload.flatMap((p) => [...p])]);
}

function first(total: number, chunkLength: number): Uint8Array {
  const out = new Uint8Array(FIRST_FRAME_HEADER_BYTES + chunkLength);
  out[0] = FRAME_FIRST;
  new DataView(out.buffer).setUint32(1, total, true);
  return out;
}

describe('frameMessage / FrameAssembler', () => {
  it('round-trips messages of any size up to three frames and more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * MAX_FRAME_PAYLOAD + 100 }), fc.nat(), (n, seed) => {
        const message = patterned(n, seed);
        const frames = frameMessage(message);
        expect(frames.length).toBe(Math.max(1, Math.ceil(n / MAX_FRAME_PAYLOAD)));
        for (const f of frames) {
          expect(f.length).toBeLessThanOrEqual(FIRST_FRAME_HEADER_BYTES + MAX_FRAME_PAYLOAD);
        }
        const done = reassemble(frames);
        expect(done).toHaveLength(1);
        expect(equalBytes(done[0]!, message)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips a message of exactly MAX_MESSAGE_BYTES and refuses to frame a bigger one', () => {
    const message = patterned(MAX_MESSAGE_BYTES, 5);
    const frames = frameMessage(message);
    expect(frames).toHaveLength(Math.ceil(MAX_MESSAGE_BYTES / MAX_FRAME_PAYLOAD));
    expect(equalBytes(reassemble(frames)[0]!, message)).toBe(true);
    expect(() => frameMessage(new Uint8Array(MAX_MESSAGE_BYTES + 1))).toThrow(RangeError);
    expect(() => frameMessage([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('splits exactly at 16 KiB boundaries', () => {
    const shape = (n: number) => frameMessage(new Uint8Array(n)).map((f) => [f[0], f.length]);
    const K = MAX_FRAME_PAYLOAD;
    expect(K).toBe(16 * 1024);
    expect(shape(0)).toEqual([[FRAME_WHOLE, 1]]);
    expect(shape(K)).toEqual([[FRAME_WHOLE, 1 + K]]);
    expect(shape(K + 1)).toEqual([
      [FRAME_FIRST, 5 + K],
      [FRAME_LAST, 2],
    ]);
    expect(shape(2 * K)).toEqual([
      [FRAME_FIRST, 5 + K],
      [FRAME_LAST, 1 + K],
    ]);
    expect(shape(2 * K + 1)).toEqual([
      [FRAME_FIRST, 5 + K],
      [FRAME_MIDDLE, 1 + K],
      [FRAME_LAST, 2],
    ]);
    const header = frameMessage(new Uint8Array(2 * K + 1))[0]!.subarray(0, 5);
    expect([...header]).toEqual([FRAME_FIRST, 0x01, 0x80, 0x00, 0x00]);
  });

  it('reassembles several messages in a row, from frames that are views into larger buffers', () => {
    const assembler = new FrameAssembler();
    for (const n of [3, 40_000, 0, MAX_FRAME_PAYLOAD + 1, 7]) {
      const message = patterned(n, n);
      const views = frameMessage(message).map((f) => {
        const backing = new Uint8Array(f.length + 3);
        backing.set(f, 3);
        return backing.subarray(3);
      });
      const done = reassemble(views, assembler);
      expect(done).toHaveLength(1);
      expect(equalBytes(done[0]!, message)).toBe(true);
      expect(assembler.inProgress).toBe(false);
    }
  });
  it('returns a plain Uint8Array copy, also for Buffer frames (as simple-peer delivers)', () => {
    for (const n of [10, MAX_FRAME_PAYLOAD + 10]) {
      const message = patterned(n, 9);
      const frames = frameMessage(message).map((f) => Buffer.from(f));
      const done = reassemble(frames)[0]!;
      expect(done.constructor).toBe(Uint8Array);
      expect(equalBytes(done, message)).toBe(true);
      frames[0]!.fill(0); // the sender's buffers may be reused: the message must not change
      expect(equalBytes(done, message)).toBe(true);
    }
  });
});

describe('FrameAssembler refuses frames frameMessage never sends', () => {
  const K = MAX_FRAME_PAYLOAD;
  const chunk = (n: number) => new Uint8Array(n).fill(7);
  const cases: [string, Uint8Array[], string][] = [
    ['an empty frame', [new Uint8Array(0)], 'bad-frame-empty'],
    ['an unknown kind', [frame(4, chunk(3))], 'bad-frame-kind'],
    ['kind 255', [frame(0xff)], 'bad-frame-kind'],
    ['a middle chunk without a start', [frame(FRAME_MIDDLE, chunk(10))], 'bad-frame-unexpected'],
    ['a last chunk without a start', [frame(FRAME_LAST, chunk(10))], 'bad-frame-unexpected'],
    [
      'a new start while one is in progress',
      [first(3 * K, K), first(3 * K, K)],
      'bad-frame-interleaved',
    ],
    [
      'a whole frame while one is in progress',
      [first(3 * K, K), frame(FRAME_WHOLE, chunk(2))],
      'bad-frame-interleaved',
    ],
    ['a total over MAX_MESSAGE_BYTES', [first(MAX_MESSAGE_BYTES + 1, K)], 'bad-frame-too-large'],
    ['a total of 2^32-1', [first(0xffffffff, K)], 'bad-frame-too-large'],
    ['a start without its total', [Uint8Array.of(FRAME_FIRST, 0, 1)], 'bad-frame-truncated'],
    ['a chunked message that fits one frame', [first(K, 100)], 'bad-frame-total'],
    ['a whole frame over 16 KiB', [frame(FRAME_WHOLE, chunk(K + 1))], 'bad-frame-chunk-size'],
    [
      'a chunk over 16 KiB',
      [first(3 * K, K), frame(FRAME_MIDDLE, chunk(K + 1))],
      'bad-frame-chunk-size',
    ],
    ['an empty first chunk', [first(3 * K, 0)], 'bad-frame-chunk-size'],
    ['an empty middle chunk', [first(3 * K, K), frame(FRAME_MIDDLE)], 'bad-frame-chunk-size'],
    [
      'a last chunk past the total',
      [first(K + 10, K), frame(FRAME_LAST, chunk(11))],
      'bad-frame-overrun',
    ],
    [
      'a middle chunk past the total',
      [first(K + 10, K), frame(FRAME_MIDDLE, chunk(11))],
      'bad-frame-overrun',
    ],
    [
      'a middle chunk that ends the message',
      [first(K + 10, K), frame(FRAME_MIDDLE, chunk(10))],
      'bad-frame-overrun',
    ],
    [
      'a last chunk short of the total',
      [first(K + 10, K), frame(FRAME_LAST, chunk(9))],
      'bad-frame-incomplete',
    ],
    ['text instead of bytes', ['hello' as unknown as Uint8Array], 'bad-frame-type'],
  ];

  it.each(cases)('%s', (_name, frames, reason) => {
    const assembler = new FrameAssembler();
    const results = frames.map((f) => assembler.push(f));
    for (const r of results.slice(0, -1)) expect(r).toEqual({ ok: true, value: undefined });
    const last = rejection(results.at(-1)!);
    expect(last.reason).toBe(reason);
    expect(last.category).toBe('consensus');
    expect(last.score).toBe(100);
    // The assembler starts over: the next well-formed message goes through.
    const message = patterned(K + 5, 1);
    expect(equalBytes(reassemble(frameMessage(message), assembler)[0]!, message)).toBe(true);
  });
});

/** Valid messages to mutate: random ones plus a few that need several frames. */
function fuzzSeeds(): Uint8Array[] {
  const big: WireMessage[] = [
    { type: 'headers', headers: fc.sample(headerArb, { numRuns: 400, seed: 11 }) },
    { type: 'inv', items: fc.sample(invItemArb, { numRuns: 1000, seed: 12 }) },
  ];
  return [...fc.sample(messageArb, { numRuns: 300, seed: 2024 }), ...big].map(encodeMessage);
}

describe('frames + decodeMessage under fuzzing', () => {
  it('never throws on 20,000 random and mutated inputs, and what decodes re-encodes exactly', () => {
    const random = prng(0x7ab);
    const int = (n: number) => Math.floor(random() * n);
    const seeds = fuzzSeeds();
    const assembler = new FrameAssembler();
    const counts = { decoded: 0, refusedMessage: 0, refusedFrame: 0 };

    const mutate = (bytes: Uint8Array): Uint8Array => {
      const out = Array.from(bytes);
      const edits = 1 + int(3);
      for (let e = 0; e < edits; e++) {
        const at = int(out.length + 1);
        switch (int(6)) {
          case 0: // flip a bit
            if (out.length) out[at % out.length]! ^= 1 << int(8);
            break;
          case 1: // random byte
            if (out.length) out[at % out.length] = int(256);
            break;
          case 2: // truncate
            out.length = at;
            break;
          case 3: // insert bytes
            out.splice(at, 0, ...Array.from({ length: 1 + int(4) }, () => int(256)));
            break;
          case 4: // delete bytes
            out.splice(at, 1 + int(4));
            break;
          default: // a varint prefix where a count or length may be
            out.splice(at, 0, [0xfd, 0xfe, 0xff][int(3)]!);
        }
      }
      return Uint8Array.from(out);
    };

    const frameMutations = (frames: Uint8Array[]): Uint8Array[] => {
      const out: Uint8Array[] = frames.map((f) => f.slice());
      const i = int(out.length);
      switch (int(5)) {
        case 0:
          out.splice(i, 1); // drop a frame
          break;
        case 1:
          out.splice(i, 0, out[i]!); // duplicate a frame
          break;
        case 2:
          out[i]![0] = int(6); // change a frame kind
          break;
        case 3:
          out[i] = mutate(out[i]!); // corrupt a frame
          break;
        default:
          out.reverse(); // reorder
      }
      return out;
    };

    for (let i = 0; i < 20_000; i++) {
      const seed = seeds[int(seeds.length)]!;
      const roll = random();
      const message =
        roll < 0.1
          ? Uint8Array.from({ length: int(200) }, () => int(256))
          : roll < 0.3
            ? seed
            : mutate(seed);
      let frames = frameMessage(message);
      if (random() < 0.2) frames = frameMutations(frames);
      for (const f of frames) {
        const assembled = assembler.push(f);
        if (!assembled.ok) {
          expect(assembled.reason).toMatch(/^bad-frame-/);
          counts.refusedFrame++;
          continue;
        }
        if (!assembled.value) continue;
        const decoded = decodeMessage(assembled.value);
        if (decoded.ok) {
          counts.decoded++;
          expect(equalBytes(encodeMessage(decoded.value), assembled.value)).toBe(true);
        } else {
          expect(decoded.reason).toMatch(/^bad-(message|encoding|blk)-/);
          expect(decoded.category).toBe('consensus');
          counts.refusedMessage++;
        }
      }
    }
    expect(counts.decoded).toBeGreaterThan(4000);
    expect(counts.refusedMessage).toBeGreaterThan(8000);
    expect(counts.refusedFrame).toBeGreaterThan(300);
  });
});
