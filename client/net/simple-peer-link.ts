/**
 * WebRTC data channels through simple-peer: the only file that imports it (simple-peer is
 * unmaintained since 2022; the rest of the node sees our `Link`). We load its prebuilt bundle,
 * which needs no Node shims under Vite. Each attempt reports how far it got and which
 * addresses were offered (link-attempt.ts); ICE failure raises no error by itself, so the mesh
 * gives every attempt a timeout. Every RTCPeerConnection this page creates is counted here
 * (`peerConnections`), and so is each one the garbage collector frees: Chromium refuses new ones
 * past 500 uncollected per renderer (connection-budget.ts).
 */
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { Instance as SimplePeerInstance, SignalData } from 'simple-peer';
import type { Link, LinkHandlers } from './link.js';
import { PeerConnectionCount } from './connection-budget.js';
import {
  MAX_SERVER_ERRORS,
  countCandidates,
  noCandidates,
  routeOfStats,
  type LinkRoute,
  type AttemptProgress,
  type PeerConnection,
  type PeerConnectionOptions,
} from './link-attempt.js';

/** RTCPeerConnections this page created, and how many of them were garbage-collected. */
export const peerConnections = new PeerConnectionCount();

const collections =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<undefined>(() => void peerConnections.collected++)
    : undefined;

/** Count a connection the browser created (and, later, its collection). */
function counted(pc: RTCPeerConnection | undefined): void {
  if (!pc) return; // the constructor threw: the browser created nothing
  peerConnections.created++;
  collections?.register(pc, undefined);
}

/** Below this many buffered bytes a link that was full reports `onDrain`. */
const LOW_WATER_BYTES = 64 * 1024;

/** simple-peer's handler of the data channel's `message` event (it makes Buffers of strings). */
interface ChannelMessageHook {
  _onChannelMessage(event: MessageEvent): void;
}

class SimplePeerLink implements Link {
  private handlers: LinkHandlers | undefined = undefined;
  private pending: (Uint8Array | string)[] = [];
  private closed = false;
  private drainTimer: ReturnType<typeof setInterval> | undefined = undefined;

  constructor(
    readonly remoteId: string,
    readonly initiator: boolean,
    private readonly peer: SimplePeerInstance,
  ) {
    peer.on('data', (data: Uint8Array) =>
      this.frame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
    );
    // A text message must reach the protocol as text (refused as bad-frame-type): look at the
    // channel's own event before simple-peer turns the string into bytes.
    const hook = peer as unknown as ChannelMessageHook;
    if (typeof hook._onChannelMessage === 'function') {
      const binary = hook._onChannelMessage.bind(peer);
      hook._onChannelMessage = (event) => {
        if (typeof event.data === 'string') this.frame(event.data);
        else binary(event);
      };
    }
    peer.on('close', () => this.finish('connection closed'));
    peer.on('error', (err: Error) => this.finish(`connection error: ${err.message}`));
  }

  get bufferedAmount(): number {
    return (this.peer as unknown as { bufferSize: number }).bufferSize ?? 0;
  }

  private frame(frame: Uint8Array | string): void {
    if (this.handlers) this.handlers.onFrame(frame);
    else this.pending.push(frame);
  }

  attach(handlers: LinkHandlers): void {
    this.handlers = handlers;
    for (const frame of this.pending.splice(0)) handlers.onFrame(frame);
  }

  send(frame: Uint8Array): void {
    if (this.closed) return;
    this.peer.send(frame);
    if (this.drainTimer === undefined && this.bufferedAmount > LOW_WATER_BYTES) {
      this.drainTimer = setInterval(() => {
        if (this.bufferedAmount > LOW_WATER_BYTES) return;
        clearInterval(this.drainTimer);
        this.drainTimer = undefined;
        this.handlers?.onDrain();
      }, 10);
    }
  }

  sendText(text: string): void {
    if (!this.closed) this.peer.send(text);
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.drainTimer !== undefined) clearInterval(this.drainTimer);
    this.handlers?.onClose(reason);
  }

  close(reason: string): void {
    this.finish(reason);
    this.peer.destroy();
  }
}

/** simple-peer's getStats (missing from its type definitions): the stats reports as a list. */
interface StatsSource {
  getStats(callback: (err: Error | null, reports: Record<string, unknown>[]) => void): void;
}

