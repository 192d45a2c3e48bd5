/**
 * What a sync has done and how fast (pure; time is passed in): blocks connected of the best
 * header, signatures checked, bytes received, and the rate and time left from the samples of
 * the last `spanMs`. The progress view shows it; nothing here guesses: no rate until two
 * samples a moment apart, no time left without a rate.
 */

export interface SyncSample {
  /** Milliseconds (any monotonic clock). */
  at: number;
  /** Height of the active chain. */
  connected: number;
  /** Height of the best header. */
  headers: number;
  /** Signatures checked so far (a running count). */
  signatures: number;
  /** Bytes received from peers so far (a running count). */
  bytes: number;
}

export interface SyncView {
  /** Blocks connected since the sync began, and how many it has to connect in all. */
  have: number;
  of: number;
  /** Signatures checked and bytes received since the sync began. */
  signatures: number;
  bytes: number;
  /** Blocks connected per second over the recent span (undefined until measurable). */
  blocksPerSecond: number | undefined;
  bytesPerSecond: number | undefined;
  /** Seconds left at the recent rate (undefined without a rate). */
  etaSeconds: number | undefined;
}

/** Recent samples at most this close together are merged (one kept per interval). */
export const SAMPLE_INTERVAL_MS = 250;

export class SyncMeter {
  private start: SyncSample | undefined = undefined;
  private samples: SyncSample[] = [];

  constructor(readonly spanMs = 10_000) {}

  /**
   * A sync (re)starts from `sample`: counts are from here, except blocks from height `from` and
   * bytes from the running count `fromBytes` when the sync began earlier (the node's own record
   * of its start: a meter begun late, after the first blocks came in, still shows the whole
   * sync). A start after `sample` (a reorg, a count from elsewhere) is taken as `sample`.
   */
  begin(sample: SyncSample, from = sample.connected, fromBytes = sample.bytes): void {
    this.start = {
      ...sample,
      connected: Math.max(0, Math.min(from, sample.connected)),
      bytes: Math.max(0, Math.min(fromBytes, sample.bytes)),
    };
    this.samples = [sample];
  }

  get started(): boolean {
    return this.start !== undefined;
  }

  /** The latest counts; O(1) amortised (old samples fall out of the span). */
  record(sample: SyncSample): void {
    if (!this.start) return this.begin(sample);
    const last = this.samples[this.samples.length - 1]!;
    if (
      this.samples.length > 1 &&
      sample.at - this.samples[this.samples.length - 2]!.at < SAMPLE_INTERVAL_MS
    )
      this.samples[this.samples.length - 1] = sample;
    else if (sample !== last) this.samples.push(sample);
    let drop = 0;
    while (this.samples.length - drop > 2 && sample.at - this.samples[drop]!.at > this.spanMs)
      drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }

  view(): SyncView | undefined {
    const start = this.start;
    if (!start) return undefined;
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const seconds = (last.at - first.at) / 1000;
    const blocksPerSecond = seconds > 0 ? (last.connected - first.connected) / seconds : undefined;
    const bytesPerSecond = seconds > 0 ? (last.bytes - first.bytes) / seconds : undefined;
    const left = Math.max(0, last.headers - last.connected);
    return {
      have: Math.max(0, last.connected - start.connected),
      of: Math.max(0, last.headers - start.connected),
      signatures: last.signatures - start.signatures,
      bytes: last.bytes - start.bytes,
      blocksPerSecond,
      bytesPerSecond,
      etaSeconds: blocksPerSecond && blocksPerSecond > 0 ? left / blocksPerSecond : undefined,
    };
  }
}
