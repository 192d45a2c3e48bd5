/**
 * The wire message codec: one canonical binary encoding per message, a u8 type tag followed by
 * the message's fields (the table below, in order; docs/protocol.md "Wire protocol" is the
 * spec). Transactions and blocks use their consensus codecs, so a block message's body is
 * byte-for-byte `encodeBlock`. Decoding checks every count and length against the limits in
 * wire-types.ts before allocating and returns a typed rejection (category `consensus`: a peer
 * that sends malformed data misbehaves) instead of throwing.
 */
import { decodeBlock, encodeHeader, encodeBlock, readHeader } from '../primitives/block.js';
import { ByteReader, ByteWriter, decodeAll } from '../primitives/encoding.js';
import { reject, type Result } from '../primitives/result.js';
import { readTx, writeTx } from '../primitives/tx.js';
import {
  MessageError,
  readHash,
  readInvItem,
  readList,
  readNetwork,
  readNodeId,
  readString,
  readU256,
  writeHash,
  writeInvItem,
  writeList,
  writeNetwork,
  writeNodeId,
  writeString,
  writeU256,
} from './wire-fields.js';
import {
  MAX_HEADERS_PER_MESSAGE,
  MAX_INV_ITEMS,
  MAX_LOCATOR_HASHES,
  MAX_MESSAGE_BYTES,
  MAX_REJECT_TEXT_BYTES,
  MAX_USER_AGENT_BYTES,
  type WireMessage,
  type WireMessageType,
} from './wire-types.js';
import { readStatus, writeStatus } from './wire-status.js';
import {
  blockTxnCodec,
  cmpctBlockCodec,
  getBlockTxnCodec,
  sendCmpctCodec,
} from './wire-compact.js';

export { MAX_NODE_ID_BYTES, clampUtf8 } from './wire-fields.js';

/** The u8 that starts every message. Never renumber: add new types at the end. */
export const WIRE_MESSAGE_TAGS: Readonly<Record<WireMessageType, number>> = Object.freeze({
  hello: 0x01,
  ping: 0x02,
  pong: 0x03,
  inv: 0x04,
  getdata: 0x05,
  notfound: 0x06,
  tx: 0x07,
  block: 0x08,
  getheaders: 0x09,
  headers: 0x0a,
  reject: 0x0b,
  status: 0x0c,
  // Version 2: compact blocks (wire-compact.ts).
  sendcmpct: 0x0d,
  cmpctblock: 0x0e,
  getblocktxn: 0x0f,
  blocktxn: 0x10,
});

type MessageOf<K extends WireMessageType> = Extract<WireMessage, { type: K }>;

/** How one message type's fields (everything after the tag) are written and read. */
interface MessageCodec<M extends WireMessage> {
  write(w: ByteWriter, message: M): void;
  read(r: ByteReader): M;
}

type CodecTable = { [K in WireMessageType]: MessageCodec<MessageOf<K>> };