/** The stage an ICE connection state puts an attempt in (before the channel opens). */
function stageOfIce(state: string, current: AttemptProgress['stage']): AttemptProgress['stage'] {
  if (state === 'failed') return 'ice-failed';
  if (state === 'connected' || state === 'completed') return 'data-channel';
  if (state === 'checking') return 'ice-checking';
  return current;
}

export function connectPeer(options: PeerConnectionOptions): PeerConnection {
  const progress: AttemptProgress = {
    stage: 'signaling',
    local: noCandidates(),
    remote: noCandidates(),
    turn: options.iceServers.some((s) => [s.urls].flat().some((u) => u.startsWith('turn'))),
    serverErrors: [],
  };
  const update = (change: Partial<AttemptProgress>) => {
    Object.assign(progress, change);
    options.onProgress?.(snapshot());
  };
  const snapshot = (): AttemptProgress => ({
    ...progress,
    local: { ...progress.local },
    remote: { ...progress.remote },
    serverErrors: [...(progress.serverErrors ?? [])],
  });
  const peer: SimplePeerInstance = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    config: { iceServers: options.iceServers },
  });
  let opened = false;
  // A STUN/TURN server that cannot be reached or refuses (401: bad credentials) raises only this
  // event, which simple-peer does not pass on: listen on its RTCPeerConnection directly.
  const pc = (peer as unknown as { _pc?: RTCPeerConnection })._pc;
  counted(pc);
  pc?.addEventListener('icecandidateerror', (event) => {
    const e = event as RTCPeerConnectionIceErrorEvent;
    const text = `${e.url} ${e.errorCode} ${e.errorText}`.trim();
    const errors = progress.serverErrors!;
    if (errors.length < MAX_SERVER_ERRORS && !errors.includes(text))
      update({ serverErrors: [...errors, text] });
  });
  peer.on('signal', (data: SignalData) => {
    countCandidates(data, progress.local);
    options.sendSignal(data);
    update({});
  });
  peer.on('iceStateChange', (state: string) => {
    if (!opened) update({ stage: stageOfIce(state, progress.stage) });
  });
  const ready = new Promise<Link>((resolve, reject) => {
    peer.once('connect', () => {
      opened = true;
      resolve(new SimplePeerLink(options.remoteId, options.initiator, peer));
    });
    peer.once('error', (err: Error & { code?: string }) => {
      if (opened) return;
      if (err.code === 'ERR_PC_CONSTRUCTOR') update({ stage: 'refused', error: err.message });
      else if (err.code === 'ERR_ICE_CONNECTION_FAILURE' || err.code === 'ERR_CONNECTION_FAILURE')
        update({ stage: 'ice-failed', error: err.message });
      else update({ error: err.message });
      reject(err);
    });
    peer.once('close', () => {
      if (opened) return;
      if (progress.stage !== 'refused' && progress.stage !== 'ice-failed')
        update({ stage: 'closed' });
      reject(new Error('connection closed before it opened'));
    });
  });
  ready.catch(() => undefined);
  return {
    ready,
    signal: (data) => {
      countCandidates(data, progress.remote);
      const sdp = typeof data === 'object' && data !== null && 'sdp' in data;
      try {
        peer.signal(data as SignalData);
      } catch (err) {
        console.warn(`bad signal from ${options.remoteId}:`, (err as Error).message);
      }
      // The remote description is set: ICE can start checking pairs.
      update(sdp && progress.stage === 'signaling' ? { stage: 'ice-checking' } : {});
    },
    progress: snapshot,
    route: () =>
      new Promise<LinkRoute | undefined>((resolve) =>
        (peer as unknown as StatsSource).getStats((err, reports) =>
          resolve(err ? undefined : routeOfStats(reports)),
        ),
      ),
    destroy: (reason) => {
      void reason;
      peer.destroy();
    },
  };
}

/**
 * Whether this browser accepts `iceServers` in an RTCPeerConnection configuration: undefined
 * if it does, else its error message (e.g. Chromium: "Both username and credential are required
 * when the URL scheme is "turn" or "turns""). Creates and closes one RTCPeerConnection.
 */
export function browserRefusesIceServers(iceServers: RTCIceServer[]): string | undefined {
  try {
    const pc = new RTCPeerConnection({ iceServers });
    counted(pc);
    pc.close();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
