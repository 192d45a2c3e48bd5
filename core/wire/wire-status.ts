/**
 * The optional `status` message (docs/protocol.md, "Status"): what a node tells its peers
 * about itself and relays about others, for the classroom view. A u8 status version opens the
 * body; version 1 is a list of reports. A body of another version is kept as opaque bytes
 * (bounded) so the receiver can ignore it: a newer sender is never refused for it.
 */
import { DecodeError, type ByteReader, type ByteWriter } from '../primitives/encoding.js';
import {
  MessageError,
  readHash,
  readList,
  readNodeId,
  readString,
  writeHash,
  writeList,
  writeNodeId,
  writeString,
} from './wire-fields.js';

/** The status body version this node writes and reads; other versions are ignored. */
export const STATUS_VERSION = 1;
/** Reports in one status message. */
export const MAX_STATUS_REPORTS = 64;
/** Linked peer ids in one report (a node keeps at most 16 links). */
export const MAX_STATUS_LINKS = 16;
/** Recent block arrivals in one report. */
export const MAX_STATUS_ARRIVALS = 8;
/** A chosen display name, in UTF-8 bytes (as long as a node id). */
export const MAX_STATUS_NAME_BYTES = 64;
/** Body of a status version this node does not know: at most this many bytes, then ignored. */
export const MAX_STATUS_OPAQUE_BYTES = 64 * 1024;

const FLAG_MINING = 1;
const FLAG_ANONYMOUS = 2;
const KNOWN_FLAGS = FLAG_MINING | FLAG_ANONYMOUS;

/** When a node accepted a block: `agoMs` before its report was made. */
export interface StatusArrival {
  /** Block hash, internal byte order. */
  block: Uint8Array;
  agoMs: number;
}

/** One node's state as it reported it (directly, or relayed by others). */
export interface StatusReport {
  /** The node the report is about (its node id). */
  origin: string;
  /** Serial number (RFC 1982, mod 2^32): a later report of the same origin has a later seq. */
  seq: number;
  /** Milliseconds since the origin made the report (each relay adds its holding time). */
  ageMs: number;
  /** Relays between the origin and the sender: 0 when the sender is the origin. */
  hops: number;
  mining: boolean;
  /** The owner opted out of being shown by name (`name` is then empty). */
  anonymous: boolean;
  name: string;
  /** Active tip hash (internal byte order) and its height: claims the view verifies. */
  tip: Uint8Array;
  height: number;
  /** Hashes per second, rounded (u32). */
  hashrate: number;
  /** Ready peers (u8, capped at 255). */
  peerCount: number;
  /** Ids of (up to 16) linked peers. */
  links: string[];
  /** The most recent blocks it accepted, newest first. */
  arrivals: StatusArrival[];
}

export interface StatusMessage {
  type: 'status';
  /** u8: STATUS_VERSION for `reports`; any other version carries only `opaque`. */
  version: number;
  reports: StatusReport[];
  /** The body of a status version this node does not know (empty for version 1). */
  opaque: Uint8Array;
}

function writeReport(w: ByteWriter, report: StatusReport): void {
  writeNodeId(w, report.origin);
  w.u32(report.seq);
  w.u32(report.ageMs);
  writeU8(w, report.hops, 'hops');
  if (report.anonymous && report.name !== '') {
    throw new TypeError('an anonymous report carries no name');
  }
  w.u8((report.mining ? FLAG_MINING : 0) | (report.anonymous ? FLAG_ANONYMOUS : 0));
  writeString(w, report.name, MAX_STATUS_NAME_BYTES, 'name');
  writeHash(w, report.tip, 'tip');
  w.u32(report.height);
  w.u32(report.hashrate);
  writeU8(w, report.peerCount, 'peerCount');
  writeList(w, report.links, MAX_STATUS_LINKS, 'links', writeNodeId);
  writeList(w, report.arrivals, MAX_STATUS_ARRIVALS, 'arrivals', (w, arrival) => {
    writeHash(w, arrival.block, 'arrival block');
    w.u32(arrival.agoMs);
  });
}

function writeU8(w: ByteWriter, value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new RangeError(`${name} must be an integer in [0, 255], got ${value}`);
  }
  w.u8(value);
}

function readReport(r: ByteReader): StatusReport {
  const origin = readNodeId(r);
  const seq = r.u32('seq');
  const ageMs = r.u32('age');
  const hops = r.u8('hops');
  const flags = r.u8('flags');
  if ((flags & ~KNOWN_FLAGS) !== 0) {
    throw new MessageError('bad-message-status', `status flags ${flags} set reserved bits`);
  }
  const anonymous = (flags & FLAG_ANONYMOUS) !== 0;
  const name = readString(r, MAX_STATUS_NAME_BYTES, 'name');
  if (anonymous && name !== '') {
    throw new MessageError('bad-message-status', 'an anonymous report carries a name');
  }
  return {
    origin,
    seq,
    ageMs,
    hops,
    mining: (flags & FLAG_MINING) !== 0,
    anonymous,
    name,
    tip: readHash(r, 'tip'),
    height: r.u32('height'),
    hashrate: r.u32('hashrate'),
    peerCount: r.u8('peer count'),
    links: readList(r, MAX_STATUS_LINKS, 'link', readNodeId),
    arrivals: readList(r, MAX_STATUS_ARRIVALS, 'arrival', (r) => ({
      block: readHash(r, 'arrival block'),
      agoMs: r.u32('arrival age'),
    })),
  };
}

/** Status body (after the message tag): version u8, then the version's fields. */
export function writeStatus(w: ByteWriter, message: StatusMessage): void {
  writeU8(w, message.version, 'status version');
  if (message.version !== STATUS_VERSION) {
    if (message.opaque.length > MAX_STATUS_OPAQUE_BYTES) {
      throw new RangeError(`opaque status body over ${MAX_STATUS_OPAQUE_BYTES} bytes`);
    }
    w.bytes(message.opaque);
    return;
  }
  if (message.opaque.length !== 0) throw new TypeError('a version 1 status has no opaque body');
  const origins = new Set(message.reports.map((report) => report.origin));
  if (origins.size !== message.reports.length) throw new TypeError('one report per origin');
  writeList(w, message.reports, MAX_STATUS_REPORTS, 'reports', writeReport);
}

export function readStatus(r: ByteReader): StatusMessage {
  const version = r.u8('status version');
  if (version !== STATUS_VERSION) {
    if (r.remaining > MAX_STATUS_OPAQUE_BYTES) {
      throw new DecodeError('oversized', `status body over ${MAX_STATUS_OPAQUE_BYTES} bytes`);
    }
    return { type: 'status', version, reports: [], opaque: r.bytes(r.remaining, 'status body') };
  }
  const reports = readList(r, MAX_STATUS_REPORTS, 'status report', readReport);
  const origins = new Set(reports.map((report) => report.origin));
  if (origins.size !== reports.length) {
    throw new MessageError('bad-message-status', 'two reports about one origin');
  }
  return { type: 'status', version, reports, opaque: new Uint8Array(0) };
}
