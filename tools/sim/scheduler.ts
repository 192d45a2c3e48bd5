/**
 * A discrete-event scheduler with a virtual clock (milliseconds). Events run in (time, order of
 * scheduling) order from a binary heap. The node code is async (it awaits its store), so after
 * each event the scheduler lets every microtask that event started run to completion (it waits
 * for a `setImmediate`, which Node runs only once the microtask queue is empty) before the next
 * event: work done "at" a virtual instant finishes at that instant, and the order of everything
 * is fixed by the event order alone, so runs repeat exactly.
 */

export interface TimerHandle {
  readonly time: number;
  cancelled: boolean;
}

interface ScheduledEvent extends TimerHandle {
  time: number;
  readonly seq: number;
  readonly run: () => void;
}

const yieldToMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Scheduler {
  private readonly heap: ScheduledEvent[] = [];
  private seq = 0;
  private clock: number;
  /** Events run so far (for the summary). */
  eventsRun = 0;

  constructor(startMs = 0) {
    this.clock = startMs;
  }

  /** Virtual time, milliseconds. */
  get now(): number {
    return this.clock;
  }

  /** Run `fn` at virtual time `time` (not before now). */
  at(time: number, fn: () => void): TimerHandle {
    if (!Number.isFinite(time)) throw new RangeError(`time must be finite, got ${time}`);
    const event: ScheduledEvent = {
      time: Math.max(time, this.clock),
      seq: this.seq++,
      run: fn,
      cancelled: false,
    };
    this.push(event);
    return event;
  }

  /** Run `fn` after `delayMs` of virtual time. */
  after(delayMs: number, fn: () => void): TimerHandle {
    return this.at(this.clock + delayMs, fn);
  }

  /** Run `fn` every `periodMs`, first after one period (as `setInterval`). */
  every(periodMs: number, fn: () => void): TimerHandle {
    if (!(periodMs > 0)) throw new RangeError(`periodMs must be positive, got ${periodMs}`);
    const handle = { time: this.clock + periodMs, cancelled: false };
    const tick = (): void => {
      if (handle.cancelled) return;
      fn();
      handle.time = this.clock + periodMs;
      if (!handle.cancelled) this.at(handle.time, tick);
    };
    this.at(handle.time, tick);
    return handle;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) handle.cancelled = true;
  }

  /** Events still queued (cancelled ones included until they come up). */
  get pending(): number {
    return this.heap.length;
  }

  /**
   * Let the caller's pending work finish at the current time, then run events up to and
   * including virtual time `until`, then set the clock to `until`. With
   * `stop`, return early (clock at the last event) as soon as `stop()` is true after an event.
   */
  async run(until: number, stop?: () => boolean): Promise<void> {
    // Work the caller started before this call (outside any event) happens now, not later.
    await yieldToMicrotasks();
    while (this.heap.length > 0 && this.heap[0]!.time <= until) {
      const event = this.pop();
      if (event.cancelled) continue;
      this.clock = event.time;
      this.eventsRun++;
      event.run();
      await yieldToMicrotasks();
      if (stop?.()) return;
    }
    this.clock = Math.max(this.clock, until);
  }

  private before(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private push(event: ScheduledEvent): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(event, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): ScheduledEvent {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && this.before(heap[right]!, heap[left]!) ? right : left;
        if (!this.before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
