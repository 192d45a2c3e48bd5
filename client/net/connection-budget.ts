/**
 * The connection budget of a long-lived tab (docs/architecture.md, "Long-lived tabs"). Chromium
 * refuses `new RTCPeerConnection()` once a renderer process holds 500 of them that the garbage
 * collector has not freed yet, closed ones included (measured, Chromium 156: a reload keeps the
 * process and the count; a major GC, ~30 s after the page goes quiet, frees the closed ones).
 * A tab that dials and answers every peer that comes and goes would reach that cap and could
 * never link again, so every new connection, dialled or answered, passes through here:
 * - token buckets limit new connections to `burst` at once and `perMinute` after that, half
 *   for the links we dial and half for the offers we answer, so a flood of offers (from many
 *   ids) cannot take the budget our own dials need;
 * - a peer whose link closed within `flapMs` of opening for the second time in a row waits
 *   before we link to it again, twice as long each time (`backoffMs` doubling up to
 *   `maxBackoffMs`); the first short link is forgiven, since a reload looks just like it;
 * - after `massLoss` links closed within `massLossWindowMs` (our network blinked, or the tab
 *   was frozen), no dial for `massLossPauseMs`: dials would fail and waste the budget;
 * - once `cap - reserve` connections are uncollected the node is `low`: it keeps its links and
 *   replaces them only below `minLinks`; at `cap - floor` it is `exhausted` and creates none
 *   (the floor is left for the ICE-server check and the attack lab).
 * Links that work are never rotated: the mesh keeps a good link for the tab's whole life.
 * Time is passed in (ms); nothing here touches WebRTC.
 */
import { TokenBucket } from './token-bucket.js';

/** Chromium's cap on RTCPeerConnections alive (not yet garbage-collected) in one renderer. */
export const CHROMIUM_PEER_CONNECTION_CAP = 500;

export interface BudgetOptions {
  cap: number;
  /** `low` once `cap - reserve` connections are uncollected. */
  reserve: number;
  /** `exhausted` once `cap - floor` are. */
  floor: number;
  /** Links a `low` node still replaces. */
  minLinks: number;
  /** New connections at once, half dialled and half answered. */
  burst: number;
  /** ...and a minute after that, split the same way. */
  perMinute: number;
  /** A link shorter than this is a flap. */
  flapMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  massLoss: number;
  massLossWindowMs: number;
  massLossPauseMs: number;
}

export const DEFAULT_BUDGET: BudgetOptions = {
  cap: CHROMIUM_PEER_CONNECTION_CAP,
  reserve: 100,
  floor: 20,
  minLinks: 3,
  burst: 16,
  perMinute: 12,
  flapMs: 60_000,
  backoffMs: 30_000,
  maxBackoffMs: 30 * 60_000,
  massLoss: 4,
  massLossWindowMs: 10_000,
  massLossPauseMs: 30_000,
};

/** Peers whose flaps are remembered (the oldest is forgotten first). */
export const MAX_FLAPPING_PEERS = 1024;

/**
 * RTCPeerConnections this page created, and how many of them the garbage collector freed
 * (simple-peer-link.ts counts both; the rest count against Chromium's cap).
 */
export class PeerConnectionCount {
  created = 0;
  collected = 0;

  get uncollected(): number {
    return this.created - this.collected;
  }
}

export type BudgetLevel = 'ok' | 'low' | 'exhausted';

/** Why a new connection was not made now. */
export type BudgetRefusal =
  'budget-exhausted' | 'budget-low' | 'rate-limited' | 'peer-backoff' | 'mass-loss-pause';

export interface BudgetStatus {
  level: BudgetLevel;
  /** Connections this page created (its whole life). */
  created: number;
  /** Of those, not yet freed by the garbage collector: what Chromium counts. */
  uncollected: number;
  cap: number;
  /** New connections left before the node is `low`. */
  remaining: number;
  /** Connections not made, by reason (since the page opened). */
  refused: Record<BudgetRefusal, number>;
  /** Peers waiting out a flap backoff now. */
  backingOff: number;
}

interface Flaps {
  count: number;
  until: number;
  openedAt?: number;
}

export class ConnectionBudget {
  readonly options: BudgetOptions;
  /** Token buckets for the links we dial and the offers we answer. */
  private readonly buckets: { dial: TokenBucket; answer: TokenBucket };
  private readonly flaps = new Map<string, Flaps>();
  private losses: number[] = [];
  private pausedUntil = 0;
  private readonly refused: Record<BudgetRefusal, number> = {
    'budget-exhausted': 0,
    'budget-low': 0,
    'rate-limited': 0,
    'peer-backoff': 0,
    'mass-loss-pause': 0,
  };

