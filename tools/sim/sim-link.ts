/**
 * A simulated data channel: the `Link` the node's P2P layer uses, over the virtual clock. Each
 * direction is a queue at a fixed bandwidth: a frame waits for the frames ahead of it, takes
 * `bytes / bandwidth` to leave (serialisation), and arrives `latency` later, in order.
 * `bufferedAmount` is the bytes sent and not yet serialised, as on an RTCDataChannel, and
 * `onDrain` fires when it falls to the data channel's low-water mark, so the node's
 * backpressure (Peer: at most 256 KiB buffered) works as in a browser.
 */
import { FRAME_FIRST, FRAME_WHOLE, WIRE_MESSAGE_TAGS } from '../../core/index.js';
import type { Link, LinkHandlers } from '../../client/net/link.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

/** simple-peer-link.ts reports drain when the buffer falls to 64 KiB; so does this link. */
export const LOW_WATER_BYTES = 64 * 1024;

export interface LinkProfile {
  /** One-way delay after a frame is serialised, milliseconds. */
  latencyMs: number;
  /** Serialisation rate of each direction, bytes per millisecond (1 Mbit/s = 125). */
  bytesPerMs: number;
}

/** Counts bytes put on the wire, by sender and receiver index and message type. */
export type TrafficCounter = (from: number, to: number, type: string, bytes: number) => void;

const TYPE_BY_TAG = new Map(Object.entries(WIRE_MESSAGE_TAGS).map(([type, tag]) => [tag, type]));

class SimLink implements Link {
  other!: SimLink;
  private handlers: LinkHandlers | undefined;
  private pending: ((h: LinkHandlers) => void)[] = [];
  private closed = false;
  /** Frames being serialised: [time the last byte leaves, bytes], oldest first. */
  private readonly outgoing: [number, number][] = [];
  private queued = 0;
  private wireFreeAt = 0;
  private drainCheck: TimerHandle | undefined;
  /** Message type of the chunked message being sent (for middle and last frames). */
  private chunkType = 'unknown';

  constructor(
    readonly remoteId: string,
    readonly initiator: boolean,
    private readonly node: number,
    private readonly scheduler: Scheduler,
    private readonly profile: LinkProfile,
    private readonly count: TrafficCounter,
  ) {}

  get bufferedAmount(): number {
    const now = this.scheduler.now;
    while (this.outgoing.length > 0 && this.outgoing[0]![0] <= now) {
      this.queued -= this.outgoing.shift()![1];
    }
    return this.queued;
  }

  attach(handlers: LinkHandlers): void {
    this.handlers = handlers;
    const queued = this.pending;
    this.pending = [];
    for (const event of queued) event(handlers);
  }

  private deliver(event: (h: LinkHandlers) => void): void {
    if (this.handlers) event(this.handlers);
    else this.pending.push(event);
  }

  send(frame: Uint8Array): void {
    if (this.closed) return;
    const copy = frame.slice();
    const now = this.scheduler.now;
    const start = Math.max(now, this.wireFreeAt);
    const sent = start + copy.length / this.profile.bytesPerMs;
    this.wireFreeAt = sent;
    this.outgoing.push([sent, copy.length]);
    this.queued += copy.length;
    this.count(this.node, this.other.node, this.typeOf(copy), copy.length);
    const other = this.other;
    this.scheduler.at(sent + this.profile.latencyMs, () => {
      if (!other.closed) other.deliver((h) => h.onFrame(copy));
    });
    if (this.bufferedAmount > LOW_WATER_BYTES) this.watchDrain();
  }

  /** Fire onDrain at the moment the buffer falls to the low-water mark. */
  private watchDrain(): void {
    if (this.drainCheck && !this.drainCheck.cancelled) return;
    let left = this.queued;
    let at = this.scheduler.now;
    for (const [time, bytes] of this.outgoing) {
      if (left <= LOW_WATER_BYTES) break;
      left -= bytes;
      at = time;
    }
    this.drainCheck = this.scheduler.at(at, () => {
      this.drainCheck = undefined;
      if (this.closed) return;
      if (this.bufferedAmount > LOW_WATER_BYTES) return this.watchDrain();
      this.deliver((h) => h.onDrain());
    });
  }

  private typeOf(frame: Uint8Array): string {
    const kind = frame[0];
    if (kind === FRAME_WHOLE) return TYPE_BY_TAG.get(frame[1]!) ?? 'unknown';
    if (kind === FRAME_FIRST) this.chunkType = TYPE_BY_TAG.get(frame[5]!) ?? 'unknown';
    return this.chunkType;
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.scheduler.cancel(this.drainCheck);
    this.deliver((h) => h.onClose(reason));
    // The peer hears of it after whatever was already on the wire.
    const other = this.other;
    const at = Math.max(this.scheduler.now, this.wireFreeAt) + this.profile.latencyMs;
    this.scheduler.at(at, () => {
      if (other.closed) return;
      other.closed = true;
      other.scheduler.cancel(other.drainCheck);
      other.deliver((h) => h.onClose(`closed by peer: ${reason}`));
    });
  }
}

/**
 * A connected pair between nodes `a` and `b` (indices, for traffic counts), with one profile
 * for both directions: `[a's link to b, b's link to a]`.
 *
 * @example
 * const [ab, ba] = simLinkPair(scheduler, { index: 0, id: 'n0' }, { index: 1, id: 'n1' },
 *   { latencyMs: 50, bytesPerMs: 1250 }, () => undefined);
 */
export function simLinkPair(
  scheduler: Scheduler,
  a: { index: number; id: string },
  b: { index: number; id: string },
  profile: LinkProfile,
  count: TrafficCounter,
): [Link, Link] {
  if (!(profile.latencyMs >= 0)) throw new RangeError('profile.latencyMs must be >= 0');
  if (!(profile.bytesPerMs > 0)) throw new RangeError('profile.bytesPerMs must be > 0');
  const ab = new SimLink(b.id, true, a.index, scheduler, profile, count);
  const ba = new SimLink(a.id, false, b.index, scheduler, profile, count);
  ab.other = ba;
  ba.other = ab;
  return [ab, ba];
}
