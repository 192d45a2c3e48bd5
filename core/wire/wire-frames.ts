/**
 * Framing for data channels: a message of at most MAX_FRAME_PAYLOAD bytes travels as one
 * frame, a bigger one as a run of chunks, each frame starting with a u8 kind:
 *
 *   0 whole   kind, message (0..MAX_FRAME_PAYLOAD bytes)
 *   1 first   kind, u32 LE total message length, chunk
 *   2 middle  kind, chunk
 *   3 last    kind, chunk (ends exactly at the declared total)
 *
 * Chunks carry 1..MAX_FRAME_PAYLOAD bytes. The channel is ordered and reliable (a WebRTC data
 * channel in its default mode) and the sender hands over every frame of one message before the
 * first frame of the next, so chunks of two messages never interleave on one channel: a
 * receiver needs one FrameAssembler per channel and at most one message in progress.
 */
import { reject, type Result } from '../primitives/result.js';
import { MAX_FRAME_PAYLOAD, MAX_MESSAGE_BYTES } from './wire-types.js';

export const FRAME_WHOLE = 0;
export const FRAME_FIRST = 1;
export const FRAME_MIDDLE = 2;
export const FRAME_LAST = 3;
/** Bytes before the chunk in a first frame (kind + u32 total); other frames have 1. */
export const FIRST_FRAME_HEADER_BYTES = 5;

/**
 * The frames that carry `message`, in sending order. Throws `TypeError` if `message` is not
 * bytes and `RangeError` if it is over MAX_MESSAGE_BYTES (the peer would refuse it).
 *
 * @example frameMessage(new Uint8Array(40_000)).length // 3 (16 KiB, 16 KiB, 7,232 bytes)
 */
export function frameMessage(message: Uint8Array): Uint8Array[] {
  if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
  const total = message.length;
  if (total > MAX_MESSAGE_BYTES) {
    throw new RangeError(`message is ${total} bytes, limit ${MAX_MESSAGE_BYTES}`);
  }
  if (total <= MAX_FRAME_PAYLOAD) {
    const frame = new Uint8Array(1 + total);
    frame[0] = FRAME_WHOLE;
    frame.set(message, 1);
    return [frame];
  }
  const first = new Uint8Array(FIRST_FRAME_HEADER_BYTES + MAX_FRAME_PAYLOAD);
  first[0] = FRAME_FIRST;
  new DataView(first.buffer).setUint32(1, total, true);
  first.set(message.subarray(0, MAX_FRAME_PAYLOAD), FIRST_FRAME_HEADER_BYTES);
  const frames = [first];
  for (let offset = MAX_FRAME_PAYLOAD; offset < total; offset += MAX_FRAME_PAYLOAD) {
    const chunk = message.subarray(offset, offset + MAX_FRAME_PAYLOAD);
    const frame = new Uint8Array(1 + chunk.length);
    frame[0] = offset + chunk.length === total ? FRAME_LAST : FRAME_MIDDLE;
    frame.set(chunk, 1);
    frames.push(frame);
  }
  return frames;
}

/** A message being reassembled: its buffer (sized from the checked total) and bytes so far. */
interface Pending {
  buffer: Uint8Array;
  received: number;
}

/**
 * Reassembles the frames of one channel into messages. `push` returns the message a frame
 * completes, `undefined` while a chunked message is still in progress, or a rejection
 * (`bad-frame-…`, category consensus) for anything `frameMessage` never produces. After a
 * rejection the assembler is empty again, but the sender has misbehaved: close the channel.
 *
 * @example
 * const assembler = new FrameAssembler();
 * for (const frame of frameMessage(bytes)) {
 *   const result = assembler.push(frame); // ok; value is `bytes` (a copy) on the last frame
 * }
 */
export class FrameAssembler {
  private pending: Pending | undefined = undefined;

  /** True while a chunked message has started and not yet finished. */
  get inProgress(): boolean {
    return this.pending !== undefined;
  }

  push(frame: Uint8Array): Result<Uint8Array | undefined> {
    if (!(frame instanceof Uint8Array)) return this.fail('bad-frame-type', 'frame is not bytes');
    if (frame.length === 0) return this.fail('bad-frame-empty', 'empty frame');
    const kind = frame[0]!;
    if (kind === FRAME_WHOLE || kind === FRAME_FIRST) {
      if (this.pending) {
        return this.fail('bad-frame-interleaved', 'a new message started before the last ended');
      }
      return kind === FRAME_WHOLE ? this.whole(frame) : this.first(frame);
    }
    if (kind === FRAME_MIDDLE || kind === FRAME_LAST) {
      if (!this.pending) return this.fail('bad-frame-unexpected', 'continuation without a start');
      return this.continuation(this.pending, frame.subarray(1), kind === FRAME_LAST);
    }
    return this.fail('bad-frame-kind', `unknown frame kind ${kind}`);
  }

  private whole(frame: Uint8Array): Result<Uint8Array> {
    if (frame.length - 1 > MAX_FRAME_PAYLOAD) {
      return this.fail('bad-frame-chunk-size', `whole frame carries ${frame.length - 1} bytes`);
    }
    // A plain copy: a Node/simple-peer Buffer's slice would alias the frame instead.
    return { ok: true, value: new Uint8Array(frame.subarray(1)) };
  }

  private first(frame: Uint8Array): Result<undefined> {
    if (frame.length < FIRST_FRAME_HEADER_BYTES) {
      return this.fail('bad-frame-truncated', 'first frame without its total length');
    }
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const total = view.getUint32(1, true);
    // Checked before the buffer is allocated: the declared total is the peer's claim.
    if (total > MAX_MESSAGE_BYTES) {
      return this.fail(
        'bad-frame-too-large',
        `message of ${total} bytes, limit ${MAX_MESSAGE_BYTES}`,
      );
    }
    if (total <= MAX_FRAME_PAYLOAD) {
      return this.fail('bad-frame-total', `a ${total}-byte message must be sent whole`);
    }
    const chunk = frame.subarray(FIRST_FRAME_HEADER_BYTES);
    const pending = { buffer: new Uint8Array(total), received: 0 };
    const result = this.continuation(pending, chunk, false);
    if (result.ok) this.pending = pending;
    return result.ok ? { ok: true, value: undefined } : result;
  }

  private continuation(
    pending: Pending,
    chunk: Uint8Array,
    last: boolean,
  ): Result<Uint8Array | undefined> {
    if (chunk.length === 0 || chunk.length > MAX_FRAME_PAYLOAD) {
      return this.fail('bad-frame-chunk-size', `chunk of ${chunk.length} bytes`);
    }
    const end = pending.received + chunk.length;
    const total = pending.buffer.length;
    if (end > total || (!last && end === total)) {
      return this.fail('bad-frame-overrun', `chunk ends at ${end}, message is ${total} bytes`);
    }
    if (last && end < total) {
      return this.fail('bad-frame-incomplete', `last chunk ends at ${end} of ${total} bytes`);
    }
    pending.buffer.set(chunk, pending.received);
    pending.received = end;
    if (!last) return { ok: true, value: undefined };
    this.pending = undefined;
    return { ok: true, value: pending.buffer };
  }

  private fail(reason: string, message: string): Result<never> {
    this.pending = undefined;
    return reject(reason, `frame: ${message}`);
  }
}
