/**
 * The tracker connection: socket.io-client, imported only here. Joins the network's room,
 * relays signals, and rejoins after a reconnect (socket.io retries with backoff), so a tracker
 * restart costs only new introductions: existing WebRTC links are untouched. When the tracker
 * issues TURN credentials with its answers, they are checked and passed on (`ice-servers`). A join refused
 * for too many joins from this address is tried again later.
 */
import { io, type Socket } from 'socket.io-client';
import type { PeerNotice, PeersAnswer, SignalDelivery, TrackerError } from '../../core/index.js';
import { Emitter } from '../events.js';
import { checkIceServers, type IceConfig } from './ice-config.js';

export interface TrackerEvents extends Record<string, unknown> {
  status: { connected: boolean; message: string };
  /** Peers from a join or rejoin (dial them). */
  introduced: string[];
  signal: SignalDelivery;
  'peer-joined': PeerNotice;
  'peer-left': PeerNotice;
  error: TrackerError;
  /** ICE servers (TURN with short-lived credentials) the tracker issued, checked. */
  'ice-servers': IceConfig;
  /** Another tab took over this node id. */
  replaced: void;
  /** How many nodes the tracker's room holds (from a join or peers answer). */
  room: number;
}

/** The classroom view asks the tracker for the room count at most this often. */
export const ROOM_REFRESH_MS = 10_000;

/** A join refused with `too-many-joins` is tried again after this long (the tracker refills). */
export const REJOIN_AFTER_MS = 15_000;

export class TrackerClient extends Emitter<TrackerEvents> {
  private readonly socket: Socket;
  /** Nodes in the tracker's room, as last told (undefined until a join is answered). */
  roomSize: number | undefined = undefined;
  private roomAskedAt = -Infinity;
  private joined = false;
  private joinAttempt = 0;
  private rejoinTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    url: string,
    private readonly network: string,
    private readonly nodeId: string,
    private readonly rejoinAfterMs = REJOIN_AFTER_MS,
  ) {
    super();
    this.socket = io(url, {
      transports: ['websocket'],
      reconnectionDelay: 1000,
      reconnectionDelayMax: 15_000,
      randomizationFactor: 0.5,
    });
    this.socket.on('connect', () => {
      this.emit('status', { connected: true, message: 'connected to tracker' });
      this.joined = false;
      void this.join();
    });
    this.socket.on('disconnect', (reason) => {
      this.joined = false;
      clearTimeout(this.rejoinTimer);
      this.emit('status', {
        connected: false,
        message: `tracker disconnected (${reason}); retrying`,
      });
    });
    this.socket.on('connect_error', (err) =>
      this.emit('status', {
        connected: false,
        message: `tracker unreachable (${err.message}); retrying`,
      }),
    );
    this.socket.on('signal', (delivery: SignalDelivery) => this.emit('signal', delivery));
    this.socket.on('peer-joined', (notice: PeerNotice) => this.emit('peer-joined', notice));
    this.socket.on('peer-left', (notice: PeerNotice) => this.emit('peer-left', notice));
    this.socket.on('tracker-error', (error: TrackerError) => {
      this.emit('error', error);
      if (error.event === 'join' && error.code === 'too-many-joins') {
        clearTimeout(this.rejoinTimer);
        this.rejoinTimer = setTimeout(() => {
          if (this.socket.connected && !this.joined) void this.join();
        }, this.rejoinAfterMs);
      }
    });
    this.socket.on('replaced', () => {
      this.socket.disconnect();
      this.emit('replaced', undefined);
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  private async join(): Promise<void> {
    const attempt = ++this.joinAttempt;
    try {
      const answer = (await this.socket
        .timeout(10_000)
        .emitWithAck('join', { network: this.network, nodeId: this.nodeId })) as PeersAnswer;
      if (attempt !== this.joinAttempt) return;
      this.joined = true;
      this.noteRoom(answer);
      this.emit('introduced', this.read(answer));
    } catch {
      if (attempt !== this.joinAttempt || this.joined) return;
      this.emit('status', {
        connected: this.socket.connected,
        message: 'tracker did not answer join',
      });
    }
  }

  /** Another random subset of peers, leaving out `exclude`. */
  async requestPeers(exclude: string[]): Promise<string[]> {
    if (!this.socket.connected) return [];
    try {
      const answer = (await this.socket
        .timeout(10_000)
        .emitWithAck('peers', { exclude: exclude.slice(0, 64) })) as PeersAnswer;
      this.noteRoom(answer);
      return this.read(answer);
    } catch {
      return [];
    }
  }

  private noteRoom(answer: PeersAnswer): void {
    if (!Number.isSafeInteger(answer?.room) || answer.room! < 0) return;
    this.roomSize = answer.room;
    this.emit('room', answer.room!);
  }

  /**
   * Ask for the room count again (an ordinary `peers` request, whose subset is not dialled),
   * at most once per ROOM_REFRESH_MS.
   */
  refreshRoom(now = Date.now()): void {
    if (now - this.roomAskedAt < ROOM_REFRESH_MS) return;
    this.roomAskedAt = now;
    void this.requestPeers([]);
  }

  /** The peer ids of a join or peers answer; passes on the ICE servers it carries, if any. */
  private read(answer: PeersAnswer): string[] {
    if (Array.isArray(answer?.iceServers))
      this.emit('ice-servers', checkIceServers(answer.iceServers, 'tracker'));
    return Array.isArray(answer?.peers) ? answer.peers.filter((p) => typeof p === 'string') : [];
  }

  signal(to: string, data: unknown): void {
    this.socket.emit('signal', { to, data });
  }

  close(): void {
    clearTimeout(this.rejoinTimer);
    this.socket.close();
  }
}
