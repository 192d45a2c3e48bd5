/**
 * Compact block relay (docs/protocol.md, "Compact blocks"; after Bitcoin's BIP152). On links
 * whose version is 2 or more, both sides send `sendcmpct` after `hello`. A block then travels
 * as its header, a nonce, 6-byte short ids and the transactions the peer probably lacks; the
 * receiver rebuilds it from its mempool and a small pool of recently refused transactions,
 * asks for what it still lacks (`getblocktxn` / `blocktxn`), and falls back to the whole block
 * when the rebuilt block does not match its header (short ids collide: no one is blamed).
 *
 * High bandwidth: each node asks the (at most 3) peers that most recently delivered a new block
 * first to send it `cmpctblock` unsolicited; those send it as soon as the header's proof of
 * work and merkle commitment are checked, before full validation. Everyone else is announced
 * to with `headers` and asks for the compact form with `getdata` (inventory kind `cmpct`).
 */
import {
  COMPACT_BLOCKS_VERSION,
  COMPACT_VERSION,
  PROTOCOL_VERSION,
  PartialBlock,
  hasData,
  hashToHex,
  headerEntry,
  headerHash,
  headerId,
  reject,
  type Block,
  type BlockEntry,
  type BlockHeader,
  type CmpctBlockMessage,
  type CompactMessage,
  type InvKind,
  type NodeState,
  type ReconstructionFailure,
  type Rejection,
  type Tx,
} from '../../core/index.js';
import { blockKey, type RefusedEvent } from './p2p-types.js';
import type { Peer } from './peer.js';
import { CompactSender } from './compact-send.js';

/** Peers asked to send us new blocks unsolicited (BIP152: at most 3). */
export const MAX_HIGH_BANDWIDTH_PEERS = 3;
/** Blocks one peer may have us rebuilding at once (each waits for its `blocktxn`). */
export const MAX_PARTIAL_BLOCKS_PER_PEER = 2;
/** A rebuild whose `blocktxn` has not come within this is given up (the block is fetched whole). */
export const PARTIAL_BLOCK_TIMEOUT_MS = 10_000;
/** Recently refused transactions kept as reconstruction candidates. */
export const MAX_EXTRA_TXS = 100;
/** Blocks whose compact form failed recently, fetched whole from then on. */
const MAX_FAILED_IDS = 64;

export interface CompactRelayHost {
  readonly state: NodeState;
  /** False: this node neither sends `sendcmpct` nor answers compact messages (full blocks only). */
  readonly enabled: boolean;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Uniform in [0, 1): the short-id nonces. */
  random(): number;
  peer(id: string): Peer | undefined;
  readyPeers(): Peer[];
  /** Transactions waiting for their parents (also candidates). */
  orphanTxs(): Iterable<Tx>;
  /** Process a rebuilt block as a received `block` message (validation, relay, bookkeeping). */
  deliver(peer: Peer, block: Block): Promise<void>;
  /** Settles once block `id`'s validation has (undefined when no copy is being validated). */
  validation(id: string): Promise<void> | undefined;
  /** The ids peer `id` said it is linked to, in its last `peers` answer (peer exchange). */
  linksOf(id: string): readonly string[];
  /** Treat `header` as announced by `peer` with `headers`: stored, its body fetched whole. */
  announced(peer: Peer, header: BlockHeader): Promise<void>;
  /** Free the downloader's claim on a block it asked `peer` for (the body now comes whole). */
  release(peer: Peer, id: string): void;
  penalise(peer: Peer, rejection: Rejection, kind: RefusedEvent['kind'], id?: string): void;
  refused(event: RefusedEvent): void;
}

interface CompactPeer {
  /** It sent `sendcmpct` with version 1: it speaks compact blocks. */
  speaks: boolean;
  /** It asked for `cmpctblock` unsolicited. */
  wantsHighBandwidth: boolean;
  /** Blocks being rebuilt from its `cmpctblock`, waiting for its `blocktxn`. */
  partials: Map<string, { partial: PartialBlock; since: number; unasked: boolean }>;
}

/** The key of a block being delivered from a peer's compact block (`CompactRelay.delivering`). */
const deliveryKey = (peerId: string, blockId: string) => `${peerId} ${blockId}`;

export class CompactRelay {
  private readonly peers = new WeakMap<Peer, CompactPeer>();
  /** Ids of the peers we asked for high-bandwidth relay, the most recent deliverer last. */
  readonly highBandwidth: string[] = [];
  private readonly extra: Tx[] = [];
  /**
   * `peer id block id` of blocks delivered from a peer's compact block right now (`penaltyFor`),
   * and whether that peer sent it without being asked (`deliveredFirst`).
   */
  private readonly delivering = new Map<string, { unasked: boolean }>();
  private readonly failed = new Set<string>();

