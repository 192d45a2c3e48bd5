/**
 * The sending side of compact block relay (docs/protocol.md, "Compact blocks"): a block's
 * compact form for one peer (short ids; the coinbase and up to 10 KB of transactions the peer
 * was never told about prefilled), sent to high-bandwidth peers before validation once the
 * header and merkle commitment are checked, or in answer to `getdata` kind `cmpct`; and the
 * answers to `getblocktxn` from the last few such blocks.
 */
import {
  blockMerkle,
  compactBlockOf,
  equalBytes,
  hasData,
  hashToHex,
  headerEntry,
  headerId,
  reject,
  shortIdsOf,
  txidHex,
  txSize,
  type Block,
  type BlockEntry,
  type CmpctBlockMessage,
  type NodeState,
  type Rejection,
  type Tx,
} from '../../core/index.js';
import { blockKey, txKey, type RefusedEvent } from './p2p-types.js';
import type { Peer } from './peer.js';

/** Transactions prefilled beyond the coinbase, in bytes (BIP152's recommended 10 KB). */
export const MAX_PREFILL_BYTES = 10_000;
/** Blocks kept in memory to answer `getblocktxn` (the ones we sent as compact blocks). */
export const RECENT_COMPACT_BLOCKS = 8;
/** `getblocktxn` is answered for active blocks at most this deep; deeper ones get `notfound`. */
export const MAX_BLOCKTXN_DEPTH = 10;

export interface CompactSenderHost {
  readonly state: NodeState;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Uniform in [0, 1): the short-id nonces. */
  random(): number;
  penalise(peer: Peer, rejection: Rejection, kind: RefusedEvent['kind'], id?: string): void;
}

export class CompactSender {
  /** The last blocks sent compactly, and the peers each was sent to unsolicited (`relay`). */
  private readonly recent = new Map<string, { block: Block; pushedTo: Peer[] }>();
  /** Blocks whose header and merkle commitment were checked (a rebuilt block is). */
  readonly checked = new WeakSet<Block>();

  constructor(private readonly host: CompactSenderHost) {}

  /**
   * Send `block` (id `id`) as a compact block to `targets`, if its header is valid (proof of
   * work, difficulty, time), makes it our new best block and the body commits to it.
   */
  relay(block: Block, id: string, targets: readonly Peer[]): void {
    if (!this.isWorthRelaying(block, id)) return;
    this.remember(id, block, targets);
    const nonce = this.nonce();
    // One nonce for every target, so the short ids are computed once (as Bitcoin Core does).
    const ids = shortIdsOf(block, nonce);
    for (const peer of targets) {
      peer.known.add(blockKey(id));
      peer.send(this.compactFor(peer, block, nonce, ids));
    }
  }

  /**
   * Block `entry` joined our active chain: the peers we sent it to unsolicited have it now
   * (one that cannot rebuild it asks us for it whole), though they will never announce it back
   * (they know we have it). As for a block a peer asked us for (serve.ts): without this, a
   * miner's peers would keep showing their hello height.
   */
  accepted(entry: BlockEntry): void {
    const sent = this.recent.get(entry.id);
    const peers = sent?.pushedTo ?? [];
    if (sent) sent.pushedTo = [];
    for (const peer of peers) {
      if (peer.state === 'closed') continue;
      if (!peer.bestAnnounced || entry.chainWork > peer.bestAnnounced.chainWork)
        peer.bestAnnounced = entry;
    }
  }

  /** Answer `getdata` kind `cmpct` for a recent active block; false: send it whole. */
  serve(peer: Peer, block: Block): boolean {
    const { chain } = this.host.state;
    const entry = chain.getEntry(headerId(block.header));
    if (!entry || !chain.isActive(entry)) return false;
    if (chain.tip.height - entry.height > MAX_BLOCKTXN_DEPTH) return false;
    this.remember(entry.id, block);
    peer.send(this.compactFor(peer, block, this.nonce()));
    return true;
  }

  private nonce(): bigint {
    const word = () => BigInt(Math.floor(this.host.random() * 2 ** 32));
    return (word() << 32n) | word();
  }

  private remember(id: string, block: Block, pushedTo: readonly Peer[] = []): void {
    const before = this.recent.get(id)?.pushedTo ?? [];
    this.recent.delete(id);
    this.recent.set(id, { block, pushedTo: [...before, ...pushedTo] });
    if (this.recent.size > RECENT_COMPACT_BLOCKS)
      this.recent.delete(this.recent.keys().next().value!);
  }

  /** Header valid on a known parent, more work than our tip, and the body commits to it. */
  private isWorthRelaying(block: Block, id: string): boolean {
    const { chain, params } = this.host.state;
    let entry: BlockEntry | undefined = chain.getEntry(id);
    if (entry?.status === 'invalid') return false;
    if (!entry) {
      const parent = chain.getEntry(hashToHex(block.header.prevHash));
      const nowSeconds = Math.floor(this.host.now() / 1000);
      const checked = headerEntry(block.header, id, parent, params, nowSeconds, 0);
      if (!checked.ok) return false;
      entry = checked.value;
    }
    // Only a new best block: never blocks of a sync, nor a side branch.
    if (entry.chainWork <= chain.tip.chainWork) return false;
    if (entry.chainWork < chain.bestHeader.chainWork) return false;
    if (this.checked.has(block)) return true;
    const { root, mutated } = blockMerkle(block.txs);
    return !mutated && equalBytes(root, block.header.merkleRoot);
  }

  /** `block` for `peer`: short ids, with the coinbase and what it likely lacks prefilled. */
  private compactFor(
    peer: Peer,
    block: Block,
    nonce: bigint,
    ids?: readonly number[],
  ): CmpctBlockMessage {
    let budget = MAX_PREFILL_BYTES;
    const prefill = (tx: Tx) => {
      // A transaction it announced to us or we to it, it has; the others it may lack.
      if (peer.known.has(txKey(txidHex(tx)))) return false;
      budget -= txSize(tx);
      return budget >= 0;
    };
    return compactBlockOf(block, nonce, prefill, ids);
  }

  /** Answer `getblocktxn`: the transactions at `indexes` of a recent block, in order. */
  async getBlockTxn(peer: Peer, hash: Uint8Array, indexes: readonly number[]): Promise<void> {
    const id = hashToHex(hash);
    const { chain } = this.host.state;
    let block = this.recent.get(id)?.block;
    if (!block) {
      const entry = chain.getEntry(id);
      const near =
        entry && chain.isActive(entry) && chain.tip.height - entry.height <= MAX_BLOCKTXN_DEPTH;
      if (near && hasData(entry)) block = await chain.getBlock(id);
    }
    if (peer.state === 'closed') return;
    if (!block) {
      peer.send({ type: 'notfound', items: [{ kind: 'block', hash }] });
      return;
    }
    const count = block.txs.length;
    if (indexes.some((i) => i >= count)) {
      const why = `asked for transaction ${indexes[indexes.length - 1]} of a block of ${count}`;
      this.host.penalise(peer, reject('bad-getblocktxn', why), 'message', id);
      return;
    }
    peer.send({ type: 'blocktxn', blockHash: hash, txs: indexes.map((i) => block.txs[i]!) });
  }
}
