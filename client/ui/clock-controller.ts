/**
 * Re-renders its host every `ms` while the page is visible, for text that depends on the wall
 * clock alone ("tip 12 s ago"). Node state never needs it: that comes from node events.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ClockController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined = undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly ms = 1000,
  ) {
    host.addController(this);
  }

  /** Milliseconds since the epoch, read at render time. */
  get now(): number {
    return Date.now();
  }

  hostConnected(): void {
    this.timer = setInterval(() => {
      if (document.visibilityState === 'visible') this.host.requestUpdate();
    }, this.ms);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