  private readonly sender: CompactSender;

  constructor(private readonly host: CompactRelayHost) {
    this.sender = new CompactSender(host);
  }

  private stateOf(peer: Peer): CompactPeer {
    let state = this.peers.get(peer);
    if (!state) {
      state = { speaks: false, wantsHighBandwidth: false, partials: new Map() };
      this.peers.set(peer, state);
    }
    return state;
  }

  /** Compact messages may cross this link: enabled here, and version 2 on both sides. */
  negotiated(peer: Peer): boolean {
    const version = Math.min(PROTOCOL_VERSION, peer.hello?.version ?? 0);
    return this.host.enabled && version >= COMPACT_BLOCKS_VERSION;
  }

  /** The handshake finished: offer compact blocks (low bandwidth until the peer proves fast). */
  peerReady(peer: Peer): void {
    if (!this.negotiated(peer)) return;
    peer.send({ type: 'sendcmpct', highBandwidth: false, version: COMPACT_VERSION });
  }

  /** True when `peer` asked us for new blocks unsolicited (we are one of its ≤ 3). */
  sendsUnsolicitedTo(peer: Peer): boolean {
    return this.negotiated(peer) && (this.peers.get(peer)?.wantsHighBandwidth ?? false);
  }

  /** Blocks `peer` has us rebuilding (waiting for its `blocktxn`). */
  partialCount(peer: Peer): number {
    return this.peers.get(peer)?.partials.size ?? 0;
  }

  dropPeer(peer: Peer): void {
    const i = this.highBandwidth.indexOf(peer.id);
    if (i >= 0) this.highBandwidth.splice(i, 1);
    this.peers.delete(peer);
  }

  /** A transaction we refused (policy) or dropped: kept a while in case a block carries it. */
  rememberTx(tx: Tx): void {
    this.extra.push(tx);
    if (this.extra.length > MAX_EXTRA_TXS) this.extra.shift();
  }

  async receive(peer: Peer, message: CompactMessage): Promise<void> {
    if (!this.negotiated(peer)) {
      // A version-1 link (or compact relay switched off here): never offered, so ignored.
      this.host.refused({
        kind: 'message',
        reason: 'compact-not-negotiated',
        message: `${message.type} on a link that did not negotiate compact blocks: ignored`,
        from: peer.id,
        score: 0,
      });
      return;
    }
    switch (message.type) {
      case 'sendcmpct':
        if (message.version !== COMPACT_VERSION) return; // another encoding: as if never sent
        this.stateOf(peer).speaks = true;
        this.stateOf(peer).wantsHighBandwidth = message.highBandwidth;
        return;
      case 'cmpctblock':
        return this.onCompactBlock(peer, message);
      case 'getblocktxn':
        return this.sender.getBlockTxn(peer, message.blockHash, message.indexes);
      case 'blocktxn':
        return this.onBlockTxn(peer, message.blockHash, message.txs);
    }
  }

  /**
   * `peer` delivered block `id`, which joined our active chain, before anyone else did: it
   * becomes one of our (at most 3) high-bandwidth peers, displacing the one that was first
   * longest ago. Not when it sent the block as a `cmpctblock` we neither asked for nor asked it
   * to push: that is its miner's own block, which it sends every compact peer anyway
   * (`relayEarly`), and says nothing of how fast it relays the blocks of others.
   */
  deliveredFirst(peer: Peer, id: string): void {
    if (!this.negotiated(peer) || !this.stateOf(peer).speaks) return;
    if (this.delivering.get(deliveryKey(peer.id, id))?.unasked) return;
    const list = this.highBandwidth;
    const at = list.indexOf(peer.id);
    if (at >= 0) list.splice(at, 1);
    list.push(peer.id);
    if (at >= 0) return;
    peer.send({ type: 'sendcmpct', highBandwidth: true, version: COMPACT_VERSION });
    while (list.length > MAX_HIGH_BANDWIDTH_PEERS) {
      const old = this.host.peer(list.shift()!);
      old?.send({ type: 'sendcmpct', highBandwidth: false, version: COMPACT_VERSION });
    }
  }

  /** The inventory kind to fetch block `id` with from `peer` (the downloader asks). */
  kindFor(peer: Peer, id: string): InvKind {
    const entry = this.host.state.chain.getEntry(id);
    const tip = this.host.state.chain.tip;
    // Only a block on our tip is worth rebuilding: older ones' transactions left the mempool.
    if (!entry || entry.parent !== tip || this.failed.has(id)) return 'block';
    return this.negotiated(peer) && this.stateOf(peer).speaks ? 'cmpct' : 'block';
  }

