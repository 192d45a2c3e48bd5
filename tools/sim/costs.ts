/**
 * Validation time on the virtual clock. The node code runs for real and at once in virtual
 * time; this module makes a node *spend* virtual time on what it validates, on one CPU per node:
 *
 * - a block costs `blockMs`, plus `blockTxMs` per transaction, plus `sigMs` per signature the
 *   node has not verified before (the real `SignatureCache` semantics: a transaction checked on
 *   mempool entry is not verified again when its block connects);
 * - a transaction entering the mempool costs `mempoolTxMs` plus `sigMs` per new signature;
 * - rebuilding a compact block costs `shortIdMs` per candidate transaction (compact-charge.ts).
 *
 * The work runs at the *end* of its charge (`SimCpu.run`), so the node's chain, mempool, miner
 * template and answers to peers change only once the time is spent, and a node validates one
 * thing at a time: a block waits behind the transactions queued before it. The figures come
 * from `npm run sim:calibrate` (calibrate.ts) on the real code; docs/scale.md records them.
 */
import {
  SignatureCache,
  hasData,
  headerId,
  isCoinbase,
  toHex,
  txidHex,
  type NodeState,
} from '../../core/index.js';
import { verifySchnorr } from 'tiny-secp256k1';
import type { Scheduler } from './scheduler.js';

export interface ValidationCosts {
  /** Per block processed: header, merkle root, size checks and the store write, ms. */
  blockMs: number;
  /** Per transaction of a block being connected, its signatures not counted, ms. */
  blockTxMs: number;
  /** Per transaction entering the mempool, its signatures not counted, ms. */
  mempoolTxMs: number;
  /** Per signature verified (one not in the node's signature cache), ms. */
  sigMs: number;
  /**
   * Per candidate transaction (mempool and orphans) when rebuilding a compact block: its short
   * id is computed (SipHash of its wtxid), ms.
   */
  shortIdMs: number;
}

/**
 * Measured by `npm run sim:calibrate` on the real code (2026-12-02, Node 20.20.2, x64,
 * @noble/curves Schnorr, MemoryStore: no IndexedDB time), median of 5 rounds in CPU time;
 * docs/scale.md gives the run and what the figures leave out.
 */
export const MEASURED_COSTS: ValidationCosts = {
  blockMs: 0.058,
  blockTxMs: 0.128,
  mempoolTxMs: 0.083,
  sigMs: 1.256,
  shortIdMs: 0.0052,
};

/** No validation time at all (the simulator before issue 18). */
export const FREE_COSTS: ValidationCosts = {
  blockMs: 0,
  blockTxMs: 0,
  mempoolTxMs: 0,
  sigMs: 0,
  shortIdMs: 0,
};

/**
 * The verdicts of every signature any node has checked, shared by the nodes of one run. A
 * signature check is a pure function of (signature, message, key), so each distinct triple is
 * verified for real once, by libsecp256k1 (tiny-secp256k1, faster than core's @noble/curves
 * and with the same BIP340 verdicts), and the nodes' caches hold small integer ids instead of
 * 256-character keys: 500 nodes do not run 500 verifies of each signature, yet each node is
 * charged for every signature *it* had not verified.
 */
export class SignatureOracle {
  private readonly ids = new Map<string, number>();
  private readonly bySignature = new Map<string, number>();
  private readonly verdicts: boolean[] = [];
  /** Real `verifySignature` calls (wall-clock work, not virtual). */
  realVerifies = 0;

  verdict(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): [number, boolean] {
    const key = toHex(message) + toHex(publicKey) + toHex(signature);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.verdicts.length;
      this.ids.set(key, id);
      this.realVerifies++;
      this.verdicts.push(bip340Verify(signature, message, publicKey));
      this.bySignature.set(toHex(signature), id);
    }
    return [id, this.verdicts[id]!];
  }

  /** Id of the first checked triple with this signature, if any. */
  idOfSignature(signature: Uint8Array): number | undefined {
    return this.bySignature.get(toHex(signature));
  }
}

/** BIP340 verification by libsecp256k1; false (never a throw) for malformed input. */
function bip340Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32 || message.length !== 32) return false;
  try {
    return verifySchnorr(message, publicKey, signature);
  } catch {
    return false;
  }
}

