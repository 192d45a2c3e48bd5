/**
 * Two connected in-memory links, for integration tests and the network simulator. Frames are
 * delivered asynchronously through `schedule` (default: a macrotask), in order. `bufferedAmount`
 * counts frames sent but not yet delivered, so backpressure behaves as on a data channel.
 */
import type { Link, LinkHandlers } from './link.js';

export type Schedule = (task: () => void) => void;

const macrotask: Schedule = (task) => setTimeout(task, 0);

class MemoryLink implements Link {
  private handlers: LinkHandlers | undefined;
  private pending: (() => void)[] = [];
  private closed = false;
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
    if (this.closed) return;
    const copy = frame.slice();
    this.bufferedAmount += copy.length;
    this.bytesSent += copy.length;
    this.schedule(() => {
      this.bufferedAmount -= copy.length;
      if (this.bufferedAmount === 0) this.deliver(() => this.handlers?.onDrain());
      if (this.other.closed) return;
      this.other.deliver(() => this.other.handlers?.onFrame(copy));
    });
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
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
): [Link, Link] {
  const a = new MemoryLink(bId, true, schedule);
  const b = new MemoryLink(aId, false, schedule);
  a.other = b;
  b.other = a;
  return [a, b];
}
