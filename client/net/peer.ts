/**
 * One connected peer: frames in and out of its link (chunking, reassembly, backpressure),
 * decoding with limit checks, a per-peer rate limit, ping/RTT, and the bookkeeping the
 * protocol needs (handshake state, known inventory, blocks in flight, misbehaviour score).
 * What messages mean is decided by p2p.ts.
 */
import {
  FrameAssembler,
  decodeMessage,
  encodeMessage,
  frameMessage,
  reject,
  type BlockEntry,
  type HelloMessage,
  type Rejection,
  type WireMessage,
} from '../../core/index.js';
import { KnownSet } from './known-set.js';
import { LINK_HIGH_WATER_BYTES, type Link } from './link.js';
import { TokenBucket } from './token-bucket.js';

/** Per-peer message rate: sustained per second, and burst. */
export const PEER_MESSAGES_PER_SECOND = 1000;
export const PEER_MESSAGE_BURST = 5000;
/** Inventory hashes remembered per peer (so nothing is announced to it twice). */
export const KNOWN_INVENTORY_LIMIT = 20_000;
/**
 * Bytes a peer may leave unread in our send queue (on top of the link's own 256 KiB buffer)
 * before it is disconnected: the serving of blocks and headers waits for the queue to drain, so
 * only a peer that stops reading gets here (docs/protocol.md, "Budgets").
 */
export const MAX_SEND_QUEUE_BYTES = 4 * 1024 * 1024;

export interface PeerHandlers {
  /** `bytes`: the message's encoded size (frames reassembled). */
  onMessage(peer: Peer, message: WireMessage, bytes: number): void;
  /** Undecodable or over-rate data: the protocol decides the penalty. */
  onInvalid(peer: Peer, rejection: Rejection): void;
  onClose(peer: Peer, reason: string): void;
  /** Our send queue emptied into the link: the next requested item may be served. */
  onDrained?(peer: Peer): void;
}

export interface PeerStats {
  id: string;
  state: 'handshaking' | 'ready' | 'closed';
  inbound: boolean;
  rttMs: number | undefined;
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  connectedAt: number;
  userAgent: string | undefined;
  height: number | undefined;
  misbehaviour: number;
}

export class Peer {
  state: 'handshaking' | 'ready' | 'closed' = 'handshaking';
  hello: HelloMessage | undefined = undefined;
  readonly known = new KnownSet(KNOWN_INVENTORY_LIMIT);
  /** The most-work header this peer has shown us (it has that block and its ancestors). */
  bestAnnounced: BlockEntry | undefined = undefined;
  /** Block id -> when requested (ms). */
  readonly inFlight = new Map<string, number>();
  misbehaviour = 0;
  /** Headers messages in a row that did not connect to our tree. */
  unconnectingHeaders = 0;
  /** When we last sent this peer a getheaders that it has not answered yet (ms). */
  headersRequestedAt: number | undefined = undefined;
  rttMs: number | undefined = undefined;
  /**
   * The least round trip of any ping on this link: what the link itself costs, where the last
   * one also counts the time either tab was busy before answering (block-announce.ts).
   */
  minRttMs = Infinity;
  lastPongAt: number;
  pingNonce: bigint | undefined = undefined;
  pingSentAt = 0;
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  messagesOut = 0;
  readonly connectedAt: number;
  private readonly assembler = new FrameAssembler();
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  /** Messages accepted from the remote: PEER_MESSAGES_PER_SECOND, bursts of PEER_MESSAGE_BURST. */
  private readonly messages: TokenBucket;

  constructor(
    readonly link: Link,
    private readonly handlers: PeerHandlers,
    private readonly now: () => number,
    /** The tracker's tag for the remote's network address, when known (admission.ts). */
    readonly origin?: string,
  ) {
    this.connectedAt = now();
    this.messages = new TokenBucket(PEER_MESSAGES_PER_SECOND, PEER_MESSAGE_BURST, this.connectedAt);
    this.lastPongAt = this.connectedAt;
    link.attach({
      onFrame: (frame) => this.receive(frame),
      onClose: (reason) => this.closed(reason),
      onDrain: () => {
        this.flush();
        if (this.queue.length === 0 && this.state !== 'closed') this.handlers.onDrained?.(this);
      },
    });
  }

  get id(): string {
    return this.link.remoteId;
  }

  send(message: WireMessage): void {
    if (this.state === 'closed') return;
    let frames: Uint8Array[];
    try {
      frames = frameMessage(encodeMessage(message));
    } catch (err) {
      // A message we built breaks a wire limit: our bug, not the peer's; do not send it.
      console.error(`not sending ${message.type} to ${this.id}:`, err);
      return;
    }
    this.messagesOut++;
    for (const frame of frames) {
      this.queue.push(frame);
      this.queued += frame.length;
    }
    this.flush();
    if (this.queued > MAX_SEND_QUEUE_BYTES) {
      this.close(`send-queue-full: over ${MAX_SEND_QUEUE_BYTES} bytes unread`);
    }
  }

  /** Hand queued frames to the link while its buffer is under the high-water mark. */
  private flush(): void {
    while (this.queue.length > 0 && this.link.bufferedAmount < LINK_HIGH_WATER_BYTES) {
      const frame = this.queue.shift()!;
      this.queued -= frame.length;
      this.bytesOut += frame.length;
      try {
        this.link.send(frame);
      } catch (err) {
        this.close(`send failed: ${(err as Error).message}`);
        return;
      }
    }
  }

  /** Bytes waiting in our queue (not yet handed to the link). */
  get queuedBytes(): number {
    return this.queued;
  }

  private receive(frame: Uint8Array | string): void {
    if (this.state === 'closed') return;
    this.bytesIn += frame.length;
    if (typeof frame === 'string') {
      return this.handlers.onInvalid(
        this,
        reject('bad-frame-type', 'a text message on the data channel (frames are binary)'),
      );
    }
    const assembled = this.assembler.push(frame);
    if (!assembled.ok) return this.handlers.onInvalid(this, assembled);
    if (!assembled.value) return;
    this.messagesIn++;
    if (!this.messages.take(this.now())) {
      return this.handlers.onInvalid(
        this,
        reject(
          'rate-limited',
          `more than ${PEER_MESSAGES_PER_SECOND} messages per second`,
          'policy',
          10,
        ),
      );
    }
    const decoded = decodeMessage(assembled.value);
    if (!decoded.ok) return this.handlers.onInvalid(this, decoded);
    this.handlers.onMessage(this, decoded.value, assembled.value.length);
  }

  close(reason: string): void {
    if (this.state === 'closed') return;
    this.link.close(reason);
    this.closed(reason);
  }

  private closed(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.queue.length = 0;
    this.queued = 0;
    this.handlers.onClose(this, reason);
  }

  stats(): PeerStats {
    return {
      id: this.id,
      state: this.state,
      inbound: !this.link.initiator,
      rttMs: this.rttMs,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      connectedAt: this.connectedAt,
      userAgent: this.hello?.userAgent,
      height: this.bestAnnounced?.height ?? this.hello?.height,
      misbehaviour: this.misbehaviour,
    };
  }
}
