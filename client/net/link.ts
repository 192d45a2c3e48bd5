/**
 * A link to one peer: an ordered, reliable channel of binary frames. The WebRTC data channel
 * (simple-peer-link.ts) and the in-memory pair used by tests and the simulator (memory-link.ts)
 * both implement it; nothing else in the node knows which it has.
 */

export interface LinkHandlers {
  /**
   * A frame arrived (frames of one message arrive in order, never interleaved). A string is a
   * text message on the channel: the protocol is binary, so the peer refuses it
   * (`bad-frame-type`, docs/protocol.md "Framing").
   */
  onFrame(frame: Uint8Array | string): void;
  /** The link is gone; called once. */
  onClose(reason: string): void;
  /** The send buffer fell below its low-water mark: more may be sent. */
  onDrain(): void;
}

export interface Link {
  /** The remote node id. */
  readonly remoteId: string;
  /** True on the side that started the connection. */
  readonly initiator: boolean;
  /** Bytes handed to `send` and not yet on the wire. */
  readonly bufferedAmount: number;
  /** Start delivering events (called once, right after the link is handed over). */
  attach(handlers: LinkHandlers): void;
  send(frame: Uint8Array): void;
  /** Send a text message (only the attack lab does: the protocol refuses text). */
  sendText?(text: string): void;
  close(reason: string): void;
}

/** Keep at most this much queued in a link's own buffer (larger buffers stall fresh links). */
export const LINK_HIGH_WATER_BYTES = 256 * 1024;
