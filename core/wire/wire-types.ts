/**
 * Peer-to-peer wire messages between browser nodes (over WebRTC data channels). Codecs are in
 * wire.ts, framing/chunking in wire-frames.ts; docs/protocol.md ("Wire protocol") is the spec.
 * Hashes travel in internal byte order (32 bytes), as in Bitcoin.
 */
import type { Block, BlockHeader } from '../primitives/block.js';
import type { Tx } from '../primitives/tx.js';
import type { CompactMessage } from './wire-compact.js';
import type { StatusMessage } from './wire-status.js';

export type { StatusArrival, StatusMessage, StatusReport } from './wire-status.js';

/**
 * The protocol version this node speaks. A link speaks the lower of both sides' versions:
 * a newer version only adds message types (new tags), sent only to peers whose hello carries
 * that version or higher, so old nodes keep linking (docs/protocol.md, "Versioning").
 */
export const PROTOCOL_VERSION = 2;
/** The first version that speaks compact blocks (`sendcmpct` … `blocktxn`, wire-compact.ts). */
export const COMPACT_BLOCKS_VERSION = 2;
/** Oldest version a node accepts in hello (version 0 is refused as `bad-version`). */
export const MIN_PROTOCOL_VERSION = 1;

/** `cmpct` (version 2, only in `getdata`): the block, as a compact block if the peer can. */
export type InvKind = 'tx' | 'block' | 'cmpct';

export interface InvItem {
  kind: InvKind;
  /** txid (for tx) or block hash (block, cmpct), internal byte order. */
  hash: Uint8Array;
}

/** Sent first by both sides; nothing else is accepted before it. */
export interface HelloMessage {
  type: 'hello';
  version: number;
  /** Genesis block id (display hex) — a peer on another network is refused. */
  network: string;
  /** The sender's node id (as used with the tracker). */
  nodeId: string;
  /** Best (active tip) block hash, internal byte order. */
  tip: Uint8Array;
  height: number;
  chainWork: bigint;
  /** Free text, e.g. "tabcoin/0.1.0", at most 64 bytes. */
  userAgent: string;
}

export interface PingMessage {
  type: 'ping';
  nonce: bigint;
}

export interface PongMessage {
  type: 'pong';
  nonce: bigint;
}

export interface InvMessage {
  type: 'inv';
  items: InvItem[];
}

export interface GetDataMessage {
  type: 'getdata';
  items: InvItem[];
}

export interface NotFoundMessage {
  type: 'notfound';
  items: InvItem[];
}

export interface TxMessage {
  type: 'tx';
  tx: Tx;
}

export interface BlockMessage {
  type: 'block';
  block: Block;
}

export interface GetHeadersMessage {
  type: 'getheaders';
  /** Block locator hashes, newest first (internal byte order). */
  locator: Uint8Array[];
  /** Stop after this hash; all zeros = as many as allowed. */
  stop: Uint8Array;
}

export interface HeadersMessage {
  type: 'headers';
  headers: BlockHeader[];
}

/** Why the sender refused something we sent (informational; never trusted). */
export interface RejectMessage {
  type: 'reject';
  /** The message type that was refused, e.g. "block". */
  message: string;
  /** Kebab-case reason from core (e.g. "bad-txns-in-belowout"). */
  reason: string;
  /** Hash of the refused object, or all zeros. */
  hash: Uint8Array;
  /** Human-readable detail, at most 256 bytes. */
  detail: string;
}

export type WireMessage =
  | HelloMessage
  | PingMessage
  | PongMessage
  | InvMessage
  | GetDataMessage
  | NotFoundMessage
  | TxMessage
  | BlockMessage
  | GetHeadersMessage
  | HeadersMessage
  | RejectMessage
  | StatusMessage
  | CompactMessage;

export type WireMessageType = WireMessage['type'];

/** Limits every decoder enforces (named in docs/protocol.md). */
export const MAX_INV_ITEMS = 1000;
export const MAX_LOCATOR_HASHES = 101;
export const MAX_HEADERS_PER_MESSAGE = 2000;
export const MAX_USER_AGENT_BYTES = 64;
export const MAX_REJECT_TEXT_BYTES = 256;
/** Data channel frames carry at most this many bytes of message (chunking above it). */
export const MAX_FRAME_PAYLOAD = 16 * 1024;
/** Largest message: a maximum-size block plus its message header. */
export const MAX_MESSAGE_BYTES = 1_000_000 + 1024;
