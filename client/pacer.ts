/**
 * Pacing for work that follows the chain tip (wallet history, UI refreshes): at once while the
 * node is at its tip, but while it catches up — hundreds of blocks a second — at most once per
 * interval, so work meant for people is not repeated for every block of a sync.
 *
 * @example
 * const pace = new Pacer(() => isCatchingUp(state.chain), 250, timers);
 * chain.on('tip', () => pace.run(refresh));
 */
import type { Chain } from '../core/index.js';

/** While catching up, tip-following work runs at most once per this many milliseconds. */
export const SYNC_PACE_MS = 250;

/**
 * At the tip, background work that follows a new block (the wallet's history catch-up: reads
 * and writes of IndexedDB) waits this long: the block crosses the network first (each hop
 * validates and relays it within milliseconds, and tabs of one machine share its cores).
 */
export const RELAY_FIRST_MS = 150;

/**
 * True while the node downloads a run of blocks (more than one known header ahead of the tip).
 * One block ahead is the normal moment between a new header (or our own block) and its
 * connection, not a sync.
 */
export function isCatchingUp(chain: Pick<Chain, 'bestHeader' | 'height'>): boolean {
  return chain.bestHeader.height > chain.height + 1;
}

/**
 * How long a UI re-render waits (client/ui/node-controller.ts): SYNC_PACE_MS while `chain`
 * catches up; at the tip, until `relayFirstUntil` (RELAY_FIRST_MS after the last new tip, set by
 * the node), because a block just accepted is still crossing the network and the tabs of one
 * machine share its cores; otherwise none. Times in milliseconds on one clock.
 */
export function renderDelay(
  chain: Pick<Chain, 'bestHeader' | 'height'>,
  relayFirstUntil: number,
  now: number,
): number {
  if (isCatchingUp(chain)) return SYNC_PACE_MS;
  return relayWait(chain, relayFirstUntil, now);
}

/**
 * What is left of the relay moment at the tip (none while catching up, which is paced
 * instead): a render asked for before a new tip, due in this moment, waits this long more.
 * A render asked for at `askedAt` never waits past `askedAt + RELAY_FIRST_MS` in all, however
 * often new tips move the moment on: blocks mined back to back ("Mine 100 blocks" on regtest)
 * would otherwise hold every render until the last of them.
 */
export function relayWait(
  chain: Pick<Chain, 'bestHeader' | 'height'>,
  relayFirstUntil: number,
  now: number,
  askedAt = now,
): number {
  if (isCatchingUp(chain)) return 0;
  const until = Math.min(relayFirstUntil, askedAt + RELAY_FIRST_MS);
  return Math.max(0, Math.ceil(until - now));
}

export interface PacerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: PacerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Pacer {
  private pending: (() => void) | undefined = undefined;
  private timer: unknown = undefined;

  constructor(
    private readonly slow: () => boolean,
    private readonly ms = SYNC_PACE_MS,
    private readonly timers: PacerTimers = realTimers,
    /** At the tip: run after this long (RELAY_FIRST_MS) rather than at once. */
    private readonly atTipMs = 0,
  ) {}

  /** A pacer for work that follows `chain`'s tip: RELAY_FIRST_MS at the tip, SYNC_PACE_MS behind. */
  static forTip(chain: () => Pick<Chain, 'bestHeader' | 'height'>): Pacer {
    return new Pacer(() => isCatchingUp(chain()), SYNC_PACE_MS, realTimers, RELAY_FIRST_MS);
  }

  /**
   * Run `fn` now, or — while `slow()` — once `ms` have passed; a call while one is waiting
   * replaces the waiting function (the latest state is what matters).
   */
  run(fn: () => void): void {
    if (this.pending) {
      this.pending = fn;
      return;
    }
    const slow = this.slow();
    if (!slow && this.atTipMs === 0) {
      fn();
      return;
    }
    this.pending = fn;
    this.timer = this.timers.setTimeout(() => this.now(), slow ? this.ms : this.atTipMs);
  }

  /** Run the waiting function at once (someone needs its result now). */
  now(): void {
    const fn = this.pending;
    this.stop();
    fn?.();
  }

  /** Drop the waiting function. */
  stop(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}
