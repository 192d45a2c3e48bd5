/**
 * WebRTC data channels through simple-peer: the only file that imports it (simple-peer is
 * unmaintained since 2022; the rest of the node sees our `Link`). We load its prebuilt bundle,
 * which needs no Node shims under Vite. ICE failure raises no error by itself, so every
 * attempt has a timeout.
 */
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { Instance as SimplePeerInstance, SignalData } from 'simple-peer';
import type { Link, LinkHandlers } from './link.js';

/** Below this many buffered bytes a link that was full reports `onDrain`. */
const LOW_WATER_BYTES = 64 * 1024;

export interface PeerConnectionOptions {
  remoteId: string;
  initiator: boolean;
  iceServers: RTCIceServer[];
  /** Send a signal (offer, answer, ICE candidate) to the remote through the tracker. */
  sendSignal(data: unknown): void;
  timeoutMs: number;
}

export interface PeerConnection {
  /** Resolves once the data channel is open; rejects on error or timeout. */
  ready: Promise<Link>;
  /** Feed a signal received from the remote. */
  signal(data: unknown): void;
  destroy(reason: string): void;
}

/** simple-peer's handler of the data channel's `message` event (it makes Buffers of strings). */
interface ChannelMessageHook {
  _onChannelMessage(event: MessageEvent): void;
}

class SimplePeerLink implements Link {
  private handlers: LinkHandlers | undefined;
  private pending: (Uint8Array | string)[] = [];
  private closed = false;
  private drainTimer: ReturnType<typeof setInterval> | undefined;

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

export function connectPeer(options: PeerConnectionOptions): PeerConnection {
  const peer: SimplePeerInstance = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    config: { iceServers: options.iceServers },
  });
  peer.on('signal', (data: SignalData) => options.sendSignal(data));
  const ready = new Promise<Link>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(`no WebRTC connection to ${options.remoteId} within ${options.timeoutMs} ms`),
      );
      peer.destroy();
    }, options.timeoutMs);
    peer.once('connect', () => {
      clearTimeout(timer);
      resolve(new SimplePeerLink(options.remoteId, options.initiator, peer));
    });
    peer.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
    peer.once('close', () => {
      clearTimeout(timer);
      reject(new Error('connection closed before it opened'));
    });
  });
  ready.catch(() => undefined);
  return {
    ready,
    signal: (data) => {
      try {
        peer.signal(data as SignalData);
      } catch (err) {
        console.warn(`bad signal from ${options.remoteId}:`, (err as Error).message);
      }
    },
    destroy: (reason) => {
      void reason;
      peer.destroy();
    },
  };
}
