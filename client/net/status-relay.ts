/**
 * The status protocol of a node (docs/protocol.md, "Status"): makes this node's own report
 * (tip, mining, hashrate, links, recent block arrivals) on tip change at most every 2 s and
 * as a heartbeat every 10 s, sends each peer at most one `status` every 2 s with the reports
 * it has not had (own first, then nearest origins, hop-limited), and takes peers' reports into
 * the bounded StatusTable. A peer sending status more often than allowed is penalised; a
 * status version this node does not know is ignored. p2p.ts hands it `status` messages.
 */
import {
  MAX_STATUS_LINKS,
  MAX_STATUS_NAME_BYTES,
  MAX_STATUS_REPORTS,
  STATUS_VERSION,
  clampUtf8,
  hexToHash,
  reject,
  type Chain,
  type Rejection,
  type StatusMessage,
  type StatusReport,
} from '../../core/index.js';
import { Emitter } from '../events.js';
import type { P2PEvents } from './p2p-types.js';
import type { Peer } from './peer.js';
import { TokenBucket } from './token-bucket.js';
import {
  MAX_STATUS_HOPS,
  MAX_STATUS_ORIGINS,
  StatusTable,
  serialAfter,
  type StatusEntry,
} from './status-table.js';

/** A node sends a peer at most one status per this interval, and remakes its own no faster. */
export const STATUS_MIN_INTERVAL_MS = 2_000;
/** Its own report is remade at least this often, even when nothing changed. */
export const STATUS_HEARTBEAT_MS = 10_000;
/** Status messages accepted from one peer: sustained per second, and burst. */
export const STATUS_RECEIVE_PER_SECOND = 1;
export const STATUS_RECEIVE_BURST = 3;
/** Penalty for each status over the receive rate (ten in a row ban the peer). */
export const STATUS_FLOOD_SCORE = 10;
/** Block arrivals a node remembers about itself (and reports). */
const OWN_ARRIVALS = 8;

/** What this node says about itself beyond its chain: set by the node (miner, settings). */
export interface LocalStatus {
  name: string;
  anonymous: boolean;
  mining: boolean;
  hashrate: number;
}

/** The protocol it runs in (P2P): its id, its peers, and its events. */
export interface StatusP2P {
  readonly nodeId: string;
  readonly peers: ReadonlyMap<string, Peer>;
  on: Emitter<P2PEvents>['on'];
}

export interface StatusEvents extends Record<string, unknown> {
  /** The table changed (a report came or went): views re-read it. */
  changed: void;
}

