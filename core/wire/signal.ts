/**
 * Tracker signaling messages, shared by the tracker and the browser node (the only part of core
 * the tracker imports). The tracker introduces peers and relays WebRTC signals; it never sees a
 * block, a transaction or a key. Parsers check shape, types and sizes and return typed results.
 * docs/protocol.md ("Tracker") lists every event.
 */
import { reject, type Rejection, type Result } from '../primitives/result.js';

/** Events a peer sends. */
export const TRACKER_CLIENT_EVENTS = ['join', 'signal', 'peers'] as const;
export type TrackerClientEvent = (typeof TRACKER_CLIENT_EVENTS)[number];

/** Largest JSON encoding of one signal's `data` (an SDP offer with candidates fits easily). */
export const MAX_SIGNAL_BYTES = 16 * 1024;
/** Node ids: 1–64 characters of [A-Za-z0-9_-]. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Networks are named by their genesis block id: 64 lower-case hex digits. */
export const NETWORK_ID_PATTERN = /^[0-9a-f]{64}$/;
/** Most node ids a `peers` request may exclude. */
export const MAX_PEERS_EXCLUDE = 64;

/** `join`: enter the room of `network` as `nodeId`. */
export interface JoinRequest {
  network: string;
  nodeId: string;
}

/**
 * Answer to `join` and `peers`: a random subset of the other peers in the room, and, when the
 * tracker runs beside a TURN server, that server with credentials for this node only.
 */
export interface PeersAnswer {
  peers: string[];
  /** Node ids in the room, the asker included (for the classroom view's "N of M"). */
  room?: number;
  iceServers?: IceServerGrant[];
}

/**
 * A TURN server with short-lived credentials (coturn's shared-secret "TURN REST API" scheme):
 * `username` is `<expiry unix seconds>:<nodeId>`, `credential` is
 * base64(HMAC-SHA1(shared secret, username)). The TURN server checks both without asking the
 * tracker, and refuses the username after its expiry.
 */
export interface IceServerGrant {
  urls: string[];
  username: string;
  credential: string;
}

/** `signal` (peer to tracker): relay `data` to `to` in the same room. */
export interface SignalRequest {
  to: string;
  data: unknown;
}

/** `peers`: ask for another random subset, leaving out ids already linked. */
export interface PeersRequest {
  exclude: string[];
}

/** `signal` (tracker to peer). */
export interface SignalDelivery {
  from: string;
  data: unknown;
  /**
   * The tracker's opaque tag for the sender's address group (the same for every node id on one
   * machine or network): nodes throttle links from an origin they have banned a peer of.
   */
  origin?: string;
}

/** `peer-joined` / `peer-left` (tracker to peer). */
export interface PeerNotice {
  nodeId: string;
}

export type TrackerErrorCode =
  | 'bad-payload'
  | 'bad-network'
  | 'bad-node-id'
  | 'payload-too-large'
  | 'unknown-event'
  | 'not-joined'
  | 'already-joined'
  | 'unknown-peer'
  | 'self-signal'
  | 'rate-limited'
  | 'too-many-joins'
  | 'unavailable';

/** `tracker-error` (tracker to peer): why a payload was refused; nothing was changed. */
export interface TrackerError {
  code: TrackerErrorCode;
  message: string;
  /** The event that was refused. */
  event: string;
}

function bad(code: TrackerErrorCode, message: string): Rejection {
  return reject(code, message, 'policy');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNodeId(value: unknown): value is string {
  return typeof value === 'string' && NODE_ID_PATTERN.test(value);
}

export function parseJoinRequest(payload: unknown): Result<JoinRequest> {
  if (!isPlainObject(payload)) return bad('bad-payload', 'join takes { network, nodeId }');
  const { network, nodeId } = payload;
  if (typeof network !== 'string' || !NETWORK_ID_PATTERN.test(network)) {
    return bad('bad-network', 'network must be the genesis block id (64 lower-case hex digits)');
  }
  if (!isNodeId(nodeId))
    return bad('bad-node-id', 'nodeId must be 1-64 characters of A-Z a-z 0-9 _ -');
  return { ok: true, value: { network, nodeId } };
}

/** Bytes of `data` as JSON, or undefined if it is not JSON-encodable. */
function jsonSize(data: unknown): number | undefined {
  try {
    const text = JSON.stringify(data);
    return text === undefined ? undefined : new TextEncoder().encode(text).length;
  } catch {
    return undefined;
  }
}

export function parseSignalRequest(payload: unknown): Result<SignalRequest> {
  if (!isPlainObject(payload) || !('data' in payload)) {
    return bad('bad-payload', 'signal takes { to, data }');
  }
  if (!isNodeId(payload.to)) return bad('bad-node-id', 'signal.to must be a node id');
  const size = jsonSize(payload.data);
  if (size === undefined || payload.data === null) {
    return bad('bad-payload', 'signal.data must be a JSON value (an SDP or ICE candidate object)');
  }
  if (size > MAX_SIGNAL_BYTES) {
    return bad('payload-too-large', `signal.data is ${size} bytes, limit ${MAX_SIGNAL_BYTES}`);
  }
  return { ok: true, value: { to: payload.to, data: payload.data } };
}

export function parsePeersRequest(payload: unknown): Result<PeersRequest> {
  if (payload === undefined || payload === null) return { ok: true, value: { exclude: [] } };
  if (!isPlainObject(payload)) return bad('bad-payload', 'peers takes { exclude?: string[] }');
  const exclude = payload.exclude ?? [];
  if (!Array.isArray(exclude) || exclude.length > MAX_PEERS_EXCLUDE || !exclude.every(isNodeId)) {
    return bad('bad-payload', `peers.exclude must be at most ${MAX_PEERS_EXCLUDE} node ids`);
  }
  return { ok: true, value: { exclude } };
}