  /**
   * A block is about to be validated (from a peer, or from our miner): send it at once as a
   * compact block to the high-bandwidth peers that lack it, if its header is valid (proof of
   * work, difficulty, time), extends our best chain and commits to its transactions. A block
   * our own miner has just `found` goes to every peer that speaks compact blocks, low bandwidth
   * too: none of them can have it yet, so no copy is redundant, and it saves each of them the
   * `headers` → `getdata` round trip on the first hop, where every path starts.
   *
   * A block that came to us as such a push (its finder's) is not pushed on to our peers linked
   * to the finder by the last `peers` answers (`finderLinks`): the finder pushed it to them at
   * the same moment. They still get `headers` after validation if not known to have it (over a
   * local link, after LOCAL_ANNOUNCE_HOLD_MS: block-announce.ts), so a stale or false list
   * costs them one round trip or that hold, never the block.
   */
  relayEarly(block: Block, from: string, found = false): void {
    const id = headerId(block.header);
    const finderLinks = this.finderLinks(from, id);
    const targets = this.host
      .readyPeers()
      .filter(
        (p) =>
          p.id !== from &&
          this.negotiated(p) &&
          (found ? this.stateOf(p).speaks : this.stateOf(p).wantsHighBandwidth) &&
          !p.known.has(blockKey(id)) &&
          !finderLinks.has(p.id),
      );
    if (targets.length > 0) this.sender.relay(block, id, targets);
  }

  /**
   * When block `id` is being delivered from `from`'s `cmpctblock` sent unasked (its finder's
   * push), our peers that speak compact blocks and are linked to `from` by the last `peers`
   * answers (`from`'s, or their own): its finder pushed the block to them at the same moment
   * (a finder pushes its block to every peer that speaks compact blocks). Otherwise none.
   */
  finderLinks(from: string, id: string): ReadonlySet<string> {
    const links = new Set<string>();
    if (!this.delivering.get(deliveryKey(from, id))?.unasked) return links;
    const listed = new Set(this.host.linksOf(from));
    for (const peer of this.host.readyPeers()) {
      if (!this.negotiated(peer) || !this.peers.get(peer)?.speaks) continue;
      if (listed.has(peer.id) || this.host.linksOf(peer.id).includes(from)) links.add(peer.id);
    }
    return links;
  }

  /** Block `entry` joined our active chain: peers we sent it to early have it (compact-send). */
  accepted(entry: BlockEntry): void {
    this.sender.accepted(entry);
  }

  /** Answer a `getdata` for kind `cmpct`: true when a `cmpctblock` was sent. */
  serveCompact(peer: Peer, block: Block): boolean {
    if (!this.negotiated(peer) || !this.stateOf(peer).speaks) return false;
    return this.sender.serve(peer, block);
  }

  /**
   * The score a refused block costs its sender `peer`: nothing when that peer sent it as a
   * compact block, which BIP152 lets a peer relay before validating it (its header was
   * checked). The same block sent whole by another peer at the same time still costs that one.
   */
  penaltyFor(rejection: Rejection, id: string, peer: Peer): Rejection {
    const key = deliveryKey(peer.id, id);
    if (!this.delivering.has(key) || rejection.category !== 'consensus') return rejection;
    return { ...rejection, score: 0, message: `${rejection.message} (relayed compact)` };
  }

  /** Give up rebuilds that waited too long for their `blocktxn`: fetch those blocks whole. */
  tick(): void {
    const now = this.host.now();
    for (const peer of this.host.readyPeers()) {
      const partials = this.peers.get(peer)?.partials;
      for (const [id, { partial, since }] of partials ?? []) {
        if (now - since < PARTIAL_BLOCK_TIMEOUT_MS) continue;
        partials!.delete(id);
        void this.fallBack(peer, partial.header, id);
      }
    }
  }

  private *candidates(): Iterable<Tx> {
    for (const entry of this.host.state.mempool.entries()) yield entry.tx;
    yield* this.extra;
    yield* this.host.orphanTxs();
  }

