/**
 * Compact blocks as data (docs/protocol.md, "Compact blocks"; BIP152's scheme over our header
 * codec): the per-block short-id key, a block's compact form, and its reconstruction from the
 * transactions a node already holds. Pure: the caller supplies the nonce and the candidate
 * transactions (mempool and a small extra pool), and decides what a failure costs.
 *
 * Short id of a transaction: SipHash-2-4 of its wtxid (the id the merkle root commits to),
 * keyed with the first 16 bytes of SHA-256(80-byte header || nonce as u64 LE), k0 and k1 read
 * little-endian; the low 48 bits of the result.
 */
import { equalBytes } from '../primitives/bytes.js';
import { blockMerkle, encodeHeader, type Block, type BlockHeader } from '../primitives/block.js';
import { ByteWriter } from '../primitives/encoding.js';
import { sha256 } from '../primitives/hash.js';
import { sipKey, siphash24Halves, type SipKey } from '../primitives/siphash.js';
import { wtxid, type Tx } from '../primitives/tx.js';
import type { CmpctBlockMessage, PrefilledTx } from './wire-compact.js';

/** The SipHash key of the short ids of the block with `header`, sent with `nonce`. */
export function shortIdKey(header: BlockHeader, nonce: bigint): SipKey {
  const bytes = new ByteWriter(88).bytes(encodeHeader(header)).u64(nonce).finish();
  return sipKey(sha256(bytes).subarray(0, 16));
}

/** The 48-bit short id of a transaction with this wtxid (internal byte order). */
export function shortId(key: SipKey, txWtxid: Uint8Array): number {
  const [hi, lo] = siphash24Halves(key, txWtxid);
  return (hi & 0xffff) * 2 ** 32 + lo;
}

/** The short id of each transaction of `block` under `nonce`, in block order (coinbase too). */
export function shortIdsOf(block: Block, nonce: bigint): number[] {
  const key = shortIdKey(block.header, nonce);
  return block.txs.map((tx) => shortId(key, wtxid(tx)));
}

/**
 * The compact form of `block` for one peer: every transaction for which `prefill(tx, index)`
 * is true travels whole, the coinbase always; the others as short ids. `ids`: the block's
 * `shortIdsOf` under `nonce`, computed once when the block goes to several peers.
 */
export function compactBlockOf(
  block: Block,
  nonce: bigint,
  prefill: (tx: Tx, index: number) => boolean = () => false,
  ids: readonly number[] = shortIdsOf(block, nonce),
): CmpctBlockMessage {
  if (ids.length !== block.txs.length)
    throw new RangeError(`${ids.length} short ids for a block of ${block.txs.length}`);
  const shortIds: number[] = [];
  const prefilled: PrefilledTx[] = [];
  block.txs.forEach((tx, index) => {
    if (index === 0 || prefill(tx, index)) prefilled.push({ index, tx });
    else shortIds.push(ids[index]!);
  });
  return { type: 'cmpctblock', header: block.header, nonce, shortIds, prefilled };
}

/** Why a reconstruction could not finish; `provable` when the sender alone is to blame. */
export interface ReconstructionFailure {
  ok: false;
  reason: string;
  message: string;
  /** True only when every transaction came from the sender (no short-id collision possible). */
  provable: boolean;
}

export type Reconstruction =
  | { ok: true; block: Block }
  | { ok: true; block: undefined; missing: number[] }
  | ReconstructionFailure;

/** True when `txs` commit to the header's merkle root without a mutated (duplicated) tree. */
function commitsToHeader(header: BlockHeader, txs: readonly Tx[]): boolean {
  const { root, mutated } = blockMerkle(txs);
  return !mutated && equalBytes(root, header.merkleRoot);
}

/**
 * A block being rebuilt from a `cmpctblock`: the slots filled from the message's prefilled
 * transactions and from the candidates whose short id matches exactly one slot; `missing` are
 * the slots to ask the sender for (`getblocktxn`), then `fill` completes it.
 */
