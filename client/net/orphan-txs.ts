/**
 * Transactions whose inputs we do not know yet (their parent has not arrived), held briefly
 * until it does. Bounded: past `limit` the oldest is dropped.
 */
import { splitOutpointKey, outpointKey, txidHex, type Tx } from '../../core/index.js';

export const MAX_ORPHAN_TXS = 100;

export class OrphanTxs {
  private readonly txs = new Map<string, { tx: Tx; from: string }>();

  constructor(readonly limit = MAX_ORPHAN_TXS) {}

  get size(): number {
    return this.txs.size;
  }

  has(id: string): boolean {
    return this.txs.has(id);
  }

  add(tx: Tx, from: string): void {
    const id = txidHex(tx);
    if (this.txs.has(id)) return;
    if (this.txs.size >= this.limit) {
      const oldest = this.txs.keys().next().value;
      if (oldest !== undefined) this.txs.delete(oldest);
    }
    this.txs.set(id, { tx, from });
  }

  /** The orphans themselves (candidates when a compact block is rebuilt). */
  *all(): Iterable<Tx> {
    for (const orphan of this.txs.values()) yield orphan.tx;
  }

  /** Parent txids (display hex) an orphan is waiting for. */
  static parentsOf(tx: Tx): string[] {
    return [
      ...new Set(tx.inputs.map((input) => splitOutpointKey(outpointKey(input.prevout)).txid)),
    ];
  }

  /** Remove and return orphans spending an output of `parentId`. */
  takeChildren(parentId: string): { tx: Tx; from: string }[] {
    const children: { tx: Tx; from: string }[] = [];
    for (const [id, orphan] of this.txs) {
      if (OrphanTxs.parentsOf(orphan.tx).includes(parentId)) {
        children.push(orphan);
        this.txs.delete(id);
      }
    }
    return children;
  }
}
