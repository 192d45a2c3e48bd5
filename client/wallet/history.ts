/**
 * The wallet's history index: every transaction that pays or spends our key, with where it is
 * confirmed, kept in memory and written through to the node's `wallet` store (`tx:<txid>`,
 * `out:<outpoint>` for our outputs, `synced` for the last block indexed). What a transaction
 * does to us never changes (a txid commits to its inputs and outputs); only its place in the
 * chain does, so a reorg just moves entries back to pending (or drops them).
 */
import {
  encodeAddress,
  fromHex,
  outpointKey,
  toHex,
  txidHex,
  type NetworkName,
  type Tx,
} from '../../core/index.js';
import type { NodeDb } from '../storage/db.js';

/** One line of the wallet's history, as the UI shows it. */
export interface HistoryEntry {
  txid: string;
  direction: 'received' | 'sent' | 'self';
  /**
   * What went to or came from the other side, the fee NOT included: positive received,
   * negative sent, 0 for a payment to ourselves. `amount - fee` (fee when we paid it) is `net`.
   */
  amount: bigint;
  /** The fee, when we paid it (every input was ours). */
  fee: bigint | undefined;
  /** Net change to our balance: `amount` minus the fee we paid. */
  net: bigint;
  /** Block height; undefined while pending. */
  height: number | undefined;
  /** 0 while pending; tip height − height + 1 once in a block. */
  confirmations: number;
  /** Block time once confirmed, else when this node first saw it (seconds since the epoch). */
  time: number;
  /** The other side's address: the recipient of a send, the payer of a receipt when known. */
  counterparty?: string;
  /** A mining reward (coinbase). */
  coinbase?: boolean;
}

/** A stored index record for one transaction. */
export interface TxRecord {
  txid: string;
  /** Sum of its outputs that pay us. */
  received: bigint;
  /** Sum of our coins it spends. */
  sent: bigint;
  fee?: bigint;
  coinbase: boolean;
  /** Hex public key of the other side, when known. */
  counterparty?: string;
  height?: number;
  blockId?: string;
  /** Index of the transaction in its block (orders one block's entries). */
  position?: number;
  blockTime?: number;
  /** When this node first saw it (seconds). */
  seen: number;
}

export interface BlockPlace {
  height: number;
  blockId: string;
  position: number;
  blockTime: number;
}

/** The last block indexed. */
export interface SyncMarker {
  tip: string;
  height: number;
}

const TX = 'tx:';
const OUT = 'out:';
const SYNCED = 'synced';

/** Key ranges of every index record (cleared when the wallet's key is replaced). */
export function indexKeyRanges(): (IDBKeyRange | string)[] {
  return [IDBKeyRange.bound(TX, `${TX}\uffff`), IDBKeyRange.bound(OUT, `${OUT}\uffff`), SYNCED];
}

export class HistoryIndex {
  private readonly txs = new Map<string, TxRecord>();
  /** Our outputs (pending or confirmed, spent or not): outpoint key → amount. */
  private readonly outs = new Map<string, bigint>();
  private marker: SyncMarker | undefined = undefined;
  /** Record keys changed since the last flush (put if present, else delete). */
  private readonly dirty = new Set<string>();

  /** `me`: our public key in hex. */
  constructor(readonly me: string) {}

  static async load(db: NodeDb, me: string): Promise<HistoryIndex> {
    const index = new HistoryIndex(me);
    const tx = db.transaction('wallet', 'readonly');
    for (let c = await tx.store.openCursor(); c; c = await c.continue()) {
      const key = String(c.key);
      if (key.startsWith(TX)) index.txs.set(key.slice(TX.length), c.value as TxRecord);
      else if (key.startsWith(OUT)) index.outs.set(key.slice(OUT.length), c.value as bigint);
      else if (key === SYNCED) index.marker = c.value as SyncMarker;
    }
    await tx.done;
    return index;
  }

  get synced(): SyncMarker | undefined {
    return this.marker;
  }

  set synced(marker: SyncMarker) {
    this.marker = marker;
    this.dirty.add(SYNCED);
  }

  get(txid: string): TxRecord | undefined {
    return this.txs.get(txid);
  }

  records(): IterableIterator<TxRecord> {
    return this.txs.values();
  }

  /** Index `tx`, confirmed at `place`; false when it does not touch us. */
  confirm(tx: Tx, coinbase: boolean, place: BlockPlace): boolean {
    const id = txidHex(tx);
    const facts = this.describe(tx, coinbase, id);
    if (!facts) return false;
    const before = this.txs.get(id);
    this.put({
      ...facts,
      counterparty: facts.counterparty ?? before?.counterparty,
      ...place,
      seen: before?.seen ?? place.blockTime,
    });
    return true;
  }