/**
 * A node's signature cache: the real cache's behaviour (successes remembered, failures never;
 * the oldest entry leaves at `maxEntries`), with verdicts from the run's `SignatureOracle`, and
 * a count of the signatures this node verified (cache misses), which is what it is charged for.
 */
export class SimSignatureCache extends SignatureCache {
  private readonly remembered = new Set<number>();
  /** Signatures this node verified itself (not found in its cache). */
  verified = 0;

  constructor(
    private readonly oracle: SignatureOracle,
    maxEntries?: number,
  ) {
    super(maxEntries);
  }

  override get size(): number {
    return this.remembered.size;
  }

  override verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    const [id, ok] = this.oracle.verdict(signature, message, publicKey);
    if (this.remembered.has(id)) return true;
    this.verified++;
    if (!ok) return false;
    if (this.remembered.size >= this.maxEntries) {
      const oldest = this.remembered.values().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
    this.remembered.add(id);
    return true;
  }

  /**
   * Whether `signature` is in this cache. The simulation's signatures are honest and distinct
   * (one per key and message), so this says exactly whether `verify` would find it.
   */
  knows(signature: Uint8Array): boolean {
    const id = this.oracle.idOfSignature(signature);
    return id !== undefined && this.remembered.has(id);
  }
}

/** One node's CPU: jobs run one after another, each after its charge of virtual time. */
export class SimCpu {
  private tail: Promise<unknown> = Promise.resolve();
  /** Virtual ms charged so far. */
  busyMs = 0;

  constructor(private readonly scheduler: Scheduler) {}

  /**
   * Once every job queued before has finished: spend `cost()` ms (computed when this job
   * starts, so it sees what earlier jobs did), then run `work`.
   */
  run<T>(cost: () => number, work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      const ms = cost();
      this.busyMs += ms;
      if (ms > 0) await new Promise<void>((resolve) => this.scheduler.after(ms, resolve));
      return work();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Distinct signatures of `txs` (coinbases have none) that `cache` has not verified. */
function newSignatures(
  txs: readonly { inputs: readonly { witness: Uint8Array }[] }[],
  cache: SimSignatureCache,
): number {
  const fresh = new Set<string>();
  for (const tx of txs) {
    for (const input of tx.inputs) {
      if (input.witness.length > 0 && !cache.knows(input.witness)) fresh.add(toHex(input.witness));
    }
  }
  return fresh.size;
}

/** What a node was charged for, in total. */
export interface ChargeStats {
  blocks: number;
  txs: number;
  /** Signatures charged for (predicted from the cache before the work ran). */
  chargedSigs: number;
}

/**
 * Make `state` charge its validation to `cpu`: `processBlock` and `acceptTx` run on the CPU
 * after their cost (the methods of this one instance are wrapped; the node code is unchanged).
 * A block the node already has, or a transaction already in its mempool, costs nothing.
 */
export function chargeValidation(
  state: NodeState,
  cpu: SimCpu,
  costs: ValidationCosts,
  cache: SimSignatureCache,
): ChargeStats {
  const stats: ChargeStats = { blocks: 0, txs: 0, chargedSigs: 0 };
  const processBlock = state.processBlock.bind(state);
  const acceptTx = state.acceptTx.bind(state);
  state.processBlock = (block, now) =>
    cpu.run(
      () => {
        const entry = state.chain.getEntry(headerId(block.header));
        if (entry && hasData(entry)) return 0;
        const txs = block.txs.filter((tx) => !isCoinbase(tx));
        const sigs = newSignatures(txs, cache);
        stats.blocks++;
        stats.chargedSigs += sigs;
        return costs.blockMs + costs.blockTxMs * txs.length + costs.sigMs * sigs;
      },
      () => processBlock(block, now),
    );
  state.acceptTx = (tx, now) =>
    cpu.run(
      () => {
        if (state.mempool.has(txidHex(tx))) return 0;
        const sigs = newSignatures([tx], cache);
        stats.txs++;
        stats.chargedSigs += sigs;
        return costs.mempoolTxMs + costs.sigMs * sigs;
      },
      () => acceptTx(tx, now),
    );
  return stats;
}