  private async onCompactBlock(peer: Peer, message: CmpctBlockMessage): Promise<void> {
    const { chain, params } = this.host.state;
    const id = headerId(message.header);
    peer.known.add(blockKey(id));
    // Neither fetched (`getdata` kind cmpct) nor pushed because we asked: its finder's push.
    const unasked = !peer.inFlight.has(id) && !this.highBandwidth.includes(peer.id);
    // Another peer's copy is being validated (high-bandwidth peers race): take its verdict
    // rather than rebuild and validate the same block again.
    await this.host.validation(id);
    const known = chain.getEntry(id);
    // Already have it, or know it is invalid (a peer may relay before validating: no blame).
    if ((known && (hasData(known) || known.status === 'invalid')) || chain.hasOrphan(id)) {
      return this.release(peer, id);
    }
    const parent = chain.getEntry(hashToHex(message.header.prevHash));
    let entry = known;
    if (!entry && parent) {
      const nowSeconds = Math.floor(this.host.now() / 1000);
      const checked = headerEntry(message.header, id, parent, params, nowSeconds, 0);
      if (checked.ok) entry = checked.value;
    }
    // Unknown parent, an invalid header (penalised there), a parent without its body, or not
    // more work than our tip: the headers path handles it, and the body comes whole.
    if (!entry || !parent || !hasData(parent) || entry.chainWork <= chain.tip.chainWork) {
      return this.fallBack(peer, message.header, id);
    }
    const state = this.stateOf(peer);
    const { partial, result } = PartialBlock.start(message, this.candidates());
    if (!result.ok) return this.failedRebuild(peer, message.header, id, result);
    if (result.block) return this.complete(peer, result.block, unasked);
    state.partials.delete(id);
    if (state.partials.size >= MAX_PARTIAL_BLOCKS_PER_PEER) {
      const [oldId, old] = state.partials.entries().next().value!;
      state.partials.delete(oldId);
      void this.fallBack(peer, old.partial.header, oldId);
    }
    state.partials.set(id, { partial, since: this.host.now(), unasked });
    peer.send({
      type: 'getblocktxn',
      blockHash: headerHash(message.header),
      indexes: result.missing,
    });
  }

  private async onBlockTxn(peer: Peer, hash: Uint8Array, txs: readonly Tx[]): Promise<void> {
    const id = hashToHex(hash);
    const partials = this.stateOf(peer).partials;
    const waiting = partials.get(id);
    if (!waiting) {
      const message = 'a blocktxn for no getblocktxn of ours: ignored';
      this.host.refused({
        kind: 'block',
        id,
        reason: 'unrequested-blocktxn',
        message,
        from: peer.id,
        score: 0,
      });
      return;
    }
    partials.delete(id);
    const result = waiting.partial.fill(txs);
    if (!result.ok) return this.failedRebuild(peer, waiting.partial.header, id, result);
    if (result.block) return this.complete(peer, result.block, waiting.unasked);
  }

  private async complete(peer: Peer, block: Block, unasked: boolean): Promise<void> {
    const id = headerId(block.header);
    this.sender.checked.add(block);
    const key = deliveryKey(peer.id, id);
    this.delivering.set(key, { unasked });
    try {
      await this.host.deliver(peer, block);
    } finally {
      this.delivering.delete(key);
    }
    // A high-bandwidth peer whose block failed validation stops being one (no other penalty).
    if (this.host.state.chain.getEntry(id)?.status === 'invalid') this.demote(peer);
  }

  private demote(peer: Peer): void {
    const at = this.highBandwidth.indexOf(peer.id);
    if (at < 0) return;
    this.highBandwidth.splice(at, 1);
    peer.send({ type: 'sendcmpct', highBandwidth: false, version: COMPACT_VERSION });
  }

  /**
   * The rebuild failed. A collision is nobody's fault: the block is fetched whole. Only what the
   * sender provably got wrong (every transaction was its own, or its `blocktxn` did not answer
   * our request) costs it; the header stays valid either way.
   */
  private async failedRebuild(
    peer: Peer,
    header: BlockHeader,
    id: string,
    failure: ReconstructionFailure,
  ): Promise<void> {
    const score = failure.provable ? 100 : 0;
    await this.fallBack(peer, header, id);
    if (score > 0) this.host.penalise(peer, reject(failure.reason, failure.message), 'block', id);
    else
      this.host.refused({
        kind: 'block',
        id,
        reason: failure.reason,
        message: failure.message,
        from: peer.id,
        score,
      });
  }

  /** Fetch the block whole from now on, and treat its header as a plain announcement. */
  private async fallBack(peer: Peer, header: BlockHeader, id: string): Promise<void> {
    this.failed.add(id);
    if (this.failed.size > MAX_FAILED_IDS) this.failed.delete(this.failed.values().next().value!);
    this.release(peer, id);
    if (peer.state === 'ready') await this.host.announced(peer, header);
  }

  /** Free the downloader's claim if `peer` was asked for this block (`getdata` kind cmpct). */
  private release(peer: Peer, id: string): void {
    if (peer.inFlight.has(id)) this.host.release(peer, id);
  }
}
