/**
 * Transaction relay: validate what peers (or this tab's wallet) send, announce accepted
 * transactions to peers that do not know them, hold orphans while their parents are fetched,
 * and remember recent refusals so they are not downloaded again.
 */
import {
  MAX_INV_ITEMS,
  MAX_REJECT_TEXT_BYTES,
  clampUtf8,
  hexToHash,
  txid,
  txidHex,
  type NodeState,
  type Rejection,
  type Tx,
} from '../../core/index.js';
import { KnownSet } from './known-set.js';
import { OrphanTxs } from './orphan-txs.js';
import type { Peer } from './peer.js';
import { txKey, type P2PEvents, type Source } from './p2p-types.js';

/** What the relay needs from the P2P node that owns it. */
export interface TxRelayHost {
  state: NodeState;
  peers: ReadonlyMap<string, Peer>;
  nowSeconds(): number;
  emit<K extends keyof P2PEvents>(event: K, payload: P2PEvents[K]): void;
  /** Apply the misbehaviour policy for a refused transaction from `peer`. */
  penalise(peer: Peer, rejection: Rejection, id: string): void;
}

export class TxRelay {
  readonly orphans = new OrphanTxs();
  private readonly recentlyRejected = new KnownSet(10_000);

  constructor(private readonly host: TxRelayHost) {}

  /** True when an announced txid is worth a getdata. */
  wants(id: string): boolean {
    return (
      !this.host.state.mempool.has(id) && !this.orphans.has(id) && !this.recentlyRejected.has(id)
    );
  }

  /** A new tip may make refused transactions valid (or their inputs known): forget refusals. */
  tipChanged(): void {
    this.recentlyRejected.clear();
  }

  async receive(peer: Peer, tx: Tx): Promise<void> {
    const id = txidHex(tx);
    peer.known.add(txKey(id));
    if (this.host.state.mempool.has(id)) return;
    await this.submit(tx, peer.id);
  }

  async submit(tx: Tx, from: Source): Promise<Rejection | undefined> {
    const { state } = this.host;
    const id = txidHex(tx);
    const result = await state.acceptTx(tx, this.host.nowSeconds());
    const peer = this.host.peers.get(from);
    if (result.ok) {
      this.host.emit('tx-accepted', { id, from });
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
    this.recentlyRejected.add(id);
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
    const id = txidHex(tx);
    for (const peer of this.host.peers.values()) {
      if (peer.state !== 'ready' || peer.id === from || peer.known.has(txKey(id))) continue;
      peer.known.add(txKey(id));
      peer.send({ type: 'inv', items: [{ kind: 'tx', hash: txid(tx) }] });
    }
  }
}
