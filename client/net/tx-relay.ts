/**
 * Transaction relay: validate what peers (or this tab's wallet) send, announce accepted
 * transactions to peers that do not know them, hold orphans while their parents are fetched,
 * and remember recent refusals so they are not downloaded or checked again. A refusal that costs
 * its sender no points (policy: a fee too low, a conflict…) still costs us a check, so each peer
 * has a budget of them (docs/protocol.md, "Budgets"): past it, its transactions are dropped
 * unchecked until the budget refills. An announced transaction is asked of one announcer at a
 * time (tx-requests.ts).
 */
import {
  MAX_INV_ITEMS,
  MAX_REJECT_TEXT_BYTES,
  clampUtf8,
  hashToHex,
  hexToHash,
  txid,
  txidHex,
  txSize,
  type Block,
  type InvItem,
  type NodeState,
  type Rejection,
  type Tx,
  type WireMessage,
} from '../../core/index.js';
import { KnownSet } from './known-set.js';
import { TokenBucket } from './token-bucket.js';
import { OrphanTxs } from './orphan-txs.js';
import { TxRequests, type TxRequestBatches } from './tx-requests.js';
import type { Peer } from './peer.js';
import { txKey, type P2PEvents, type Source } from './p2p-types.js';

/** What the relay needs from the P2P node that owns it. */
export interface TxRelayHost {
  state: NodeState;
  peers: ReadonlyMap<string, Peer>;
  nowSeconds(): number;
  /** Milliseconds since the epoch. */
  now(): number;
  emit<K extends keyof P2PEvents>(event: K, payload: P2PEvents[K]): void;
  /** Apply the misbehaviour policy for a refused transaction from `peer`. */
  penalise(peer: Peer, rejection: Rejection, id: string): void;
  /** A transaction refused for policy: a block may still carry it (compact-relay.ts keeps it). */
  refusedTx?(tx: Tx): void;
}

/** Transactions a peer may have refused without penalty per second, sustained… */
export const TX_REFUSALS_PER_SECOND = 2;
/** …and at once. */
export const TX_REFUSALS_BURST = 20;
/** At most one `tx-refusals-rate-limited` event per peer per this many ms (no event flood). */
const RATE_LIMITED_NOTICE_MS = 10_000;

/**
 * Txids of the transactions in the blocks connected most recently, remembered so that a late
 * announcement of one is not fetched, and a late copy is not held as an orphan waiting for
 * parents nobody has any more (its inputs are spent: by itself). Bitcoin Core's
 * m_recent_confirmed_transactions. Forgotten when a block is disconnected (its transactions
 * go back to the mempool, or are wanted again). ≈ 100 bytes each, ≈ 2 MB at most.
 */
export const RECENT_CONFIRMED_TXS = 20_000;

/** Bytes of transactions from one peer waiting to be checked (they are checked one at a time). */
export const MAX_WAITING_TX_BYTES = 2 * 1024 * 1024;

/** Per peer: its free refusals, and its transactions waiting to be checked in turn. */
interface RefusalBudget {
  bucket: TokenBucket;
  noticeAt: number;
  waiting: { tx: Tx; id: string; size: number }[];
  waitingBytes: number;
  busy: boolean;
}

export class TxRelay {
  readonly orphans = new OrphanTxs();
  private readonly recentlyRejected = new KnownSet(10_000);
  private readonly recentlyConfirmed = new KnownSet(RECENT_CONFIRMED_TXS);
  private readonly refusals = new WeakMap<Peer, RefusalBudget>();
  /** Who is asked for which announced transaction, and who else announced it. */
  private readonly requests = new TxRequests<Peer>();

  constructor(private readonly host: TxRelayHost) {}

  /** True when an announced txid is worth a getdata. */
  wants(id: string): boolean {
    return !this.settled(id) && !this.orphans.has(id);
  }

  /**
   * In the mempool, refused since the tip last changed, or confirmed by a recent block: a copy
   * of it is dropped unchecked. (An orphan's copy is checked again: its sender is asked for the
   * parents too.)
   */
  private settled(id: string): boolean {
    return (
      this.host.state.mempool.has(id) ||
      this.recentlyRejected.has(id) ||
      this.recentlyConfirmed.has(id)
    );
  }

