/**
 * Introductions over the peers themselves (docs/protocol.md, "Peer exchange and relayed
 * signaling"), protocol version 3: `getpeers` asks a linked peer which nodes it is linked to,
 * `peers` answers with at most MAX_PEX_IDS node ids, and `signal` carries one WebRTC signal
 * object (offer, answer, ICE candidate; JSON text) from `from` to `to` through one linked peer,
 * so a node can add links while the tracker is unreachable. The codecs check the structural
 * rules (counts, sizes, the hop limit, no duplicate ids); rates and routing are the client's
 * (client/net/peer-exchange.ts, client/net/signal-relay.ts).
 */
import type { ByteReader, ByteWriter } from '../primitives/encoding.js';
import {
  MessageError,
  readList,
  readNodeId,
  readString,
  writeList,
  writeNodeId,
  writeString,
} from './wire-fields.js';

/** The protocol version that introduced these messages (sent only to peers that speak it). */
export const RELAY_PROTOCOL_VERSION = 3;
/** Node ids in one `peers` answer. */
export const MAX_PEX_IDS = 16;
/** Bytes of UTF-8 JSON in one relayed signal (a trickled SDP offer is ~600 bytes). */
export const MAX_RELAY_SIGNAL_BYTES = 4096;
/**
 * Relays a signal may still cross: the sender writes 1, the relay forwards it with 0 to `to`,
 * which must be the relay's own peer. A signal crosses exactly one relay.
 */
export const MAX_SIGNAL_TTL = 1;

export interface GetPeersMessage {
  type: 'getpeers';
}

export interface PeersMessage {
  type: 'peers';
  /** Node ids the sender is linked to now (never the asker), distinct, at most MAX_PEX_IDS. */
  ids: string[];
}

export interface SignalMessage {
  type: 'signal';
  /** The node that made the signal; a relay forwards only `from` = the peer it came from. */
  from: string;
  /** The node the signal is for. */
  to: string;
  /** Relays it may still cross (0–MAX_SIGNAL_TTL). */
  ttl: number;
  /** Chosen by `from`, with `from` and `to` the signal's identity for duplicate checks. */
  nonce: number;
  /** The simple-peer signal object as JSON text. */
  data: string;
}

export type RelayMessage = GetPeersMessage | PeersMessage | SignalMessage;

export function readGetPeers(): GetPeersMessage {
  return { type: 'getpeers' };
}

export function writePeers(w: ByteWriter, m: PeersMessage): void {
  if (new Set(m.ids).size !== m.ids.length) throw new RangeError('peers.ids must be distinct');
  writeList(w, m.ids, MAX_PEX_IDS, 'peers ids', writeNodeId);
}

export function readPeers(r: ByteReader): PeersMessage {
  const ids = readList(r, MAX_PEX_IDS, 'peer id', readNodeId);
  if (new Set(ids).size !== ids.length)
    throw new MessageError('bad-message-relay', 'peers lists a node id twice');
  return { type: 'peers', ids };
}

export function writeSignal(w: ByteWriter, m: SignalMessage): void {
  if (!Number.isInteger(m.ttl) || m.ttl < 0 || m.ttl > MAX_SIGNAL_TTL)
    throw new RangeError(`signal.ttl must be 0-${MAX_SIGNAL_TTL}`);
  if (m.from === m.to) throw new RangeError('signal.from and signal.to must differ');
  writeNodeId(w, m.from);
  writeNodeId(w, m.to);
  w.u8(m.ttl);
  w.u32(m.nonce);
  writeString(w, m.data, MAX_RELAY_SIGNAL_BYTES, 'signal.data');
}

export function readSignal(r: ByteReader): SignalMessage {
  const from = readNodeId(r);
  const to = readNodeId(r);
  const ttl = r.u8('ttl');
  const nonce = r.u32('nonce');
  const data = readString(r, MAX_RELAY_SIGNAL_BYTES, 'signal data');
  if (ttl > MAX_SIGNAL_TTL)
    throw new MessageError('bad-message-relay', `signal ttl ${ttl}, limit ${MAX_SIGNAL_TTL}`);
  if (from === to) throw new MessageError('bad-message-relay', 'signal from itself to itself');
  return { type: 'signal', from, to, ttl, nonce, data };
}
