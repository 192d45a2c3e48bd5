/**
 * A tracker of a spec's own (serving the built app from dist/), which the spec can stop and
 * start again on the same port: for tests of what happens while the tracker is down.
 */
import { startTracker, type Tracker } from '../../tracker/server.js';

export class OwnTracker {
  private tracker: Tracker | undefined;
  /** 0 until the first start picks a free port; kept for restarts. */
  port = 0;

  async start(): Promise<void> {
    this.tracker = await startTracker({ port: this.port, host: '127.0.0.1', staticDir: 'dist' });
    this.port = Number(new URL(this.tracker.url).port);
  }

  async stop(): Promise<void> {
    await this.tracker?.close();
    this.tracker = undefined;
  }

  /** The page of node `name` on regtest. */
  nodeUrl(name: string): string {
    return `http://127.0.0.1:${this.port}/?network=regtest&node=${name}`;
  }
}