export class StatusRelay extends Emitter<StatusEvents> {
  /**
   * False: this node neither sends nor keeps status (it still accepts the message, rate
   * limits included). The network simulator turns it off to measure the core protocol alone.
   */
  enabled = true;
  readonly table: StatusTable;
  private local: LocalStatus;
  private readonly arrivals: { hash: Uint8Array; at: number }[] = [];
  private ownSeq = 0;
  private ownAt = -Infinity;
  private ownDirty = true;
  private ownTip = '';
  private readonly sentAt = new Map<string, number>();
  /** Per peer: the latest seq of each origin it has (from us, or it told us). */
  private readonly peerHas = new Map<string, Map<string, number>>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly p2p: StatusP2P,
    private readonly chain: Chain,
    private readonly now: () => number,
    private readonly penalise: (peer: Peer, rejection: Rejection) => void,
  ) {
    super();
    this.table = new StatusTable(p2p.nodeId, now);
    this.local = { name: p2p.nodeId, anonymous: false, mining: false, hashrate: 0 };
    p2p.on('peer-connected', () => void (this.ownDirty = true));
    p2p.on('peer-disconnected', ({ id }) => this.peerGone(id));
    p2p.on('block-accepted', (e) => void (e.status !== 'orphan' && this.blockAccepted(e.id)));
    // A new tip goes out with the next tick (within a second), not in the moments the block
    // itself is crossing the network.
  }

  private readyPeers(): Peer[] {
    return [...this.p2p.peers.values()].filter((p) => p.state === 'ready');
  }

  /** Update what this node reports about itself; a change goes out with the next report. */
  setLocal(partial: Partial<LocalStatus>): void {
    const next = { ...this.local, ...partial };
    const changed = (Object.keys(next) as (keyof LocalStatus)[]).some(
      (key) => next[key] !== this.local[key] && key !== 'hashrate',
    );
    this.local = next;
    if (changed) this.ownDirty = true;
  }

  /** This node accepted block `id` (active or side branch): remembered for its reports. */
  blockAccepted(id: string): void {
    this.arrivals.unshift({ hash: hexToHash(id), at: this.now() });
    this.arrivals.length = Math.min(this.arrivals.length, OWN_ARRIVALS);
    this.ownDirty = true;
  }

  /** A peer's `status` message. */
  receive(peer: Peer, message: StatusMessage): void {
    if (!this.admit(peer.id)) {
      this.penalise(
        peer,
        reject(
          'status-too-frequent',
          `more than ${STATUS_RECEIVE_PER_SECOND} status message per second`,
          'policy',
          STATUS_FLOOD_SCORE,
        ),
      );
      return;
    }
    // A newer format is ignored, never refused.
    if (message.version !== STATUS_VERSION || !this.enabled) return;
    const has = this.hasFor(peer.id);
    let changed = false;
    for (const report of message.reports) {
      const before = has.get(report.origin);
      if (before === undefined || serialAfter(report.seq, before))
        has.set(report.origin, report.seq);
      if (this.table.offer(report, peer.id) === 'accepted') changed = true;
    }
    if (changed) this.emit('changed', undefined);
  }

  /** A link closed: forget the peer's bookkeeping and its own report. */
  peerGone(peerId: string): void {
    this.ownDirty = true;
    this.sentAt.delete(peerId);
    this.peerHas.delete(peerId);
    this.buckets.delete(peerId);
    if (this.table.dropPeer(peerId)) this.emit('changed', undefined);
  }

  /** Once a second (and on tip change): remake our report when due, send what is due. */
  tick(): void {
    if (!this.enabled) return;
    const now = this.now();
    let changed = this.table.prune() > 0;
    const tipMoved = this.ownTip !== this.chain.tip.id;
    const sinceOwn = now - this.ownAt;
    if (
      sinceOwn >= STATUS_HEARTBEAT_MS ||
      ((this.ownDirty || tipMoved) && sinceOwn >= STATUS_MIN_INTERVAL_MS)
    ) {
      this.table.setOwn(this.makeOwn(now));
      changed = true;
    }
    if (changed) this.emit('changed', undefined);
    const entries = this.table.list();
    for (const peer of this.readyPeers()) {
      if (now - (this.sentAt.get(peer.id) ?? -Infinity) < STATUS_MIN_INTERVAL_MS) continue;
      const reports = this.reportsFor(peer.id, entries, now);
      if (reports.length === 0) continue;
      this.sentAt.set(peer.id, now);
      peer.send({ type: 'status', version: STATUS_VERSION, reports, opaque: new Uint8Array(0) });
    }
  }

  private makeOwn(now: number): StatusReport {
    const clock = Math.floor(now / 100) >>> 0;
    this.ownSeq = serialAfter(clock, this.ownSeq) ? clock : (this.ownSeq + 1) >>> 0;
    this.ownAt = now;
    this.ownDirty = false;
    const tip = this.chain.tip;
    this.ownTip = tip.id;
    const peers = this.readyPeers();
    const { name, anonymous, mining, hashrate } = this.local;
    return {
      origin: this.p2p.nodeId,
      seq: this.ownSeq,
      ageMs: 0,
      hops: 0,
      mining,
      anonymous,
      name: anonymous ? '' : clampUtf8(name, MAX_STATUS_NAME_BYTES),
      tip: hexToHash(tip.id),
      height: tip.height,
      hashrate: Math.min(0xffffffff, Math.max(0, Math.round(hashrate))),
      peerCount: Math.min(255, peers.length),
      links: peers.slice(0, MAX_STATUS_LINKS).map((p) => p.id),
      arrivals: this.arrivals.map(({ hash, at }) => ({
        block: hash,
        agoMs: Math.min(0xffffffff, Math.max(0, Math.round(now - at))),
      })),
    };
  }

  /** Reports `peerId` has not had: nearest origins first, never back to where they came from. */
  private reportsFor(peerId: string, entries: readonly StatusEntry[], now: number): StatusReport[] {
    const has = this.hasFor(peerId);
    const out: StatusReport[] = [];
    for (const entry of entries) {
      if (out.length >= MAX_STATUS_REPORTS) break;
      const { report } = entry;
      if (report.origin === peerId || entry.from === peerId) continue;
      if (entry.distance >= MAX_STATUS_HOPS) continue;
      const had = has.get(report.origin);
      if (had !== undefined && !serialAfter(report.seq, had)) continue;
      const ageMs = Math.round(now - entry.madeAt);
      if (ageMs >= this.table.expiryMs) continue;
      out.push({ ...report, ageMs: Math.max(0, ageMs), hops: entry.distance });
      has.set(report.origin, report.seq);
    }
    return out;
  }

  private hasFor(peerId: string): Map<string, number> {
    let has = this.peerHas.get(peerId);
    if (!has) this.peerHas.set(peerId, (has = new Map()));
    if (has.size > 2 * MAX_STATUS_ORIGINS) {
      for (const origin of [...has.keys()]) if (!this.table.get(origin)) has.delete(origin);
    }
    return has;
  }

  private admit(peerId: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(peerId);
    if (!bucket) {
      bucket = new TokenBucket(STATUS_RECEIVE_PER_SECOND, STATUS_RECEIVE_BURST, now);
      this.buckets.set(peerId, bucket);
    }
    return bucket.take(now);
  }
}
