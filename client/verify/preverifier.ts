/**
 * Parallel signature verification ahead of the serial block connect (Bitcoin Core's check
 * queue, arranged so that core stays the one source of truth): the pool verifies a block's
 * signatures and puts the valid ones in core's `SignatureCache`; then the unchanged connect
 * runs and finds them there. A signature the pool did not call valid is verified again by the
 * connect, which gives the verdict and its reason exactly as without workers. Without a pool
 * (no Worker here) nothing is preverified and the connect does all the work, as before.
 *
 * Blocks keep their order: `inOrder` starts a block's verification at once but hands blocks to
 * `process` in the order they were submitted, so blocks from several peers verify in parallel
 * while the chain sees them as it did before.
 *
 * Cost bound (docs/architecture.md): a block is preverified only when its proof of work and
 * merkle root check out, its body is not known yet and not all of its transactions came from
 * the mempool (whose signatures are cached), so the work is at most the serial
 * connect's for that block; a block whose signatures would push the pool's backlog past
 * `MAX_PREVERIFY_BACKLOG` is left to the serial path. Coins come from the UTXO set and from a
 * bounded map of outputs of recent blocks (`MAX_RECENT_OUTPUTS`) not connected yet.
 */
import {
  blockOutputKeys,
  blockSignatureChecks,
  checkBlockMatchesHeader,
  externalSpends,
  headerId,
  type Block,
  type ChainParams,
  type Coin,
  type SignatureCache,
  type Tx,
} from '../../core/index.js';
import { verifyWorkerCount, type VerifyPool } from './verify-pool.js';

/** Checks waiting in the pool beyond which a block is left to the serial path. */
export const MAX_PREVERIFY_BACKLOG = 20_000;
/** Outputs of blocks preverified but maybe not connected yet, kept to find their keys. */
export const MAX_RECENT_OUTPUTS = 50_000;

/** What the preverifier needs of the chain (core's `Chain` has all of it). */
export interface PreverifyChain {
  readonly params: ChainParams;
  readonly sigCache: SignatureCache;
  getCoins(keys: readonly string[]): Promise<(Coin | undefined)[]>;
  getEntry(id: string): { status: string } | undefined;
}

export interface PreverifyTotals {
  /** Blocks whose signatures went to the pool. */
  blocks: number;
  /** Signatures listed (keys found), already cached, verified valid by the pool, not valid. */
  listed: number;
  cached: number;
  valid: number;
  notValid: number;
  /** Blocks left to the serial path: bad proof of work or merkle, known, or backlog full. */
  skipped: number;
}

export class Preverifier {
  readonly totals: PreverifyTotals = {
    blocks: 0,
    listed: 0,
    cached: 0,
    valid: 0,
    notValid: 0,
    skipped: 0,
  };
  private readonly recent = new Map<string, Uint8Array>();
  private turn: Promise<unknown> = Promise.resolve();

  private hardwareConcurrency: number | undefined = undefined;
  private miningWorkers = 0;

  constructor(
    private readonly chain: PreverifyChain,
    /** Undefined where workers are unavailable (or not started yet): blocks go serial. */
    private pool?: VerifyPool,
    private readonly limits = { maxBacklog: MAX_PREVERIFY_BACKLOG, maxRecent: MAX_RECENT_OUTPUTS },
    /**
     * Whether this very transaction object passed every check on its way into the mempool
     * (core `Mempool.admitted`): a block made only of such transactions, as a compact block
     * rebuilt from the mempool or our own miner's block, has its signatures cached already.
     */
    private readonly admitted: (tx: Tx) => boolean = () => false,
  ) {}

  /** The pool in use, if any. */
  get workers(): VerifyPool | undefined {
    return this.pool;
  }

  /** Use `pool` from now on (a pool starts after the node); `cores` sizes it while mining. */
  attach(pool: VerifyPool | undefined, cores?: number): void {
    this.pool = pool;
    this.hardwareConcurrency = cores;
    this.onMining(this.miningWorkers);
  }

  /** Mining started, stopped or changed its worker count: leave the miners their cores. */
  onMining(miningWorkers: number): void {
    this.miningWorkers = miningWorkers;
    this.pool?.setActive(verifyWorkerCount(this.hardwareConcurrency, miningWorkers));
  }

  /** Stop the workers; later blocks go serial. */
  close(): void {
    this.pool?.close();
    this.pool = undefined;
  }

  /**
   * Start verifying `block` now; call `process` once this block's verification and every
   * earlier submitted block's have finished and been handed on, in submission order.
   */
  inOrder<T>(block: Block, process: () => Promise<T>): Promise<T> {
    const verified = this.pool ? this.preverify(block).catch(() => undefined) : undefined;
    const mine = this.turn.then(() => verified);
    this.turn = mine;
    return mine.then(process);
  }

  /** Verify `block`'s signatures in the pool and cache the valid ones. Never rejects. */
  async preverify(block: Block): Promise<void> {
    const pool = this.pool;
    if (!pool || !this.worthVerifying(block)) {
      this.totals.skipped++;
      return;
    }
    this.remember(block);
    const spends = externalSpends(block);
    const unknown = spends.filter((k) => !this.recent.has(k));
    const coins = unknown.length > 0 ? await this.chain.getCoins(unknown) : [];
    const fromChain = new Map(unknown.map((k, i) => [k, coins[i]?.pubkey]));
    const all = blockSignatureChecks(
      block,
      this.chain.params.genesisHash,
      (key) => this.recent.get(key) ?? fromChain.get(key),
    );
    const cache = this.chain.sigCache;
    const checks = all.filter((c) => !cache.has(c.signature, c.message, c.publicKey));
    this.totals.listed += all.length;
    this.totals.cached += all.length - checks.length;
    if (checks.length === 0) return;
    if (pool.pending + checks.length > this.limits.maxBacklog) {
      this.totals.skipped++;
      return;
    }
    this.totals.blocks++;
    const valid = await pool.verify(checks);
    checks.forEach((c, i) => {
      if (valid[i] === 1) cache.addVerified(c.signature, c.message, c.publicKey);
    });
    const count = valid.reduce((sum, v) => sum + v, 0);
    this.totals.valid += count;
    this.totals.notValid += checks.length - count;
  }

  /** Only blocks whose body is new and matches a header with valid proof of work. */
  private worthVerifying(block: Block): boolean {
    if (block.txs.length < 2) return false;
    if (block.txs.every((tx, i) => i === 0 || this.admitted(tx))) return false;
    const known = this.chain.getEntry(headerId(block.header));
    if (known && known.status !== 'header') return false;
    return checkBlockMatchesHeader(block, this.chain.params).ok;
  }

  /** Keep `block`'s outputs so a later block spending them finds their keys before it connects. */
  private remember(block: Block): void {
    for (const [key, pubkey] of blockOutputKeys(block)) {
      this.recent.delete(key);
      this.recent.set(key, pubkey);
    }
    while (this.recent.size > this.limits.maxRecent) {
      this.recent.delete(this.recent.keys().next().value!);
    }
  }
}