  /** Index a pending `tx` first seen at `seen`; false when it does not touch us. */
  addPending(tx: Tx, seen: number, payer?: string): boolean {
    const id = txidHex(tx);
    const before = this.txs.get(id);
    if (before) return true;
    const facts = this.describe(tx, false, id);
    if (!facts) return false;
    this.put({ ...facts, counterparty: facts.counterparty ?? payer, seen });
    return true;
  }

  /** Blocks above `height` left the active chain: their transactions are pending again. */
  unconfirmAbove(height: number): void {
    for (const record of this.txs.values()) {
      if (record.height !== undefined && record.height > height) {
        this.put({
          ...record,
          height: undefined,
          blockId: undefined,
          position: undefined,
          blockTime: undefined,
        });
      }
    }
  }

  /** Forget pending entries `keep` says no (left the mempool: conflicted, expired, coinbase). */
  dropPending(keep: (txid: string) => boolean): void {
    for (const record of [...this.txs.values()]) {
      if (record.height === undefined && !keep(record.txid)) {
        this.txs.delete(record.txid);
        this.dirty.add(TX + record.txid);
      }
    }
  }

  /** History newest first: pending (latest seen first), then by height and block position. */
  entries(
    tipHeight: number,
    network: NetworkName,
    isPending: (txid: string) => boolean,
  ): HistoryEntry[] {
    const shown = [...this.txs.values()].filter((r) => r.height !== undefined || isPending(r.txid));
    shown.sort(newestFirst);
    return shown.map((r) => toEntry(r, tipHeight, network));
  }

  /** Write every change since the last flush in one IndexedDB transaction. */
  async flush(db: NodeDb): Promise<void> {
    if (this.dirty.size === 0) return;
    const keys = [...this.dirty];
    this.dirty.clear();
    const tx = db.transaction('wallet', 'readwrite');
    const writes = keys.map((key) => {
      const value = this.valueOf(key);
      return value === undefined ? tx.store.delete(key) : tx.store.put(value, key);
    });
    await Promise.all([...writes, tx.done]);
  }

  private valueOf(key: string): unknown {
    if (key.startsWith(TX)) return this.txs.get(key.slice(TX.length));
    if (key.startsWith(OUT)) return this.outs.get(key.slice(OUT.length));
    return key === SYNCED ? this.marker : undefined;
  }

  private put(record: TxRecord): void {
    this.txs.set(record.txid, record);
    this.dirty.add(TX + record.txid);
  }

  /** What `tx` does to us, or undefined when it neither pays nor spends our key. */
  private describe(
    tx: Tx,
    coinbase: boolean,
    id: string,
  ): Omit<TxRecord, 'seen' | keyof BlockPlace> | undefined {
    let sent = 0n;
    let ownInputs = 0;
    if (!coinbase) {
      for (const input of tx.inputs) {
        const amount = this.outs.get(outpointKey(input.prevout));
        if (amount !== undefined) {
          sent += amount;
          ownInputs++;
        }
      }
    }
    let received = 0n;
    let paid = 0n;
    let ours = 0;
    let other: string | undefined;
    tx.outputs.forEach((output, vout) => {
      paid += output.amount;
      const owner = toHex(output.pubkey);
      if (owner !== this.me) {
        other ??= owner;
        return;
      }
      received += output.amount;
      ours++;
      const key = `${id}:${vout}`;
      if (this.outs.get(key) === undefined) {
        this.outs.set(key, output.amount);
        this.dirty.add(OUT + key);
      }
    });
    if (ours === 0 && ownInputs === 0) return undefined;
    return {
      txid: id,
      received,
      sent,
      fee: ownInputs > 0 && ownInputs === tx.inputs.length ? sent - paid : undefined,
      coinbase,
      counterparty: ownInputs > 0 ? other : undefined,
    };
  }
}

/** Pending before confirmed; pending by when seen, confirmed by height and block position. */
function newestFirst(a: TxRecord, b: TxRecord): number {
  if (a.height === undefined || b.height === undefined) {
    if (a.height !== b.height) return a.height === undefined ? -1 : 1;
    return b.seen - a.seen;
  }
  return b.height - a.height || (b.position ?? 0) - (a.position ?? 0);
}

function toEntry(r: TxRecord, tipHeight: number, network: NetworkName): HistoryEntry {
  const net = r.received - r.sent;
  const direction: HistoryEntry['direction'] =
    r.sent === 0n || net > 0n
      ? 'received'
      : r.fee !== undefined && net === -r.fee
        ? 'self'
        : 'sent';
  const entry: HistoryEntry = {
    txid: r.txid,
    direction,
    amount: direction === 'received' || r.fee === undefined ? net : net + r.fee,
    fee: r.fee,
    net,
    height: r.height,
    confirmations: r.height === undefined ? 0 : Math.max(0, tipHeight - r.height + 1),
    time: r.blockTime ?? r.seen,
  };
  if (r.counterparty && direction !== 'self') {
    entry.counterparty = encodeAddress(fromHex(r.counterparty), network);
  }
  if (r.coinbase) entry.coinbase = true;
  return entry;
}
