/**
 * The mempool: valid unconfirmed transactions waiting for a block. One spender per outpoint
 * (a double spend of a pending coin is refused, unlike SavjeeCoin), chains of unconfirmed
 * transactions allowed, ordered by fee rate, size-capped with lowest-fee-rate eviction, and
 * expiry. Callers serialise `accept` with chain updates (see NodeState).
 */
import { reject, type Result } from '../primitives/result.js';
import type { SignatureCache } from '../consensus/sig-cache.js';
import {
  checkTxAmounts,
  checkTxSanity,
  checkTxSignatures,
  isFinalTx,
} from '../consensus/tx-checks.js';
import {
  isCoinbase,
  outpointKey,
  splitOutpointKey,
  txidHex,
  txSize,
  wtxid,
  type Tx,
} from '../primitives/tx.js';
import { coinFromOutput, MapCoinView, type Coin } from '../consensus/utxo.js';
import type { Block } from '../primitives/block.js';

/** Policy limits (not consensus: another node may choose other values). */
export const MAX_STANDARD_TX_BYTES = 100_000;
export const DEFAULT_MEMPOOL_BYTES = 5_000_000;
export const DEFAULT_MEMPOOL_EXPIRY_SECONDS = 6 * 60 * 60;
/** Minimum relay fee rate, base units per byte. */
export const DEFAULT_MIN_FEE_RATE = 1n;

export interface MempoolEntry {
  readonly tx: Tx;
  /** Display txid. */
  readonly id: string;
  readonly fee: bigint;
  readonly size: number;
  /** Base units per byte. */
  readonly feeRate: number;
  /** When it entered (node clock, seconds). */
  readonly time: number;
  /** Arrival order, for stable iteration. */
  readonly sequence: number;
  /** Outpoint keys it spends. */
  readonly spends: readonly string[];
}

/** What the mempool needs to know about the chain it sits on. */
export interface MempoolChainView {
  getCoins(keys: readonly string[]): Promise<(Coin | undefined)[]>;
  /** Height of the current tip (the transaction would be mined at height + 1). */
  height: number;
  medianTimePast: number;
  sigCache: SignatureCache;
  /** The network's genesis block hash (internal order): signatures commit to it. */
  genesisHash: Uint8Array;
}

export interface MempoolOptions {
  maxBytes?: number;
  expirySeconds?: number;
  minFeeRate?: bigint;
}

export class Mempool {
  private readonly pool = new Map<string, MempoolEntry>();
  /** Every transaction object admitted so far (held weakly): see `admitted`. */
  private readonly admittedTxs = new WeakSet<Tx>();
  private readonly spenders = new Map<string, string>();
  private totalBytes = 0;
  private nextSequence = 0;
  readonly maxBytes: number;
  readonly expirySeconds: number;
  readonly minFeeRate: bigint;

  constructor(options: MempoolOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MEMPOOL_BYTES;
    this.expirySeconds = options.expirySeconds ?? DEFAULT_MEMPOOL_EXPIRY_SECONDS;
    this.minFeeRate = options.minFeeRate ?? DEFAULT_MIN_FEE_RATE;
  }

