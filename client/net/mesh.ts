/**
 * Forms and keeps the mesh: dials the peers the tracker introduces, answers peers that dial us,
 * keeps about `target` links (never more than the P2P's maximum), replaces lost ones, and gives
 * every attempt a timeout. When both sides dial each other at once, the lower node id's offer
 * wins. Every attempt that ends without a link becomes a `link-failed` event saying which peer,
 * how far it got and the likely cause (link-attempt.ts). It also counts the other nodes the
 * tracker told us about, so the UI can tell "alone" from "cannot link". The tracker, the WebRTC
 * factory and the clock are injected (tracker-client.ts, simple-peer-link.ts). Introductions and
 * signals come from several sources at once (signaling.ts): the tracker, then the other tabs of
 * this browser and the linked peers; an attempt's signals all go over the source it started on
 * (the tracker when it knows the peer and is connected, else the one the peer was last heard on).
 * Every new connection, dialled or answered, is within the connection budget
 * (connection-budget.ts): the browser caps a tab's RTCPeerConnections, so a long-lived tab keeps
 * its links rather than churn.
 */
import { Emitter } from '../events.js';
import {
  ConnectionBudget,
  PeerConnectionCount,
  budgetNotice,
  type BudgetLevel,
} from './connection-budget.js';
import { keepAcceptedIceServers, type IceConfig } from './ice-config.js';
import {
  explainFailure,
  type AttemptOutcome,
  type AttemptProgress,
  type LinkFailure,
  type PeerConnection,
} from './link-attempt.js';
import type { Link } from './link.js';
import { OpenLinks } from './open-links.js';
import type { Introducer, IntroducerKind, SignalingSource } from './signaling.js';
import type { MeshEvents, MeshOptions, MeshStatus, MeshTimers } from './mesh-types.js';

export type * from './mesh-types.js';
export { LATE_CANDIDATE_MS, MAX_LATE_CANDIDATES, ROUTE_RECHECK_MS } from './open-links.js';

export const DEFAULT_TARGET_LINKS = 8;
export const CONNECT_TIMEOUT_MS = 15_000;
/** A peer whose connection attempt failed is not dialled again for this long. */
const RETRY_AFTER_MS = 30_000;
/** Failures kept for the peers panel (the newest per peer). */
export const MAX_RECENT_FAILURES = 20;
/** Other node ids remembered from the tracker (introductions, joins, signals). */
export const MAX_KNOWN_NODES = 1024;

/** How a failed attempt's signals travelled, for its likely cause. */
const SIGNALED_THROUGH: Record<IntroducerKind, string> = {
  tracker: 'the tracker',
  broadcast: 'this browser (BroadcastChannel)',
  peers: 'a peer (relayed signaling)',
};

const realTimers: MeshTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

interface Attempt {
  connection: PeerConnection;
  initiator: boolean;
  /** The tracker's origin tag on the remote's signals (admission.ts). */
  origin?: string;
  /** The source this attempt's signals go over (and must come from). */
  via: Introducer;
  startedAt: number;
  timer: unknown;
}

export class Mesh extends Emitter<MeshEvents> {
  private readonly attempts = new Map<string, Attempt>();
  private readonly failedAt = new Map<string, number>();
  private readonly failures = new Map<string, LinkFailure>();
  private readonly known = new Set<string>();
  private readonly open: OpenLinks;
  private readonly introductions = new Map<string, IntroducerKind>();
  private readonly sources: Introducer[];
  /** Per known node: the sources it was heard on, most recent last. */
  private readonly heard = new Map<string, IntroducerKind[]>();
  private trackerIceServers: RTCIceServer[] = [];
  /** The tracker's ICE URLs last checked with the browser, and those it refused. */
  private probed = { urls: '', refused: new Set<string>() };
  private timer: unknown = undefined;
  private readonly timers: MeshTimers;
  readonly target: number;
  /** Whether `connections` is ours to count (no count was given). */
  private readonly ownCount: boolean;
  private readonly connections: PeerConnectionCount;
  readonly budget: ConnectionBudget;
  private budgetLevel: BudgetLevel = 'ok';