export class PartialBlock {
  private readonly slots: (Tx | undefined)[];
  /** Slots filled from our own candidates rather than from the sender's messages. */
  private fromCandidates = 0;
  private missing: number[] = [];

  private constructor(
    readonly header: BlockHeader,
    total: number,
  ) {
    this.slots = new Array<Tx | undefined>(total).fill(undefined);
  }

  /**
   * Start from `message` and `candidates` (each transaction at most once per id is fine: a
   * candidate seen twice fills its slot once). Two candidates with one short id leave that slot
   * missing (it is asked for), as BIP152 says; two equal short ids in the message itself, or an
   * empty block, cannot be rebuilt (the caller fetches the whole block). `idOf` is the short-id
   * function (tests pass one that collides on purpose: real 48-bit collisions are too rare).
   */
  static start(
    message: CmpctBlockMessage,
    candidates: Iterable<Tx>,
    idOf: (key: SipKey, txWtxid: Uint8Array) => number = shortId,
  ): { partial: PartialBlock; result: Reconstruction } {
    const total = message.shortIds.length + message.prefilled.length;
    const partial = new PartialBlock(message.header, total);
    if (total === 0) {
      return {
        partial,
        result: fail('compact-empty', 'a compact block with no transaction', true),
      };
    }
    for (const { index, tx } of message.prefilled) partial.slots[index] = tx;
    const slotOf = new Map<number, number>();
    let next = 0;
    for (const id of message.shortIds) {
      while (partial.slots[next] !== undefined) next++;
      if (slotOf.has(id)) {
        const why = 'two transactions of the block share a short id';
        return { partial, result: fail('compact-short-id-collision', why, false) };
      }
      slotOf.set(id, next++);
    }
    const key = shortIdKey(message.header, message.nonce);
    const ambiguous = new Set<number>();
    for (const tx of candidates) {
      const slot = slotOf.get(idOf(key, wtxid(tx)));
      if (slot === undefined || ambiguous.has(slot)) continue;
      const held = partial.slots[slot];
      if (held === undefined) {
        partial.slots[slot] = tx;
        partial.fromCandidates++;
      } else if (!equalBytes(wtxid(held), wtxid(tx))) {
        // Two of our transactions match one short id: we cannot tell which; ask for it.
        partial.slots[slot] = undefined;
        partial.fromCandidates--;
        ambiguous.add(slot);
      }
    }
    partial.missing = partial.slots.flatMap((tx, i) => (tx === undefined ? [i] : []));
    return { partial, result: partial.missing.length > 0 ? partial.pending() : partial.finish() };
  }

  private pending(): Reconstruction {
    return { ok: true, block: undefined, missing: [...this.missing] };
  }

  /** The slots still missing, in block order (what `getblocktxn` asks for). */
  get missingIndexes(): readonly number[] {
    return this.missing;
  }

  /**
   * Complete the block with the sender's `blocktxn` answer. The wrong number of transactions is
   * provably the sender's fault; a block that does not commit to its header is the sender's
   * fault only when none of its transactions came from our candidates.
   */
  fill(txs: readonly Tx[]): Reconstruction {
    if (txs.length !== this.missing.length) {
      const why = `${txs.length} transactions for ${this.missing.length} requested`;
      return fail('bad-blocktxn', why, true);
    }
    this.missing.forEach((slot, i) => (this.slots[slot] = txs[i]));
    this.missing = [];
    return this.finish();
  }

  private finish(): Reconstruction {
    const txs = this.slots as Tx[];
    if (commitsToHeader(this.header, txs)) return { ok: true, block: { header: this.header, txs } };
    const provable = this.fromCandidates === 0;
    const why = provable
      ? "the sender's transactions do not match the header's merkle root"
      : 'the rebuilt block does not match its merkle root (a short-id collision, or a lie)';
    return fail('compact-merkle-mismatch', why, provable);
  }
}

function fail(reason: string, message: string, provable: boolean): ReconstructionFailure {
  return { ok: false, reason, message, provable };
}
