/**
 * Compact block messages (docs/protocol.md, "Compact blocks"; after Bitcoin's BIP152), spoken
 * on links whose negotiated version is 2 or more: `sendcmpct`, `cmpctblock`, `getblocktxn`,
 * `blocktxn`. Short ids are 6 bytes little-endian; indexes of prefilled and requested
 * transactions travel differentially (each is the gap after the previous index), so they are
 * strictly increasing by construction. Every count is checked against MAX_COMPACT_TXS, and
 * every index against the block's size, before anything is allocated.
 */
import type { BlockHeader } from '../primitives/block.js';
import { encodeHeader, readHeader } from '../primitives/block.js';
import { MAX_BLOCK_BYTES, MIN_TX_BYTES } from '../primitives/constants.js';
import type { ByteReader, ByteWriter } from '../primitives/encoding.js';
import { readTx, writeTx, type Tx } from '../primitives/tx.js';
import { MessageError, readHash, readList, writeHash, writeList } from './wire-fields.js';

/** Transactions in one block at most (a block of MAX_BLOCK_BYTES of the smallest transactions). */
export const MAX_COMPACT_TXS = Math.floor(MAX_BLOCK_BYTES / MIN_TX_BYTES);
/** Bytes of a short transaction id. */
export const SHORT_ID_BYTES = 6;
/** The compact block encoding this node speaks (the `version` of `sendcmpct`; others are ignored). */
export const COMPACT_VERSION = 1n;

/** "Send me compact blocks": `highBandwidth` asks for them unsolicited (BIP152's announce flag). */
export interface SendCmpctMessage {
  type: 'sendcmpct';
  highBandwidth: boolean;
  /** Compact encoding version; only COMPACT_VERSION (1) is understood. */
  version: bigint;
}

export interface PrefilledTx {
  /** Position of the transaction in the block. */
  index: number;
  tx: Tx;
}

/** A block as its header, a nonce, the short ids of its transactions and a few whole ones. */
export interface CmpctBlockMessage {
  type: 'cmpctblock';
  header: BlockHeader;
  /** Mixed into the short-id key (a fresh one per block and sender). */
  nonce: bigint;
  /** Short ids (48-bit integers) of the transactions not prefilled, in block order. */
  shortIds: number[];
  /** Whole transactions (always the coinbase), by increasing index. */
  prefilled: PrefilledTx[];
}

/** "Send me these transactions of that block" (indexes strictly increasing). */
export interface GetBlockTxnMessage {
  type: 'getblocktxn';
  /** Block hash, internal byte order. */
  blockHash: Uint8Array;
  indexes: number[];
}

/** The answer to `getblocktxn`: exactly the requested transactions, in the requested order. */
export interface BlockTxnMessage {
  type: 'blocktxn';
  blockHash: Uint8Array;
  txs: Tx[];
}

export type CompactMessage =
  SendCmpctMessage | CmpctBlockMessage | GetBlockTxnMessage | BlockTxnMessage;

const SHORT_ID_LIMIT = 2 ** 48;

