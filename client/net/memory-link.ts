/**
 * Two connected in-memory links, for integration tests and the network simulator. Frames are
 * delivered asynchronously through `schedule` (default: a macrotask), in order. `bufferedAmount`
 * counts frames sent but not yet delivered, so backpressure behaves as on a data channel. Like a
 * data channel, a link carries binary or text messages (`sendText`), and its far end can stop
 * reading (`stallDelivery`): what is sent then stays buffered, as with a peer that never reads.
 */
import type { Link, LinkHandlers } from './link.js';

export type Schedule = (task: () => void) => void;

const macrotask: Schedule = (task) => setTimeout(task, 0);

export class MemoryLink implements Link {
  private handlers: LinkHandlers | undefined = undefined;
  private pending: (() => void)[] = [];
  private closed = false;
  /** Frames the far end has not read (while it is not reading). */
  private held: (() => void)[] = [];
  private reading = true;
  other!: MemoryLink;
  bufferedAmount = 0;
  bytesSent = 0;

  constructor(
    readonly remoteId: string,
    readonly initiator: boolean,
    private readonly schedule: Schedule,
  ) {}

  attach(handlers: LinkHandlers): void {
    this.handlers = handlers;
    const queued = this.pending;
    this.pending = [];
    for (const deliver of queued) deliver();
  }

  private deliver(event: () => void): void {
    if (this.handlers) event();
    else this.pending.push(event);
  }

  send(frame: Uint8Array): void {
    this.transmit(frame.slice(), frame.length);
  }

  /** Send a text message (a data channel can carry one; the Tabcoin protocol refuses it). */
  sendText(text: string): void {
    this.transmit(text, text.length);
  }

  /** Model a far end that stops reading: frames sent on this link stay buffered. */
  stallDelivery(): void {
    this.reading = false;
  }

  resumeDelivery(): void {
    this.reading = true;
    for (const task of this.held.splice(0)) this.schedule(task);
  }

  private transmit(message: Uint8Array | string, bytes: number): void {
    if (this.closed) return;
    this.bufferedAmount += bytes;
    this.bytesSent += bytes;
    const arrive = () => {
      if (!this.reading) return void this.held.push(arrive);
      this.bufferedAmount -= bytes;
      if (this.bufferedAmount === 0) this.deliver(() => this.handlers?.onDrain());
      if (this.other.closed) return;
      this.other.deliver(() => this.other.handlers?.onFrame(message));
    };
    this.schedule(arrive);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.held = [];
    this.deliver(() => this.handlers?.onClose(reason));
    this.schedule(() => {
      if (this.other.closed) return;
      this.other.closed = true;
      this.other.deliver(() => this.other.handlers?.onClose(`closed by peer: ${reason}`));
    });
  }
}

/** A connected pair: `[a's link to b, b's link to a]`. */
export function memoryLinkPair(
  aId: string,
  bId: string,
  schedule: Schedule = macrotask,
): [MemoryLink, MemoryLink] {
  const a = new MemoryLink(bId, true, schedule);
  const b = new MemoryLink(aId, false, schedule);
  a.other = b;
  b.other = a;
  return [a, b];
}
