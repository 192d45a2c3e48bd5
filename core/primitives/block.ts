/**
 * Blocks: Bitcoin's exact 80-byte header (so real Bitcoin headers hash and validate here) and
 * the block codec (header, varint count, transactions).
 */
import { hashToHex } from './bytes.js';
import { HEADER_BYTES, MAX_BLOCK_BYTES, MIN_TX_BYTES } from './constants.js';
import { ByteReader, ByteWriter, decodeAll, varintSize } from './encoding.js';
import { sha256d } from './hash.js';
import { computeMerkleRoot, type MerkleResult } from './merkle.js';
import { reject, type Result } from './result.js';
import { readTx, txSize, writeTx, wtxid, type Tx } from './tx.js';

export interface BlockHeader {
  readonly version: number;
  /** Previous block hash, internal byte order. */
  readonly prevHash: Uint8Array;
  /** Merkle root of the block's wtxids, internal byte order. */
  readonly merkleRoot: Uint8Array;
  /** Seconds since the Unix epoch. */
  readonly time: number;
  /** Compact target. */
  readonly bits: number;
  readonly nonce: number;
}

export interface Block {
  readonly header: BlockHeader;
  readonly txs: readonly Tx[];
}

const MAX_BLOCK_TXS = Math.floor(MAX_BLOCK_BYTES / MIN_TX_BYTES);

export function encodeHeader(header: BlockHeader): Uint8Array {
  return new ByteWriter(HEADER_BYTES)
    .u32(header.version)
    .bytes(header.prevHash)
    .bytes(header.merkleRoot)
    .u32(header.time)
    .u32(header.bits)
    .u32(header.nonce)
    .finish();
}

export function readHeader(r: ByteReader): BlockHeader {
  return {
    version: r.u32('version'),
    prevHash: r.bytes(32, 'prev hash'),
    merkleRoot: r.bytes(32, 'merkle root'),
    time: r.u32('time'),
    bits: r.u32('bits'),
    nonce: r.u32('nonce'),
  };
}

export function decodeHeader(data: Uint8Array): Result<BlockHeader> {
  return decodeAll(data, 'header', readHeader);
}

/** Bitcoin-style display hash (byte-reversed hex) of an 80-byte header. */
export function blockHash(header: Uint8Array): string {
  if (!(header instanceof Uint8Array) || header.length !== HEADER_BYTES) {
    throw new RangeError(`header must be ${HEADER_BYTES} bytes`);
  }
  return hashToHex(sha256d(header));
}

const headerHashCache = new WeakMap<BlockHeader, Uint8Array>();

/** Hash of a header, internal byte order (cached per header object). */
export function headerHash(header: BlockHeader): Uint8Array {
  let hash = headerHashCache.get(header);
  if (!hash) {
    hash = sha256d(encodeHeader(header));
    headerHashCache.set(header, hash);
  }
  return hash;
}

/** Display hex hash of a header: the block's id everywhere in Tabcoin. */
export function headerId(header: BlockHeader): string {
  return hashToHex(headerHash(header));
}

export function encodeBlock(block: Block): Uint8Array {
  const w = new ByteWriter(1024);
  w.bytes(encodeHeader(block.header)).varint(block.txs.length);
  for (const tx of block.txs) writeTx(w, tx);
  return w.finish();
}

/** Decode a block; input over MAX_BLOCK_BYTES is refused before parsing (`bad-blk-length`). */
export function decodeBlock(data: Uint8Array): Result<Block> {
  if (data instanceof Uint8Array && data.length > MAX_BLOCK_BYTES) {
    return reject('bad-blk-length', `block is ${data.length} bytes, limit ${MAX_BLOCK_BYTES}`);
  }
  return decodeAll(data, 'block', (r) => {
    const header = readHeader(r);
    const count = r.count(MAX_BLOCK_TXS, 'tx count');
    const txs: Tx[] = [];
    for (let i = 0; i < count; i++) txs.push(readTx(r));
    return { header, txs };
  });
}

/**
 * The last `blockMerkle` of each transaction list, with the transactions it was computed from.
 * One block's root is asked for several times on its way in (the compact rebuild, the early
 * relay's commitment check, validation; the miner's template, then validation): each list is
 * hashed once. The answer is reused only while the list still holds the very same transaction
 * objects in the same order, which are immutable like their cached ids (`tx.ts`), so a list
 * changed after its root was taken is hashed again. Held weakly: it goes with its list.
 */
const merkleOfList = new WeakMap<readonly Tx[], { txs: Tx[]; result: MerkleResult }>();

/** Merkle root (and mutation flag) of a block's transactions, committing to their wtxids. */
export function blockMerkle(txs: readonly Tx[]): MerkleResult {
  const known = merkleOfList.get(txs);
  if (known && sameTxs(known.txs, txs)) return copyOf(known.result);
  const result = computeMerkleRoot(txs.map(wtxid));
  merkleOfList.set(txs, { txs: [...txs], result: copyOf(result) });
  return result;
}

/** Callers own what they get: a root they change in place does not change the cached one. */
const copyOf = (r: MerkleResult): MerkleResult => ({ root: r.root.slice(), mutated: r.mutated });

function sameTxs(a: readonly Tx[], b: readonly Tx[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Serialized size in bytes (from cached transaction sizes; no re-encoding). */
export function blockSize(block: Block): number {
  let size = HEADER_BYTES + varintSize(block.txs.length);
  for (const tx of block.txs) size += txSize(tx);
  return size;
}