  constructor(private readonly options: MeshOptions) {
    super();
    this.target = options.target ?? DEFAULT_TARGET_LINKS;
    this.timers = options.timers ?? realTimers;
    this.open = new OpenLinks({
      timers: this.timers,
      isCurrent: (id, link) => options.p2p.peers.get(id)?.link === link,
      routeChanged: (peer, route) => {
        this.emit('link-route', { peer, route });
        this.emit('changed', undefined);
      },
    });
    this.ownCount = !options.connections;
    this.connections = options.connections ?? new PeerConnectionCount();
    this.budget = new ConnectionBudget(this.connections, this.now(), options.budget);
    const tracker: Introducer = { kind: 'tracker', source: options.tracker as SignalingSource };
    this.sources = [tracker, ...(options.introducers ?? [])];
    for (const intro of this.sources) {
      const { source } = intro;
      source.on('introduced', (peers) => {
        this.learn(peers, intro.kind);
        this.dialSome(peers);
      });
      source.on('signal', ({ from, data, origin }) => this.onSignal(from, data, origin, intro));
      source.on('peer-joined', ({ nodeId }) => this.learn([nodeId], intro.kind));
      source.on('peer-left', ({ nodeId }) => this.left(nodeId, intro));
    }
    options.tracker.on('ice-servers', (config) => this.onTrackerIceServers(config));
    options.p2p.on('peer-disconnected', ({ id }) => {
      this.budget.linkClosed(id, this.now());
      const hadRoute = this.open.closed(id);
      if (this.introductions.delete(id) || hadRoute) this.emit('changed', undefined);
      void this.topUp();
    });
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  private get linkCount(): number {
    return this.options.p2p.peers.size;
  }

  /** The ICE servers each new attempt uses: the user's, then the tracker's. */
  get iceServers(): RTCIceServer[] {
    return [...this.options.iceServers, ...this.trackerIceServers];
  }

  /**
   * Fresh TURN credentials come with every tracker answer. The browser is asked about them (one
   * throwaway RTCPeerConnection, of the ~500 a page may create) only when the URLs change.
   */
  private onTrackerIceServers(config: IceConfig): void {
    const key = (s: RTCIceServer) => JSON.stringify(s.urls);
    const urls = JSON.stringify(config.servers.map(key));
    if (urls !== this.probed.urls) {
      const refuses = this.options.refusesIceServers ?? (() => undefined);
      const checked = keepAcceptedIceServers(config, refuses);
      const kept = new Set(checked.servers.map(key));
      this.probed = { urls, refused: new Set(config.servers.map(key).filter((k) => !kept.has(k))) };
      for (const problem of checked.problems) this.emit('ice-problem', problem);
    }
    this.trackerIceServers = config.servers.filter((s) => !this.probed.refused.has(key(s)));
  }

  start(): void {
    this.timer ??= this.timers.setInterval(() => void this.topUp(), 5_000);
  }

  stop(): void {
    if (this.timer !== undefined) this.timers.clearInterval(this.timer);
    this.timer = undefined;
    for (const attempt of this.attempts.values()) {
      this.timers.clearTimeout(attempt.timer);
      attempt.connection.destroy('mesh stopped');
    }
    this.attempts.clear();
    for (const intro of this.sources.slice(1)) intro.source.close?.();
  }

  status(): MeshStatus {
    return {
      known: this.known.size,
      attempts: [...this.attempts].map(([peer, a]) => ({
        peer,
        initiator: a.initiator,
        stage: a.connection.progress().stage,
        startedAt: a.startedAt,
      })),
      failures: [...this.failures.values()].reverse(),
      routes: this.open.list(),
      budget: this.budget.status(this.now()),
      introductions: [...this.introductions].map(([peer, via]) => ({ peer, via })),
    };
  }

  private learn(ids: readonly string[], kind: IntroducerKind): void {
    for (const id of ids) {
      if (id === this.options.p2p.nodeId) continue;
      this.known.delete(id); // re-insert: the set's order is oldest first
      this.known.add(id);
      this.heard.set(id, [...(this.heard.get(id) ?? []).filter((k) => k !== kind), kind]);
      if (this.known.size > MAX_KNOWN_NODES) {
        const oldest = this.known.values().next().value!;
        this.known.delete(oldest);
        this.heard.delete(oldest);
      }
    }
    this.emit('changed', undefined);
  }

  /** A source says `id` left: forget it there, and drop an attempt running over that source. */
  private left(id: string, intro: Introducer): void {
    const heard = (this.heard.get(id) ?? []).filter((k) => k !== intro.kind);
    if (heard.length > 0) this.heard.set(id, heard);
    else {
      this.heard.delete(id);
      this.known.delete(id);
    }
    const reason = intro.kind === 'tracker' ? 'peer left the tracker' : 'peer closed its tab';
    if (this.attempts.get(id)?.via === intro) this.abandon(id, reason);
    this.emit('changed', undefined);
  }

  /** The source to signal `id` over: the tracker if it knows `id` and is up, else the latest. */
  private routeTo(id: string): Introducer | undefined {
    const up = (intro: Introducer | undefined) => intro && intro.source.connected !== false;
    const heard = this.heard.get(id) ?? [];
    const tracker = this.sources[0]!;
    if (heard.includes('tracker') && up(tracker)) return tracker;
    for (const kind of [...heard].reverse()) {
      const intro = this.sources.find((s) => s.kind === kind);
      if (up(intro)) return intro;
    }
    return undefined;
  }

  /** Ids we are linked or connecting to. */
  private busy(): Set<string> {
    return new Set([...this.options.p2p.peers.keys(), ...this.attempts.keys()]);
  }

  private dialable(id: string): boolean {
    const failed = this.failedAt.get(id);
    return (
      id !== this.options.p2p.nodeId &&
      !this.busy().has(id) &&
      !this.options.p2p.bans.get(id, this.now()) &&
      (failed === undefined || this.now() - failed > RETRY_AFTER_MS)
    );
  }

  private dialSome(peers: readonly string[]): void {
    for (const id of peers) {
      if (this.full) return;
      const via = this.routeTo(id);
      if (!via || !this.dialable(id)) continue;
      const refusal = this.budget.check(id, true, this.linkCount, this.now());
      if (refusal === 'peer-backoff') continue;
      if (refusal) return this.emit('changed', undefined);
      this.dial(id, true, via);
    }
  }

  private get full(): boolean {
    return this.linkCount + this.attempts.size >= this.target;
  }

  /** Say so when the budget's level changes (the garbage collector may have raised it). */
  private checkBudget(): void {
    const level = this.budget.level();
    if (level === this.budgetLevel) return;
    this.budgetLevel = level;
    const notice = budgetNotice(this.budget.status(this.now()), this.budget.options.minLinks);
    this.emit('budget', { level, notice });
    this.emit('changed', undefined);
  }

  /** Ask the sources for more peers (the tracker first) while under target. */
  async topUp(): Promise<void> {
    this.checkBudget();
    for (const intro of this.sources) {
      if (this.full) return;
      if (intro.source.connected === false) continue;
      const peers = await intro.source.requestPeers([...this.busy()]);
      this.learn(peers, intro.kind);
      this.dialSome(peers);
    }
  }

  private onSignal(from: string, data: unknown, origin: string | undefined, via: Introducer) {
    const existing = this.attempts.get(from);
    const isOffer =
      typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'offer';
    if (existing && existing.initiator && isOffer) {
      // Both dialled at once: the lower id's offer wins.
      if (this.options.p2p.nodeId < from) return;
      this.drop(from, existing, 'simultaneous dial');
    }
    let attempt = this.attempts.get(from);
    // An attempt's signals come over its own source (and from the same origin): no other
    // source, tab or relay can inject a description or candidate into it.
    if (attempt && (attempt.via !== via || (attempt.origin && attempt.origin !== origin))) return;
    if (!attempt) {
      // A candidate for a link that opened before it came, or a stray for one we gave up.
      if (!isOffer) return this.open.lateSignal(from, data, origin, via);
      // Banned, duplicate, full, or from a banned peer's origin over its budget: no answer.
      if (this.options.p2p.refusesLink(from, origin, true)) return;
      // Over the connection budget or its rate, or a peer that flaps: no answer either.
      const overBudget = this.budget.check(from, false, this.linkCount, this.now());
      this.learn([from], via.kind);
      if (overBudget) return;
      attempt = this.dial(from, false, via);
    }
    attempt.origin ??= origin;
    attempt.connection.signal(data);
  }

  private dial(remoteId: string, initiator: boolean, via: Introducer): Attempt {
    this.budget.spend(initiator, this.now());
    if (this.ownCount) this.connections.created++;
    const connection = this.options.connect({
      remoteId,
      initiator,
      iceServers: this.iceServers,
      sendSignal: (data) => void via.source.signal(remoteId, data),
      onProgress: () => {
        if (this.attempts.get(remoteId) === attempt) this.emit('changed', undefined);
      },
    });
    const timeoutMs = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    const attempt: Attempt = {
      connection,
      initiator,
      via,
      startedAt: this.now(),
      timer: this.timers.setTimeout(
        () => this.fail(remoteId, attempt, 'timed-out', connection.progress()),
        timeoutMs,
      ),
    };
    this.attempts.set(remoteId, attempt);
    this.emit('changed', undefined);
    this.checkBudget();
    connection.ready.then(
      (link: Link) => {
        if (this.attempts.get(remoteId) !== attempt) return link.close('superseded');
        this.timers.clearTimeout(attempt.timer);
        this.attempts.delete(remoteId);
        this.failedAt.delete(remoteId);
        this.failures.delete(remoteId);
        this.budget.linkOpened(remoteId, this.now());
        if (this.options.p2p.addLink(link, attempt.origin))
          this.introductions.set(remoteId, via.kind);
        this.emit('changed', undefined);
        this.open.opened(remoteId, connection, link, via, attempt.origin);
      },
      () => this.fail(remoteId, attempt, 'failed', connection.progress()),
    );
    return attempt;
  }

  /** End an attempt on purpose (no failure reported). */
  private drop(id: string, attempt: Attempt, reason: string): void {
    this.timers.clearTimeout(attempt.timer);
    attempt.connection.destroy(reason);
    this.attempts.delete(id);
    this.emit('changed', undefined);
  }

  /** An attempt that is still current ended without a link: record it, say why, try others. */
  private fail(id: string, attempt: Attempt, outcome: AttemptOutcome, progress: AttemptProgress) {
    if (this.attempts.get(id) !== attempt) return; // dropped on purpose, or already settled
    this.timers.clearTimeout(attempt.timer);
    this.attempts.delete(id);
    if (outcome === 'timed-out') attempt.connection.destroy('timed out');
    const now = this.now();
    this.failedAt.set(id, now);
    if (this.failedAt.size > MAX_KNOWN_NODES)
      for (const [peer, at] of this.failedAt)
        if (now - at > RETRY_AFTER_MS) this.failedAt.delete(peer);
    const failure: LinkFailure = {
      peer: id,
      initiator: attempt.initiator,
      outcome,
      stage: progress.stage,
      cause: explainFailure(progress, outcome, SIGNALED_THROUGH[attempt.via.kind]),
      at: now,
      elapsedMs: now - attempt.startedAt,
      local: progress.local,
      remote: progress.remote,
    };
    this.failures.delete(id);
    this.failures.set(id, failure);
    if (this.failures.size > MAX_RECENT_FAILURES)
      this.failures.delete(this.failures.keys().next().value!);
    this.emit('link-failed', failure);
    this.emit('changed', undefined);
    void this.topUp();
  }

  private abandon(id: string, reason: string): void {
    const attempt = this.attempts.get(id);
    if (attempt) this.drop(id, attempt, reason);
  }
}
