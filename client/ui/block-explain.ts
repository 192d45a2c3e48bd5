/**
 * Pure logic behind the block dialog's explainers (no DOM): the coinbase explained, and
 * "tamper with history" — a transaction of a block edited on a copy, with every hash that
 * depends on it recomputed by core functions. Nothing here sends or stores anything.
 */
import {
  COINBASE_MATURITY,
  blockMerkle,
  blockSubsidy,
  checkProofOfWork,
  encodeHeader,
  equalBytes,
  hashToHex,
  headerHash,
  merkleLevels,
  txid,
  wtxid,
  type Block,
  type BlockHeader,
  type ChainParams,
  type Tx,
} from '../../core/index.js';

export interface CoinbaseExplained {
  /** New coins this height may create. */
  subsidy: bigint;
  /** What the coinbase claims beyond the subsidy: the fees of the block's transactions. */
  fees: bigint;
  /** Sum of the coinbase outputs. */
  paid: bigint;
  /** First height whose block may spend the coinbase. */
  spendableAt: number;
  /** Blocks still to be mined before a transaction spending it can be mined (0: now). */
  blocksLeft: number;
}

export function explainCoinbase(
  block: Block,
  height: number,
  tipHeight: number,
  params: ChainParams,
): CoinbaseExplained {
  const subsidy = blockSubsidy(height, params);
  const paid = block.txs[0]?.outputs.reduce((s, o) => s + o.amount, 0n) ?? 0n;
  const spendableAt = height + COINBASE_MATURITY;
  return {
    subsidy,
    fees: paid > subsidy ? paid - subsidy : 0n,
    paid,
    spendableAt,
    blocksLeft: Math.max(0, spendableAt - (tipHeight + 1)),
  };
}

/** One output of one transaction edited: a new amount and/or a new recipient key. */
export interface TamperEdit {
  tx: number;
  output: number;
  amount?: bigint;
  pubkey?: Uint8Array;
}

/** A hash before and after the edit (display hex). */
export interface HashChange {
  before: string;
  after: string;
  changed: boolean;
}

const change = (a: Uint8Array, b: Uint8Array): HashChange => ({
  before: hashToHex(a),
  after: hashToHex(b),
  changed: !equalBytes(a, b),
});

/** A block after the tampered one, and whether its prev-hash still names its parent. */
export interface FollowingLink {
  height: number;
  /** Its real hash. */
  id: string;
  /** Its prev-hash, as it was mined. */
  prevHash: string;
  /** The parent it would now need (the tampered block, or the re-linked one before it). */
  parentHash: string;
  /** False when prevHash no longer names the (changed) parent: the link is broken. */
  linked: boolean;
  /** Its hash if it were re-pointed at that parent, and whether that still meets its target. */
  relinked: HashChange;
  relinkedPow: boolean;
}

export interface Tampered {
  /** The edited transactions under a header with the recomputed merkle root. */
  block: Block;
  /** The edited transactions under the original header (what "send it" sends). */
  underOriginalHeader: Block;
  txid: HashChange;
  wtxid: HashChange;
  /** Txids of the other transactions, before and after (all unchanged). */
  otherTxids: HashChange[];
  /** Merkle tree nodes, level by level (leaves first), before vs after. */
  tree: HashChange[][];
  merkleRoot: HashChange;
  blockHash: HashChange;
  pow: { before: boolean; after: boolean };
  following: FollowingLink[];
}

function editTx(tx: Tx, edit: TamperEdit): Tx {
  if (edit.output < 0 || edit.output >= tx.outputs.length) {
    throw new RangeError(`output ${edit.output} outside the transaction`);
  }
  return {
    ...tx,
    outputs: tx.outputs.map((o, i) =>
      i === edit.output ? { amount: edit.amount ?? o.amount, pubkey: edit.pubkey ?? o.pubkey } : o,
    ),
  };
}

/**
 * Apply `edit` to a copy of `block` (at `height`) and recompute what depends on it: the
 * transaction's txid and wtxid, the merkle tree and root, the header's hash and proof of work,
 * and the links of `following` (the headers after it on the chain, in order). A following
 * block re-pointed at its changed parent changes hash too, so every later link breaks.
 */
export function tamperBlock(
  block: Block,
  height: number,
  edit: TamperEdit,
  following: readonly BlockHeader[],
): Tampered {
  const original = block.txs[edit.tx];
  if (!original) throw new RangeError(`transaction ${edit.tx} outside the block`);
  const edited = editTx(original, edit);
  const txs = block.txs.map((tx, i) => (i === edit.tx ? edited : tx));
  const header: BlockHeader = { ...block.header, merkleRoot: blockMerkle(txs).root };
  const before = merkleLevels(block.txs.map(wtxid));
  const after = merkleLevels(txs.map(wtxid));
  const links: FollowingLink[] = [];
  let parentBefore = headerHash(block.header);
  let parentAfter = headerHash(header);
  following.forEach((next, i) => {
    if (!equalBytes(next.prevHash, parentBefore))
      throw new RangeError('following headers do not chain');
    const relinked: BlockHeader = { ...next, prevHash: parentAfter };
    const relinkedHash = headerHash(relinked);
    links.push({
      height: height + 1 + i,
      id: hashToHex(headerHash(next)),
      prevHash: hashToHex(next.prevHash),
      parentHash: hashToHex(parentAfter),
      linked: equalBytes(next.prevHash, parentAfter),
      relinked: change(headerHash(next), relinkedHash),
      relinkedPow: checkProofOfWork(encodeHeader(relinked)),
    });
    if (!equalBytes(next.prevHash, parentBefore))
      throw new RangeError('following headers do not chain');
    parentBefore = headerHash(next);
    parentAfter = relinkedHash;
  });
  return {
    block: { header, txs },
    underOriginalHeader: { header: block.header, txs },
    txid: change(txid(original), txid(edited)),
    wtxid: change(wtxid(original), wtxid(edited)),
    otherTxids: block.txs.flatMap((tx, i) =>
      i === edit.tx ? [] : [change(txid(tx), txid(txs[i]!))],
    ),
    tree: before.map((level, l) => level.map((node, n) => change(node, after[l]![n]!))),
    merkleRoot: change(block.header.merkleRoot, header.merkleRoot),
    blockHash: change(headerHash(block.header), headerHash(header)),
    pow: {
      before: checkProofOfWork(encodeHeader(block.header)),
      after: checkProofOfWork(encodeHeader(header)),
    },
    following: links,
  };
}