  get size(): number {
    return this.pool.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  has(id: string): boolean {
    return this.pool.has(id);
  }

  get(id: string): MempoolEntry | undefined {
    return this.pool.get(id);
  }

  /**
   * Whether this very object entered the pool, having passed every check, its signatures
   * included (so they are in the signature cache unless it evicted them). Identity, not txid:
   * a transaction with the same txid and another witness was not checked.
   */
  admitted(tx: Tx): boolean {
    return this.admittedTxs.has(tx);
  }

  /** Entries in arrival order. */
  entries(): MempoolEntry[] {
    return [...this.pool.values()];
  }

  /** Entries by fee rate, highest first (ties: earliest first). */
  byFeeRate(): MempoolEntry[] {
    return this.entries().sort((a, b) => b.feeRate - a.feeRate || a.sequence - b.sequence);
  }

  /** Id of the pool transaction spending `key`, if any. */
  spenderOf(key: string): string | undefined {
    return this.spenders.get(key);
  }

  /** In-pool transactions whose outputs `entry` spends. */
  parentsOf(entry: MempoolEntry): MempoolEntry[] {
    const parents = new Map<string, MempoolEntry>();
    for (const key of entry.spends) {
      const parent = this.pool.get(splitOutpointKey(key).txid);
      if (parent) parents.set(parent.id, parent);
    }
    return [...parents.values()];
  }

  /** `entry` and every in-pool transaction that spends its outputs, transitively. */
  private withDescendants(entry: MempoolEntry): MempoolEntry[] {
    const found = new Map<string, MempoolEntry>([[entry.id, entry]]);
    const queue = [entry];
    while (queue.length > 0) {
      const current = queue.shift()!;
      current.tx.outputs.forEach((_, vout) => {
        const child = this.spenders.get(`${current.id}:${vout}`);
        const childEntry = child ? this.pool.get(child) : undefined;
        if (childEntry && !found.has(childEntry.id)) {
          found.set(childEntry.id, childEntry);
          queue.push(childEntry);
        }
      });
    }
    return [...found.values()];
  }

  /** Validate `tx` against the chain and the pool and add it. */
  async accept(tx: Tx, chain: MempoolChainView, now: number): Promise<Result<MempoolEntry>> {
    const sane = checkTxSanity(tx);
    if (!sane.ok) return sane;
    if (isCoinbase(tx))
      return reject('coinbase', 'a coinbase is only valid as the first tx of a block');
    const id = txidHex(tx);
    if (this.pool.has(id))
      return reject('txn-already-in-mempool', `tx ${id} is already pending`, 'duplicate');
    // The wtxid now, while the transaction waits (it encodes the transaction once for the size
    // too): a compact block's short ids need it, and a block's merkle root, when the block
    // comes and every millisecond counts (docs/architecture.md, "Work at admission").
    wtxid(tx);
    const size = txSize(tx);
    if (size > MAX_STANDARD_TX_BYTES) {
      return reject(
        'tx-size',
        `tx is ${size} bytes, relay limit ${MAX_STANDARD_TX_BYTES}`,
        'policy',
      );
    }
    const spends = tx.inputs.map((input) => outpointKey(input.prevout));
    for (const key of spends) {
      const other = this.spenders.get(key);
      if (other) {
        return reject(
          'txn-mempool-conflict',
          `output ${key} is already spent by pending tx ${other}`,
          'policy',
        );
      }
    }
    if (!isFinalTx(tx, chain.height + 1, chain.medianTimePast)) {
      return reject('non-final', `tx is locked until ${tx.lockTime}`, 'policy');
    }
    const view = await this.coinView(spends, chain);
    const checked = checkTxAmounts(tx, view, {
      spendHeight: chain.height + 1,
      missingReason: 'missing-inputs',
    });
    if (!checked.ok) return checked;
    const fee = checked.value.fee;
    // Policy before signatures: a refusal here costs the sender nothing (score 0, as in
    // Bitcoin Core), so it must cost us next to nothing too. Signatures are the expensive part.
    if (fee < this.minFeeRate * BigInt(size)) {
      return reject(
        'min-relay-fee-not-met',
        `fee ${fee} is below ${this.minFeeRate * BigInt(size)} (${this.minFeeRate}/byte)`,
        'policy',
      );
    }
    const feeRate = Number(fee) / size;
    if (this.wouldBeEvictedFirst(size, feeRate)) return this.fullRejection(feeRate);
    const signed = checkTxSignatures(tx, checked.value.coins, chain.sigCache, chain.genesisHash);
    if (!signed.ok) return signed;
    const entry: MempoolEntry = {
      tx,
      id,
      fee,
      size,
      feeRate,
      time: now,
      sequence: this.nextSequence++,
      spends,
    };
    this.insert(entry);
    this.trimToSize();
    if (!this.pool.has(id)) return this.fullRejection(feeRate);
    return { ok: true, value: entry };
  }

  /**
   * True when adding `size` bytes overflows the pool and a transaction at `feeRate` would be
   * the first evicted (the lowest fee rate goes first; on a tie, the newest).
   */
  private wouldBeEvictedFirst(size: number, feeRate: number): boolean {
    if (this.totalBytes + size <= this.maxBytes) return false;
    for (const e of this.pool.values()) if (e.feeRate < feeRate) return false;
    return true;
  }

  private fullRejection(feeRate: number): Result<MempoolEntry> {
    return reject(
      'mempool-full',
      `mempool is full and fee rate ${feeRate.toFixed(2)}/byte is too low`,
      'policy',
    );
  }

  private async coinView(spends: readonly string[], chain: MempoolChainView): Promise<MapCoinView> {
    const view = new MapCoinView();
    const fromChain: string[] = [];
    for (const key of spends) {
      const { txid: parentId, vout } = splitOutpointKey(key);
      const output = this.pool.get(parentId)?.tx.outputs[vout];
      if (output) view.coins.set(key, coinFromOutput(output, chain.height + 1, false));
      else fromChain.push(key);
    }
    const coins = await chain.getCoins(fromChain);
    fromChain.forEach((key, i) => {
      const coin = coins[i];
      if (coin) view.coins.set(key, coin);
    });
    return view;
  }

  private insert(entry: MempoolEntry): void {
    this.pool.set(entry.id, entry);
    this.admittedTxs.add(entry.tx);
    for (const key of entry.spends) this.spenders.set(key, entry.id);
    this.totalBytes += entry.size;
  }

  private delete(entry: MempoolEntry): void {
    if (!this.pool.delete(entry.id)) return;
    for (const key of entry.spends) {
      if (this.spenders.get(key) === entry.id) this.spenders.delete(key);
    }
    this.totalBytes -= entry.size;
  }

  /** Remove `id` and everything that spends its outputs; returns what was removed. */
  remove(id: string): MempoolEntry[] {
    const entry = this.pool.get(id);
    if (!entry) return [];
    const removed = this.withDescendants(entry);
    for (const e of removed) this.delete(e);
    return removed;
  }

  /** Evict lowest-fee-rate transactions (with their descendants) until under `maxBytes`. */
  private trimToSize(): void {
    while (this.totalBytes > this.maxBytes) {
      let worst: MempoolEntry | undefined;
      for (const e of this.pool.values()) {
        if (
          !worst ||
          e.feeRate < worst.feeRate ||
          (e.feeRate === worst.feeRate && e.sequence > worst.sequence)
        ) {
          worst = e;
        }
      }
      if (!worst) return;
      this.remove(worst.id);
    }
  }

  /** Drop transactions older than the expiry (with descendants); returns them. */
  expire(now: number): MempoolEntry[] {
    const removed: MempoolEntry[] = [];
    for (const entry of this.entries()) {
      if (this.pool.has(entry.id) && now - entry.time > this.expirySeconds)
        removed.push(...this.remove(entry.id));
    }
    return removed;
  }

  /**
   * A block was connected: drop what it confirmed, and every pending transaction that
   * conflicts with it (spends the same outputs) together with their descendants.
   */
  removeForBlock(block: Block): { confirmed: MempoolEntry[]; conflicts: MempoolEntry[] } {
    const confirmed: MempoolEntry[] = [];
    const conflicts: MempoolEntry[] = [];
    for (const tx of block.txs.slice(1)) {
      const entry = this.pool.get(txidHex(tx));
      if (entry) {
        this.delete(entry);
        confirmed.push(entry);
      }
    }
    for (const tx of block.txs.slice(1)) {
      for (const input of tx.inputs) {
        const spender = this.spenders.get(outpointKey(input.prevout));
        if (spender) conflicts.push(...this.remove(spender));
      }
    }
    return { confirmed, conflicts };
  }

  /** Remove everything (before re-adding after a reorg); returns the transactions in arrival order. */
  clear(): Tx[] {
    const txs = this.entries().map((e) => e.tx);
    this.pool.clear();
    this.spenders.clear();
    this.totalBytes = 0;
    return txs;
  }
}