function writeShortId(w: ByteWriter, id: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= SHORT_ID_LIMIT) {
    throw new RangeError('short id must be an integer in [0, 2^48)');
  }
  const bytes = new Uint8Array(SHORT_ID_BYTES);
  let rest = id;
  for (let i = 0; i < SHORT_ID_BYTES; i++) {
    bytes[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  w.bytes(bytes);
}

function readShortId(r: ByteReader): number {
  const bytes = r.bytes(SHORT_ID_BYTES, 'short id');
  let id = 0;
  for (let i = SHORT_ID_BYTES - 1; i >= 0; i--) id = id * 256 + bytes[i]!;
  return id;
}

/** Absolute, strictly increasing indexes below `limit`, written as gaps. */
function writeIndexes(
  w: ByteWriter,
  indexes: readonly number[],
  limit: number,
  name: string,
): void {
  let next = 0;
  for (const index of indexes) {
    if (!Number.isInteger(index) || index < next || index >= limit) {
      throw new RangeError(`${name}: index ${index} is not increasing and below ${limit}`);
    }
    w.varint(index - next);
    next = index + 1;
  }
}

/** Read one gap and return the absolute index, refusing any index at or past `limit`. */
function readIndex(r: ByteReader, next: number, limit: number, what: string): number {
  const index = next + r.varint(`${what} index`);
  if (index >= limit) {
    throw new MessageError('bad-message-compact', `${what} index ${index} is past ${limit - 1}`);
  }
  return index;
}

/** Prefilled transactions: each one's index gap, then the transaction. */
function writePrefilled(w: ByteWriter, prefilled: readonly PrefilledTx[], total: number): void {
  let next = 0;
  for (const { index, tx } of prefilled) {
    if (!Number.isInteger(index) || index < next || index >= total) {
      throw new RangeError(`prefilled: index ${index} is not increasing and below ${total}`);
    }
    w.varint(index - next);
    writeTx(w, tx);
    next = index + 1;
  }
}

export const sendCmpctCodec = {
  write(w: ByteWriter, m: SendCmpctMessage): void {
    w.u8(m.highBandwidth ? 1 : 0).u64(m.version);
  },
  read(r: ByteReader): SendCmpctMessage {
    const flag = r.u8('high-bandwidth flag');
    if (flag > 1)
      throw new MessageError('bad-message-compact', `sendcmpct flag ${flag}, not 0 or 1`);
    return { type: 'sendcmpct', highBandwidth: flag === 1, version: r.u64('compact version') };
  },
};

export const cmpctBlockCodec = {
  write(w: ByteWriter, m: CmpctBlockMessage): void {
    const total = m.shortIds.length + m.prefilled.length;
    if (total > MAX_COMPACT_TXS) throw new RangeError(`cmpctblock: ${total} transactions`);
    w.bytes(encodeHeader(m.header)).u64(m.nonce);
    writeList(w, m.shortIds, MAX_COMPACT_TXS, 'short ids', writeShortId);
    w.varint(m.prefilled.length);
    writePrefilled(w, m.prefilled, total);
  },
  read(r: ByteReader): CmpctBlockMessage {
    const header = readHeader(r);
    const nonce = r.u64('nonce');
    const shortIds = readList(r, MAX_COMPACT_TXS, 'short id', readShortId);
    const count = r.count(MAX_COMPACT_TXS - shortIds.length, 'prefilled count');
    const total = shortIds.length + count;
    const prefilled: PrefilledTx[] = [];
    let next = 0;
    for (let i = 0; i < count; i++) {
      const index = readIndex(r, next, total, 'prefilled');
      prefilled.push({ index, tx: readTx(r) });
      next = index + 1;
    }
    return { type: 'cmpctblock', header, nonce, shortIds, prefilled };
  },
};

export const getBlockTxnCodec = {
  write(w: ByteWriter, m: GetBlockTxnMessage): void {
    writeHash(w, m.blockHash, 'blockHash');
    if (m.indexes.length > MAX_COMPACT_TXS) throw new RangeError('getblocktxn: too many indexes');
    w.varint(m.indexes.length);
    writeIndexes(w, m.indexes, MAX_COMPACT_TXS, 'getblocktxn');
  },
  read(r: ByteReader): GetBlockTxnMessage {
    const blockHash = readHash(r, 'block hash');
    const count = r.count(MAX_COMPACT_TXS, 'index count');
    const indexes: number[] = [];
    let next = 0;
    for (let i = 0; i < count; i++) {
      const index = readIndex(r, next, MAX_COMPACT_TXS, 'requested');
      indexes.push(index);
      next = index + 1;
    }
    return { type: 'getblocktxn', blockHash, indexes };
  },
};

export const blockTxnCodec = {
  write(w: ByteWriter, m: BlockTxnMessage): void {
    writeHash(w, m.blockHash, 'blockHash');
    writeList(w, m.txs, MAX_COMPACT_TXS, 'blocktxn txs', writeTx);
  },
  read: (r: ByteReader): BlockTxnMessage => ({
    type: 'blocktxn',
    blockHash: readHash(r, 'block hash'),
    txs: readList(r, MAX_COMPACT_TXS, 'blocktxn tx', readTx),
  }),
};