  /** `peer` announced `items`: ask it for the transactions we want that nobody is asked for. */
  announced(peer: Peer, items: readonly InvItem[]): void {
    const now = this.host.now();
    const ask: string[] = [];
    for (const item of items) {
      if (item.kind !== 'tx') continue;
      const id = hashToHex(item.hash);
      peer.known.add(txKey(id));
      if (this.wants(id) && this.requests.announced(peer, id, now)) ask.push(id);
    }
    this.getdata(peer, ask);
  }

  /** `peer` answered `notfound`: ask the next announcers of the transactions we asked it for. */
  notFound(peer: Peer, items: readonly InvItem[]): void {
    const now = this.host.now();
    const batches: TxRequestBatches<Peer> = new Map();
    for (const item of items) {
      if (item.kind === 'tx') this.requests.notFound(peer, hashToHex(item.hash), now, batches);
    }
    this.fetch(batches);
  }

  /** `peer` disconnected: ask the next announcers of what was asked of it. */
  dropPeer(peer: Peer): void {
    this.fetch(this.requests.dropPeer(peer, this.host.now()));
  }

  /** Once a second: requests unanswered for TX_REQUEST_TIMEOUT_MS go to the next announcer. */
  tick(): void {
    this.fetch(this.requests.expire(this.host.now()));
  }

  /** Ask what we still want; forget the rest (it reached the mempool meanwhile, or was refused). */
  private fetch(batches: TxRequestBatches<Peer>): void {
    for (const [peer, ids] of batches) {
      const wanted: string[] = [];
      for (const id of ids) {
        if (this.wants(id)) wanted.push(id);
        else this.requests.received(id);
      }
      this.getdata(peer, wanted);
    }
  }

  private getdata(peer: Peer, ids: readonly string[]): void {
    for (let at = 0; at < ids.length; at += MAX_INV_ITEMS) {
      const items = ids.slice(at, at + MAX_INV_ITEMS).map((id) => ({
        kind: 'tx' as const,
        hash: hexToHash(id),
      }));
      peer.send({ type: 'getdata', items });
    }
  }

  /**
   * `peer` sent transaction `id` and it has been dealt with. Accepted, held as an orphan or
   * refused for policy: no longer wanted, forgotten. Still wanted (dropped unchecked, or refused
   * for consensus: a forged witness on an honest txid): as if `peer` had answered `notfound`.
   */
  private answered(peer: Peer, id: string): void {
    if (!this.wants(id)) this.requests.received(id);
    else this.fetch(this.requests.notFound(peer, id, this.host.now()));
  }

  /**
   * The active chain changed. A new tip may make refused transactions valid (or their inputs
   * known): forget refusals. Remember what the connected blocks confirmed; forget it all when
   * blocks were disconnected.
   */
  tipChanged(change: { connected: readonly Block[]; disconnected: readonly Block[] }): void {
    this.recentlyRejected.clear();
    if (change.disconnected.length > 0) this.recentlyConfirmed.clear();
    for (const block of change.connected) {
      for (const tx of block.txs.slice(1)) {
        const id = txidHex(tx);
        this.recentlyConfirmed.add(id);
        this.requests.received(id);
      }
    }
  }

  private budgetOf(peer: Peer): RefusalBudget {
    let budget = this.refusals.get(peer);
    if (!budget) {
      const bucket = new TokenBucket(TX_REFUSALS_PER_SECOND, TX_REFUSALS_BURST, this.host.now());
      budget = { bucket, noticeAt: -Infinity, waiting: [], waitingBytes: 0, busy: false };
      this.refusals.set(peer, budget);
    }
    return budget;
  }

