/**
 * Liveness of links (docs/protocol.md, "Misbehaviour"): a `ping` every `intervalMs` to each
 * ready peer, the round-trip time from its `pong`, and closing links that sent no `hello`, no
 * `pong` within `timeoutMs`, or did not deliver the blocks requested of them. After the browser
 * froze the page or the computer slept, the answers our peers sent meanwhile may still be
 * queued behind the first tick, so that tick restarts every link's deadlines instead of
 * judging them (`WakeDetector`; docs/architecture.md, "Long-lived tabs").
 */
import type { Peer } from './peer.js';

export interface KeepaliveOptions {
  intervalMs: number;
  timeoutMs: number;
  /** The block downloader's verdict: blocks requested of `peer` are overdue. */
  isStalled(peer: Peer, now: number): boolean;
  /** Uniform in [0, 1), for ping nonces. */
  random(): number;
  /** Notices ticks that come long after the last one (a frozen or sleeping tab). */
  wake?: WakeDetector;
}

/**
 * A tick is due every second; one that comes more than `maxGapMs` after the last (or the first
 * after the page's `resume` event) means the tab did not run in between: frozen, or asleep.
 * On such a tick each link gets a reprieve: its outstanding ping and block requests count from
 * now, so the answers already queued behind this tick can arrive. Chromium also clamps a hidden
 * tab's timers to once a second (no gap) and, under intensive throttling, to once a minute
 * (which Chromium 156 spares pages using WebRTC, measured): then every tick is a "wake", so a
 * link gets at most one reprieve per `reprieveEveryMs`, and a dead one is still closed.
 */
export class WakeDetector {
  private last: number | undefined = undefined;
  private resumed = false;
  private readonly reprieves = new WeakMap<Peer, number>();
  /** How many times the tab was found to have slept, and the longest gap (ms). */
  wakes = 0;
  longestGapMs = 0;

  constructor(
    private readonly maxGapMs = 5_000,
    private readonly reprieveEveryMs = 5 * 60_000,
  ) {}

  /** Record a tick at `now`; true if the tab did not run since the last one. */
  tick(now: number): boolean {
    const gap = this.last === undefined ? 0 : now - this.last;
    this.last = now;
    const woke = gap > this.maxGapMs || this.resumed;
    this.resumed = false;
    if (woke) {
      this.wakes++;
      this.longestGapMs = Math.max(this.longestGapMs, gap);
    }
    return woke;
  }

  /** The page's `resume` event (page-lifecycle.ts): the next tick is a wake. */
  resume(): void {
    this.resumed = true;
  }

  /** Whether `peer` gets a reprieve on this wake (at most one per `reprieveEveryMs`). */
  reprieve(peer: Peer, now: number): boolean {
    const last = this.reprieves.get(peer);
    if (last !== undefined && now - last < this.reprieveEveryMs) return false;
    this.reprieves.set(peer, now);
    return true;
  }
}

/** Restart the deadlines of `peer`'s outstanding ping and block requests at `now`. */
function restartDeadlines(peer: Peer, now: number): void {
  if (peer.pingNonce !== undefined) peer.pingSentAt = now;
  for (const id of peer.inFlight.keys()) peer.inFlight.set(id, now);
}

/** Once a tick: close dead links, ping the live ones that are due. */
export function checkLinks(peers: Iterable<Peer>, now: number, options: KeepaliveOptions): void {
  const waking = options.wake?.tick(now) ?? false;
  for (const peer of [...peers]) {
    if (waking && options.wake!.reprieve(peer, now)) restartDeadlines(peer, now);
    const verdict = deadLink(peer, now, options);
    if (verdict) {
      peer.close(verdict);
    } else if (
      peer.state === 'ready' &&
      peer.pingNonce === undefined &&
      now - peer.pingSentAt >= options.intervalMs
    ) {
      peer.pingNonce = BigInt(Math.floor(options.random() * 2 ** 53));
      peer.pingSentAt = now;
      peer.send({ type: 'ping', nonce: peer.pingNonce });
    }
  }
}

/** Why `peer` counts as dead at `now`, or undefined. */
function deadLink(peer: Peer, now: number, options: KeepaliveOptions): string | undefined {
  if (peer.state === 'handshaking' && now - peer.connectedAt > options.timeoutMs) return 'no hello';
  if (peer.pingNonce !== undefined && now - peer.pingSentAt > options.timeoutMs)
    return 'ping timeout';
  if (options.isStalled(peer, now)) return 'stalled: blocks requested but not delivered';
  return undefined;
}

/** A `pong`: the answer to our outstanding ping gives the round-trip time. */
export function receivePong(peer: Peer, nonce: bigint, now: number): void {
  if (nonce !== peer.pingNonce) return;
  peer.rttMs = now - peer.pingSentAt;
  peer.minRttMs = Math.min(peer.minRttMs, peer.rttMs);
  peer.lastPongAt = now;
  peer.pingNonce = undefined;
}
