/**
 * Write-behind at the tip: a new block is accepted and relayed from memory, and its storage
 * writes (the chain's write cache, the stored mempool's removals) run moments later, off the
 * few milliseconds in which the block crosses the network. As Bitcoin Core keeps a new block's
 * coins in its dbcache, a tab killed in between reopens on the block before, consistent, and
 * gets the newer one from its peers again (docs/architecture.md, "Write-behind at the tip").
 *
 * @example
 * const writes = new WriteBehind(onError);
 * chain.on('changed', () => writes.add(() => chain.flush()));
 */
import type { PacerTimers } from './pacer.js';

/** How long after a chain change its writes start. */
export const WRITE_BEHIND_MS = 250;

const realTimers: PacerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class WriteBehind {
  private readonly queue: (() => Promise<unknown>)[] = [];
  private timer: unknown = undefined;

  constructor(
    private readonly onError: (error: unknown) => void,
    private readonly ms = WRITE_BEHIND_MS,
    private readonly timers: PacerTimers = realTimers,
  ) {}

  /** Writes waiting for their turn. */
  get pending(): number {
    return this.queue.length;
  }

  /** Start `write` within `ms`, with any others queued (each on its own: they are independent). */
  add(write: () => Promise<unknown>): void {
    this.queue.push(write);
    this.timer ??= this.timers.setTimeout(() => this.runNow(), this.ms);
  }

  /** Start every queued write now (also when the page is being hidden or closed). */
  runNow(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    for (const write of this.queue.splice(0)) {
      try {
        write().catch(this.onError);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
