/**
 * What a node knows of the network's statuses (docs/protocol.md, "Status"): the latest report
 * of each origin, its own included, with when it was made on this node's clock. Bounded (at
 * most `maxOrigins` origins, the stalest evicted), and every entry expires `expiryMs` after
 * its origin made it, however often it is relayed, so a node that went away disappears
 * everywhere. Pure: the clock is passed in.
 */
import type { StatusReport } from '../../core/index.js';

/** Origins a node tracks (a class is ~40; the rest is headroom against floods). */
export const MAX_STATUS_ORIGINS = 256;
/** A report older than this (on its origin's clock, relays included) is dropped. */
export const STATUS_EXPIRY_MS = 25_000;
/** Relays a report may cross: a report that reached this distance is not relayed further. */
export const MAX_STATUS_HOPS = 8;

export interface StatusEntry {
  report: StatusReport;
  /** When the origin made the report, on this node's clock (ms). */
  madeAt: number;
  /** Distance to the origin: 0 for our own report, 1 from a direct peer. */
  distance: number;
  /** The peer it came from ('' for our own). */
  from: string;
}

/** RFC 1982 serial comparison over u32: true when `a` is later than `b`. */
export function serialAfter(a: number, b: number): boolean {
  const diff = (a - b) >>> 0;
  return diff !== 0 && diff < 0x8000_0000;
}

export type OfferOutcome = 'accepted' | 'stale' | 'ignored';

export class StatusTable {
  private readonly entries = new Map<string, StatusEntry>();
  /** Origins dropped because their link closed: their last seq, until it would have expired. */
  private readonly gone = new Map<string, { seq: number; until: number }>();

  constructor(
    readonly selfId: string,
    private readonly now: () => number,
    private readonly maxOrigins = MAX_STATUS_ORIGINS,
    readonly expiryMs = STATUS_EXPIRY_MS,
  ) {}

  /** Our own report (always kept, never expires while we run). */
  setOwn(report: StatusReport): void {
    this.entries.set(this.selfId, { report, madeAt: this.now(), distance: 0, from: '' });
  }

  /**
   * A report received from peer `from`. A direct report (the sender is the origin) always
   * replaces what we hold about it; a relayed one must be later (by seq) than what we hold,
   * is never taken about a direct peer we hear from, and never about ourselves.
   */
  offer(report: StatusReport, from: string): OfferOutcome {
    const now = this.now();
    if (report.origin === this.selfId) return 'ignored';
    const direct = report.origin === from;
    if (direct !== (report.hops === 0)) return 'ignored';
    if (report.hops >= MAX_STATUS_HOPS || report.ageMs >= this.expiryMs) return 'ignored';
    const held = this.live(report.origin, now);
    const tomb = this.gone.get(report.origin);
    if (!direct) {
      if (held?.distance === 1 && held.from === report.origin) return 'ignored';
      if (held && !serialAfter(report.seq, held.report.seq)) return 'stale';
      if (tomb && tomb.until > now && !serialAfter(report.seq, tomb.seq)) return 'stale';
    }
    this.gone.delete(report.origin);
    if (!held) {
      // One peer may fill at most a quarter of the table with origins it alone brought.
      if (this.heldFrom(from) >= this.maxOrigins / 4) return 'ignored';
      if (this.entries.size >= this.maxOrigins && !this.evictOne()) return 'ignored';
    }
    this.entries.set(report.origin, {
      report,
      madeAt: now - report.ageMs,
      distance: report.hops + 1,
      from,
    });
    return 'accepted';
  }

  /**
   * Peer `peerId` went away: drop its own report (it spoke for itself) and refuse relayed
   * copies of it that are not later, so the last words of a closed node do not come back.
   */
  dropPeer(peerId: string): boolean {
    const held = this.entries.get(peerId);
    if (!held || held.from !== peerId) return false;
    this.entries.delete(peerId);
    this.gone.set(peerId, { seq: held.report.seq, until: held.madeAt + this.expiryMs });
    return true;
  }

  private live(origin: string, now: number): StatusEntry | undefined {
    const entry = this.entries.get(origin);
    if (!entry) return undefined;
    if (origin !== this.selfId && now - entry.madeAt >= this.expiryMs) {
      this.entries.delete(origin);
      return undefined;
    }
    return entry;
  }

  /** Make room: drop the relayed entry made longest ago (never ours or a direct peer's). */
  private evictOne(): boolean {
    let oldest: StatusEntry | undefined;
    for (const entry of this.entries.values()) {
      if (entry.distance < 2) continue;
      if (!oldest || entry.madeAt < oldest.madeAt) oldest = entry;
    }
    if (!oldest) return false;
    this.entries.delete(oldest.report.origin);
    return true;
  }

  /** Entries that came from `peerId`. */
  private heldFrom(peerId: string): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.from === peerId) count++;
    return count;
  }

  /** Drop expired entries; returns how many went. */
  prune(): number {
    const now = this.now();
    let dropped = 0;
    for (const origin of [...this.entries.keys()]) if (!this.live(origin, now)) dropped++;
    for (const [origin, tomb] of this.gone) if (tomb.until <= now) this.gone.delete(origin);
    return dropped;
  }

  get(origin: string): StatusEntry | undefined {
    return this.live(origin, this.now());
  }

  /** Live entries, our own first. */
  list(): StatusEntry[] {
    this.prune();
    return [...this.entries.values()].sort((a, b) => a.distance - b.distance);
  }

  get size(): number {
    return this.entries.size;
  }
}