  constructor(
    private readonly count: PeerConnectionCount,
    now: number,
    options: Partial<BudgetOptions> = {},
  ) {
    this.options = { ...DEFAULT_BUDGET, ...options };
    const half = () => new TokenBucket(this.options.perMinute / 120, this.options.burst / 2, now);
    this.buckets = { dial: half(), answer: half() };
  }

  level(): BudgetLevel {
    const { cap, reserve, floor } = this.options;
    const used = this.count.uncollected;
    if (used >= cap - floor) return 'exhausted';
    return used >= cap - reserve ? 'low' : 'ok';
  }

  /**
   * Whether a new connection to `peer` (dialled, or answering its offer) may be created now, with
   * `links` links open: undefined if yes (then call `spend`), else why not (counted).
   */
  check(peer: string, dial: boolean, links: number, now: number): BudgetRefusal | undefined {
    const refusal = this.refusal(peer, dial, links, now);
    if (refusal) this.refused[refusal]++;
    return refusal;
  }

  private refusal(peer: string, dial: boolean, links: number, now: number) {
    const level = this.level();
    if (level === 'exhausted') return 'budget-exhausted';
    if (level === 'low' && links >= this.options.minLinks) return 'budget-low';
    if ((this.flaps.get(peer)?.until ?? 0) > now) return 'peer-backoff';
    if (dial && now < this.pausedUntil) return 'mass-loss-pause';
    if (!this.buckets[dial ? 'dial' : 'answer'].has(now)) return 'rate-limited';
    return undefined;
  }

  /** A connection is being created (after `check` allowed it), dialled or answering. */
  spend(dial: boolean, now: number): void {
    this.buckets[dial ? 'dial' : 'answer'].take(now);
  }

  linkOpened(peer: string, now: number): void {
    const flaps = this.flaps.get(peer);
    if (flaps) flaps.openedAt = now;
    else this.remember(peer, { count: 0, until: 0, openedAt: now });
  }

  /** A link closed: a short one is a flap (backoff), many at once pause dialling. */
  linkClosed(peer: string, now: number): void {
    const o = this.options;
    this.losses = [...this.losses.filter((t) => now - t < o.massLossWindowMs), now];
    if (this.losses.length >= o.massLoss) this.pausedUntil = now + o.massLossPauseMs;
    const flaps = this.flaps.get(peer);
    if (flaps?.openedAt === undefined) return;
    if (now - flaps.openedAt >= o.flapMs) {
      this.flaps.delete(peer); // a link that lasted: forget its past
      return;
    }
    flaps.count++;
    if (flaps.count >= 2)
      flaps.until = now + Math.min(o.maxBackoffMs, o.backoffMs * 2 ** (flaps.count - 2));
    flaps.openedAt = undefined;
    this.remember(peer, flaps);
  }

  private remember(peer: string, flaps: Flaps): void {
    this.flaps.delete(peer); // re-insert: the map's order is oldest first
    this.flaps.set(peer, flaps);
    if (this.flaps.size > MAX_FLAPPING_PEERS) this.flaps.delete(this.flaps.keys().next().value!);
  }

  status(now: number): BudgetStatus {
    const { cap, reserve } = this.options;
    let backingOff = 0;
    for (const flaps of this.flaps.values()) if (flaps.until > now) backingOff++;
    return {
      level: this.level(),
      created: this.count.created,
      uncollected: this.count.uncollected,
      cap,
      remaining: Math.max(0, cap - reserve - this.count.uncollected),
      refused: { ...this.refused },
      backingOff,
    };
  }
}

/** What the node tells the user when its budget level changes (undefined: nothing to say). */
export function budgetNotice(status: BudgetStatus, minLinks: number): string | undefined {
  const held = `${status.uncollected} WebRTC connections the browser has not released yet`;
  if (status.level === 'low')
    return (
      `This tab holds ${held} (Chromium refuses new ones at ${status.cap} per tab). It keeps ` +
      `its links and replaces them only below ${minLinks}. The browser releases closed ` +
      `connections when it frees memory (about 30 s after the tab goes quiet).`
    );
  if (status.level === 'exhausted')
    return (
      `This tab holds ${held}, close to Chromium's limit of ${status.cap}: it makes no new ` +
      `links until the browser releases some. If that lasts, open Tabcoin in a new tab (a ` +
      `reload keeps the same browser process and its count).`
    );
  return undefined;
}