const CODECS: CodecTable = {
  hello: {
    write(w, m) {
      w.u32(m.version);
      writeNetwork(w, m.network);
      writeNodeId(w, m.nodeId);
      writeHash(w, m.tip, 'tip');
      w.u32(m.height);
      writeU256(w, m.chainWork, 'chainWork');
      writeString(w, m.userAgent, MAX_USER_AGENT_BYTES, 'userAgent');
    },
    read: (r) => ({
      type: 'hello',
      version: r.u32('version'),
      network: readNetwork(r),
      nodeId: readNodeId(r),
      tip: readHash(r, 'tip'),
      height: r.u32('height'),
      chainWork: readU256(r, 'chain work'),
      userAgent: readString(r, MAX_USER_AGENT_BYTES, 'user agent'),
    }),
  },
  ping: {
    write: (w, m) => void w.u64(m.nonce),
    read: (r) => ({ type: 'ping', nonce: r.u64('nonce') }),
  },
  pong: {
    write: (w, m) => void w.u64(m.nonce),
    read: (r) => ({ type: 'pong', nonce: r.u64('nonce') }),
  },
  inv: {
    write: (w, m) => writeList(w, m.items, MAX_INV_ITEMS, 'inv items', writeInvItem),
    read: (r) => ({ type: 'inv', items: readList(r, MAX_INV_ITEMS, 'inv item', readInvItem) }),
  },
  getdata: {
    write: (w, m) => writeList(w, m.items, MAX_INV_ITEMS, 'getdata items', writeInvItem),
    read: (r) => ({
      type: 'getdata',
      items: readList(r, MAX_INV_ITEMS, 'getdata item', readInvItem),
    }),
  },
  notfound: {
    write: (w, m) => writeList(w, m.items, MAX_INV_ITEMS, 'notfound items', writeInvItem),
    read: (r) => ({
      type: 'notfound',
      items: readList(r, MAX_INV_ITEMS, 'notfound item', readInvItem),
    }),
  },
  tx: {
    write: (w, m) => writeTx(w, m.tx),
    read: (r) => ({ type: 'tx', tx: readTx(r) }),
  },
  block: {
    // The body is exactly encodeBlock, and decodeBlock (with its size limit) reads it back.
    write: (w, m) => void w.bytes(encodeBlock(m.block)),
    read(r) {
      const decoded = decodeBlock(r.bytes(r.remaining, 'block'));
      if (!decoded.ok) throw new MessageError(decoded.reason, decoded.message);
      return { type: 'block', block: decoded.value };
    },
  },
  getheaders: {
    write(w, m) {
      writeList(w, m.locator, MAX_LOCATOR_HASHES, 'locator', (w, hash) =>
        writeHash(w, hash, 'locator hash'),
      );
      writeHash(w, m.stop, 'stop');
    },
    read: (r) => ({
      type: 'getheaders',
      locator: readList(r, MAX_LOCATOR_HASHES, 'locator hash', (r) => readHash(r, 'locator hash')),
      stop: readHash(r, 'stop hash'),
    }),
  },
  headers: {
    write: (w, m) =>
      writeList(w, m.headers, MAX_HEADERS_PER_MESSAGE, 'headers', (w, header) =>
        w.bytes(encodeHeader(header)),
      ),
    read: (r) => ({
      type: 'headers',
      headers: readList(r, MAX_HEADERS_PER_MESSAGE, 'header', readHeader),
    }),
  },
  reject: {
    write(w, m) {
      writeString(w, m.message, MAX_REJECT_TEXT_BYTES, 'message');
      writeString(w, m.reason, MAX_REJECT_TEXT_BYTES, 'reason');
      writeHash(w, m.hash, 'hash');
      writeString(w, m.detail, MAX_REJECT_TEXT_BYTES, 'detail');
    },
    read: (r) => ({
      type: 'reject',
      message: readString(r, MAX_REJECT_TEXT_BYTES, 'rejected message type'),
      reason: readString(r, MAX_REJECT_TEXT_BYTES, 'reason'),
      hash: readHash(r, 'rejected hash'),
      detail: readString(r, MAX_REJECT_TEXT_BYTES, 'detail'),
    }),
  },
  // Optional, for the classroom view; its own u8 version lets newer bodies be ignored.
  status: { write: writeStatus, read: readStatus },
  sendcmpct: sendCmpctCodec,
  cmpctblock: cmpctBlockCodec,
  getblocktxn: getBlockTxnCodec,
  blocktxn: blockTxnCodec,
};

const TYPES_BY_TAG = new Map(
  Object.entries(WIRE_MESSAGE_TAGS).map(([type, tag]) => [tag, type as WireMessageType]),
);

function codecOf(type: WireMessageType): MessageCodec<WireMessage> {
  return CODECS[type] as MessageCodec<WireMessage>;
}

/**
 * The canonical bytes of `msg`. Throws `TypeError`/`RangeError` naming the field on a
 * programmer error (unknown type, a hash that is not 32 bytes, a list or string over its
 * limit, a result over MAX_MESSAGE_BYTES); invalid-by-consensus contents are encoded as given.
 *
 * @example encodeMessage({ type: 'ping', nonce: 1n }) // 02 0100000000000000
 */
export function encodeMessage(msg: WireMessage): Uint8Array {
  const type = (msg as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(WIRE_MESSAGE_TAGS, type)) {
    throw new TypeError(`msg.type is not a wire message type: ${String(type)}`);
  }
  const w = new ByteWriter(256);
  w.u8(WIRE_MESSAGE_TAGS[msg.type]);
  codecOf(msg.type).write(w, msg);
  const bytes = w.finish();
  if (bytes.length > MAX_MESSAGE_BYTES) {
    throw new RangeError(
      `${msg.type} message is ${bytes.length} bytes, limit ${MAX_MESSAGE_BYTES}`,
    );
  }
  return bytes;
}

function readMessage(r: ByteReader): WireMessage {
  const tag = r.u8('message type');
  const type = TYPES_BY_TAG.get(tag);
  if (type === undefined) throw new MessageError('bad-message-type', `unknown message type ${tag}`);
  return codecOf(type).read(r);
}

/**
 * Decode one whole message. Malformed input is a rejection, never an exception: reasons are
 * `bad-message-oversized` (over MAX_MESSAGE_BYTES), `bad-message-type` (unknown tag),
 * `bad-message-inv-kind`, `bad-message-utf8`, `bad-message-node-id`, the `bad-encoding-…`
 * reasons of `decodeAll` (truncated, oversized count or length, non-canonical varint,
 * trailing bytes) and `bad-blk-length` for a block body over MAX_BLOCK_BYTES.
 *
 * @example decodeMessage(encodeMessage(msg)) // { ok: true, value: <equal to msg> }
 */
export function decodeMessage(bytes: Uint8Array): Result<WireMessage> {
  if (bytes instanceof Uint8Array && bytes.length > MAX_MESSAGE_BYTES) {
    return reject(
      'bad-message-oversized',
      `message is ${bytes.length} bytes, limit ${MAX_MESSAGE_BYTES}`,
    );
  }
  try {
    return decodeAll(bytes, 'message', readMessage);
  } catch (err) {
    if (err instanceof MessageError) return reject(err.reason, `message: ${err.message}`);
    throw err;
  }
}
