/**
 * Forms and keeps the mesh: dials the peers the tracker introduces, answers peers that dial us,
 * keeps about `target` links (never more than the P2P's maximum), replaces lost ones, and gives
 * every attempt a timeout. When both sides dial each other at once, the lower node id's offer
 * wins. The tracker and the WebRTC factory are injected (tracker-client.ts, simple-peer-link.ts).
 */
import type { Link } from './link.js';
import type { P2P } from './p2p.js';
import type { PeerConnection, PeerConnectionOptions } from './simple-peer-link.js';
import type { TrackerClient } from './tracker-client.js';

export const DEFAULT_TARGET_LINKS = 8;
export const CONNECT_TIMEOUT_MS = 15_000;
/** A peer whose connection attempt failed is not dialled again for this long. */
const RETRY_AFTER_MS = 30_000;

export interface MeshOptions {
  p2p: P2P;
  tracker: Pick<TrackerClient, 'on' | 'requestPeers' | 'signal'>;
  connect: (options: PeerConnectionOptions) => PeerConnection;
  iceServers: RTCIceServer[];
  target?: number;
  now?: () => number;
}

interface Attempt {
  connection: PeerConnection;
  initiator: boolean;
  /** The tracker's origin tag on the remote's signals (admission.ts). */
  origin?: string;
}

export class Mesh {
  private readonly attempts = new Map<string, Attempt>();
  private readonly failedAt = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  readonly target: number;

  constructor(private readonly options: MeshOptions) {
    this.target = options.target ?? DEFAULT_TARGET_LINKS;
    const { tracker } = options;
    tracker.on('introduced', (peers) => this.dialSome(peers));
    tracker.on('signal', ({ from, data, origin }) => this.onSignal(from, data, origin));
    tracker.on('peer-left', ({ nodeId }) => this.abandon(nodeId, 'peer left the tracker'));
    options.p2p.on('peer-disconnected', () => void this.topUp());
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  private get linkCount(): number {
    return this.options.p2p.peers.size;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.topUp(), 5_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const attempt of this.attempts.values()) attempt.connection.destroy('mesh stopped');
    this.attempts.clear();
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
      if (this.linkCount + this.attempts.size >= this.target) return;
      if (this.dialable(id)) this.dial(id, true);
    }
  }

  /** Ask the tracker for more peers when under target. */
  async topUp(): Promise<void> {
    if (this.linkCount + this.attempts.size >= this.target) return;
    const peers = await this.options.tracker.requestPeers([...this.busy()]);
    this.dialSome(peers);
  }

  private onSignal(from: string, data: unknown, origin: string | undefined): void {
    const existing = this.attempts.get(from);
    const isOffer =
      typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'offer';
    if (existing && existing.initiator && isOffer) {
      // Both dialled at once: the lower id's offer wins.
      if (this.options.p2p.nodeId < from) return;
      existing.connection.destroy('simultaneous dial');
      this.attempts.delete(from);
    }
    let attempt = this.attempts.get(from);
    if (!attempt) {
      if (!isOffer) return; // a stray answer or candidate for an attempt we gave up
      // Banned, duplicate, full, or from a banned peer's origin over its budget: no answer.
      if (this.options.p2p.refusesLink(from, origin, true)) return;
      attempt = this.dial(from, false);
    }
    attempt.origin ??= origin;
    attempt.connection.signal(data);
  }

  private dial(remoteId: string, initiator: boolean): Attempt {
    const connection = this.options.connect({
      remoteId,
      initiator,
      iceServers: this.options.iceServers,
      sendSignal: (data) => this.options.tracker.signal(remoteId, data),
      timeoutMs: CONNECT_TIMEOUT_MS,
    });
    const attempt: Attempt = { connection, initiator };
    this.attempts.set(remoteId, attempt);
    connection.ready.then(
      (link: Link) => {
        if (this.attempts.get(remoteId) !== attempt) return link.close('superseded');
        this.attempts.delete(remoteId);
        this.failedAt.delete(remoteId);
        this.options.p2p.addLink(link, attempt.origin);
      },
      () => {
        if (this.attempts.get(remoteId) === attempt) this.attempts.delete(remoteId);
        this.failedAt.set(remoteId, this.now());
        void this.topUp();
      },
    );
    return attempt;
  }

  private abandon(id: string, reason: string): void {
    const attempt = this.attempts.get(id);
    if (!attempt) return;
    attempt.connection.destroy(reason);
    this.attempts.delete(id);
  }
}
