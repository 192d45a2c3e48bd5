/**
 * Field codecs shared by the wire messages (wire.ts): hashes, 256-bit integers, bounded UTF-8
 * strings, node and network ids, and inventory items. Writers throw `TypeError`/`RangeError`
 * on programmer errors; readers throw `DecodeError` (truncated, oversized) or `MessageError`
 * (a field that is well-formed bytes but not a valid value), which `decodeMessage` turns into
 * typed rejections.
 */
import { assertBytes, hashToHex, hexToHash } from '../primitives/bytes.js';
import { ByteReader, ByteWriter } from '../primitives/encoding.js';
import { NETWORK_ID_PATTERN, NODE_ID_PATTERN } from './signal.js';
import type { InvItem, InvKind } from './wire-types.js';

/** Node ids are the tracker's: 1–64 characters of [A-Za-z0-9_-] (core/wire/signal.ts). */
export const MAX_NODE_ID_BYTES = 64;

/** A field that decodes as bytes but is not a valid value; reason is `bad-message-…`. */
export class MessageError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Inventory kinds on the wire (Bitcoin's MSG_TX = 1, MSG_BLOCK = 2, MSG_CMPCT_BLOCK = 4). */
const INV_KIND_CODES = new Map<InvKind, number>([
  ['tx', 1],
  ['block', 2],
  ['cmpct', 4],
]);
const INV_KINDS_BY_CODE = new Map([...INV_KIND_CODES].map(([kind, code]) => [code, kind]));

export function writeHash(w: ByteWriter, hash: Uint8Array, name: string): void {
  assertBytes(hash, name, 32);
  w.bytes(hash);
}

export function readHash(r: ByteReader, what: string): Uint8Array {
  return r.bytes(32, what);
}

const U256_LIMIT = 1n << 256n;

/** Unsigned 256-bit integer, 32 bytes little-endian (chain work). */
export function writeU256(w: ByteWriter, value: bigint, name: string): void {
  if (typeof value !== 'bigint' || value < 0n || value >= U256_LIMIT) {
    throw new RangeError(`${name} must be a bigint in [0, 2^256)`);
  }
  const out = new Uint8Array(32);
  let rest = value;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  w.bytes(out);
}

export function readU256(r: ByteReader, what: string): bigint {
  const bytes = r.bytes(32, what);
  let value = 0n;
  for (let i = 31; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

const utf8Encoder = new TextEncoder();
/** fatal: invalid UTF-8 is refused; ignoreBOM: a leading U+FEFF stays (decoding is lossless). */
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** A UTF-16 surrogate without its partner: TextEncoder would silently turn it into U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Length-prefixed UTF-8 of at most `max` bytes. */
export function writeString(w: ByteWriter, text: string, max: number, name: string): void {
  if (typeof text !== 'string' || LONE_SURROGATE.test(text)) {
    throw new TypeError(`${name} must be a well-formed string`);
  }
  const bytes = utf8Encoder.encode(text);
  if (bytes.length > max) {
    throw new RangeError(`${name} is ${bytes.length} bytes as UTF-8, limit ${max}`);
  }
  w.varBytes(bytes);
}

export function readString(r: ByteReader, max: number, what: string): string {
  const bytes = r.varBytes(max, what);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new MessageError('bad-message-utf8', `${what} is not valid UTF-8`);
  }
}

export function writeNodeId(w: ByteWriter, nodeId: string): void {
  if (typeof nodeId !== 'string' || !NODE_ID_PATTERN.test(nodeId)) {
    throw new TypeError('nodeId must be 1-64 characters of [A-Za-z0-9_-]');
  }
  writeString(w, nodeId, MAX_NODE_ID_BYTES, 'nodeId');
}

export function readNodeId(r: ByteReader): string {
  const nodeId = readString(r, MAX_NODE_ID_BYTES, 'node id');
  if (!NODE_ID_PATTERN.test(nodeId)) {
    throw new MessageError('bad-message-node-id', 'node id is not 1-64 of [A-Za-z0-9_-]');
  }
  return nodeId;
}

/** The network (genesis block id, display hex) travels as its 32-byte hash, internal order. */
export function writeNetwork(w: ByteWriter, network: string): void {
  if (typeof network !== 'string' || !NETWORK_ID_PATTERN.test(network)) {
    throw new TypeError('network must be 64 lower-case hex digits');
  }
  w.bytes(hexToHash(network, 'network'));
}

export function readNetwork(r: ByteReader): string {
  return hashToHex(r.bytes(32, 'network'));
}

/** A count of items followed by the items; `max` is checked before anything is written. */
export function writeList<T>(
  w: ByteWriter,
  items: readonly T[],
  max: number,
  name: string,
  write: (w: ByteWriter, item: T) => void,
): void {
  if (!Array.isArray(items)) throw new TypeError(`${name} must be an array`);
  if (items.length > max) throw new RangeError(`${name}: ${items.length} items, limit ${max}`);
  w.varint(items.length);
  for (const item of items) write(w, item);
}

/** A count (checked against `max` before any item is read) and that many items. */
export function readList<T>(
  r: ByteReader,
  max: number,
  what: string,
  read: (r: ByteReader) => T,
): T[] {
  const count = r.count(max, `${what} count`);
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push(read(r));
  return items;
}

/** Inventory item: u8 kind (1 tx, 2 block, 4 compact block), 32-byte hash. */
export function writeInvItem(w: ByteWriter, item: InvItem): void {
  const code = INV_KIND_CODES.get(item.kind);
  if (code === undefined) throw new TypeError(`unknown inventory kind: ${String(item.kind)}`);
  w.u8(code);
  writeHash(w, item.hash, 'inventory hash');
}

export function readInvItem(r: ByteReader): InvItem {
  const code = r.u8('inventory kind');
  const kind = INV_KINDS_BY_CODE.get(code);
  if (kind === undefined) {
    throw new MessageError('bad-message-inv-kind', `unknown inventory kind ${code}`);
  }
  return { kind, hash: readHash(r, 'inventory hash') };
}

/**
 * `text` cut to at most `maxBytes` of UTF-8 without splitting a character (for reject
 * reasons and details, whose limits are in bytes).
 */
export function clampUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}