  /**
   * A transaction from `peer`. A peer's transactions are checked one at a time, in order, so
   * that its budget of free refusals is spent exactly (checks run concurrently would all pass
   * the budget before the first refusal is counted).
   */
  async receive(peer: Peer, tx: Tx): Promise<void> {
    const id = txidHex(tx);
    peer.known.add(txKey(id));
    const budget = this.budgetOf(peer);
    const size = txSize(tx);
    if (budget.waitingBytes + size > MAX_WAITING_TX_BYTES) {
      this.rateLimited(peer, budget, id);
      return this.answered(peer, id);
    }
    budget.waiting.push({ tx, id, size });
    budget.waitingBytes += size;
    if (budget.busy) return;
    budget.busy = true;
    try {
      for (let next = budget.waiting.shift(); next; next = budget.waiting.shift()) {
        budget.waitingBytes -= next.size;
        if (peer.state === 'closed') break;
        await this.check(peer, budget, next.tx, next.id);
        this.answered(peer, next.id);
      }
    } finally {
      budget.busy = false;
      budget.waiting.length = 0;
      budget.waitingBytes = 0;
    }
  }

  private async check(peer: Peer, budget: RefusalBudget, tx: Tx, id: string): Promise<void> {
    if (this.settled(id)) return;
    // Out of free refusals: not even the cheap checks run until the budget refills.
    if (!budget.bucket.has(this.host.now())) return this.rateLimited(peer, budget, id);
    await this.submit(tx, peer.id);
  }

  private rateLimited(peer: Peer, budget: RefusalBudget, id: string): void {
    const now = this.host.now();
    if (now - budget.noticeAt < RATE_LIMITED_NOTICE_MS) return;
    budget.noticeAt = now;
    this.host.emit('refused', {
      kind: 'tx',
      id,
      reason: 'tx-refusals-rate-limited',
      message: `more than ${TX_REFUSALS_BURST} refused transactions, then ${TX_REFUSALS_PER_SECOND} a second: dropped unchecked`,
      from: peer.id,
      score: 0,
    });
  }

  async submit(tx: Tx, from: Source): Promise<Rejection | undefined> {
    const { state } = this.host;
    const id = txidHex(tx);
    const result = await state.acceptTx(tx, this.host.nowSeconds());
    const peer = this.host.peers.get(from);
    if (result.ok) {
      this.host.emit('tx-accepted', { id, from });
      this.requests.received(id);
      this.announce(tx, from);
      for (const orphan of this.orphans.takeChildren(id)) await this.submit(orphan.tx, orphan.from);
      return undefined;
    }
    if (result.category === 'duplicate') return result;
    if (result.category === 'missing-parent' && peer) {
      this.orphans.add(tx, from);
      const wanted = OrphanTxs.parentsOf(tx)
        .filter((parent) => !state.mempool.has(parent))
        .slice(0, MAX_INV_ITEMS);
      if (wanted.length > 0) {
        peer.send({
          type: 'getdata',
          items: wanted.map((p) => ({ kind: 'tx' as const, hash: hexToHash(p) })),
        });
      }
      return result;
    }
    if (result.score <= 0) {
      // Policy verdicts do not depend on the witnesses (64 bytes each, checked by sanity), so
      // the txid may be remembered; a consensus failure such as a bad signature may be a
      // forgery of an honest txid, and its sender is banned anyway.
      this.recentlyRejected.add(id);
      this.host.refusedTx?.(tx);
      if (peer) this.budgetOf(peer).bucket.take(this.host.now());
    }
    if (peer) {
      peer.send({
        type: 'reject',
        message: 'tx',
        reason: result.reason,
        hash: txid(tx),
        detail: clampUtf8(result.message, MAX_REJECT_TEXT_BYTES),
      });
      this.host.penalise(peer, result, id);
    } else {
      this.host.emit('refused', {
        kind: 'tx',
        id,
        reason: result.reason,
        message: result.message,
        from,
        score: 0,
      });
    }
    return result;
  }

  /** Announce `tx` to every ready peer not known to have it (never back to `from`). */
  announce(tx: Tx, from: Source | undefined): void {
    // One key string for every peer's known set (a string per peer per transaction was most of
    // the memory those sets hold), and one message.
    const key = txKey(txidHex(tx));
    const inv: WireMessage = { type: 'inv', items: [{ kind: 'tx', hash: txid(tx) }] };
    for (const peer of this.host.peers.values()) {
      if (peer.state !== 'ready' || peer.id === from || peer.known.has(key)) continue;
      peer.known.add(key);
      peer.send(inv);
    }
  }
}
