/**
 * The peer-to-peer protocol of a node (docs/protocol.md, "Wire protocol"): handshake, headers-
 * first sync with parallel block download, block and transaction relay without floods, serving
 * data to peers, and the one place where a rejection becomes a penalty: consensus-invalid data
 * bans its sender. Links come from outside (the mesh, or tests); time comes from `env`.
 */
import {
  hashToHex,
  headerId,
  type Block,
  type InvItem,
  type NodeState,
  type ProcessedBlock,
  type Rejection,
  type Tx,
  type WireMessage,
} from '../../core/index.js';
import { Emitter } from '../events.js';
import { OriginThrottle } from './admission.js';
import { BanList, DEFAULT_BAN_MS } from './bans.js';
import type { Link } from './link.js';
import type { OrphanTxs } from './orphan-txs.js';
import {
  DEFAULT_MAX_PEERS,
  blockKey,
  type P2PEvents,
  type P2POptions,
  type P2PEnv,
  type RefusedEvent,
  type Source,
} from './p2p-types.js';
import { HeaderSync } from './header-sync.js';
import { WakeDetector, checkLinks, receivePong } from './keepalive.js';
import { SyncStart, announceAfterPush, syncProgress } from './block-announce.js';
import { CompactRelay } from './compact-relay.js';
import {
  ORIGIN_THROTTLED,
  admitLink,
  linkRefusal,
  penalise,
  reportThrottled,
  type MisbehaviourHost,
} from './misbehaviour.js';
import { Peer, type PeerStats } from './peer.js';
import { DataServer, ourHello, refuseHello } from './serve.js';
import { SignalRelay } from './signal-relay.js';
import { StatusRelay } from './status-relay.js';
import { BlockDownloader, DEFAULT_DOWNLOAD } from './sync.js';
import { Traffic } from './traffic.js';
import { TxRelay } from './tx-relay.js';

export * from './p2p-types.js';

export class P2P extends Emitter<P2PEvents> {
  readonly peers = new Map<string, Peer>();
  readonly bans: BanList;
  private readonly txs: TxRelay;
  /** Compact block relay (BIP152-style); `compactBlocks: false` switches it off. */
  readonly compact: CompactRelay;
  private readonly downloader: BlockDownloader;
  private readonly headerSync: HeaderSync;
  private readonly server: DataServer;
  private readonly state: NodeState;
  private readonly env: P2PEnv;
  private readonly misbehaviour: MisbehaviourHost;
  private timer: unknown = undefined;
  private readonly nowSeconds = () => Math.floor(this.env.now() / 1000);
  private readonly syncStart: SyncStart;
  readonly maxPeers: number;
  /** Messages and bytes received, by message type. */
  readonly traffic = new Traffic();
  /** The optional status protocol (classroom view): reports heard, and our own. */
  readonly status: StatusRelay;
  /** Peer exchange and relayed signaling (version 3): a signaling source for the mesh. */
  readonly relay: SignalRelay;

  constructor(private readonly options: P2POptions) {
    super();
    this.state = options.state;
    this.env = options.env;
    this.bans = options.bans ?? new BanList();
    this.maxPeers = options.maxPeers ?? DEFAULT_MAX_PEERS;
    this.misbehaviour = {
      bans: this.bans,
      throttle: new OriginThrottle(),
      banMs: options.banMs ?? DEFAULT_BAN_MS,
      now: () => this.env.now(),
      refused: (event) => this.emit('refused', event),
      banned: (ban) => this.emit('banned', ban),
    };
    this.downloader = new BlockDownloader(this.state.chain, {
      ...DEFAULT_DOWNLOAD,
      ...options.download,
    });
    this.syncStart = new SyncStart(this.state.chain.height);
    this.headerSync = new HeaderSync({
      chain: this.state.chain,
      now: () => this.env.now(),
      readyPeers: () => this.readyPeers(),
      penalise: (peer, rejection, kind, id) => this.penalise(peer, rejection, kind, id),
      headersAccepted: () => {
        this.reportProgress();
        this.requestBlocks();
      },
    });
    this.server = new DataServer({
      chain: this.state.chain,
      mempool: this.state.mempool,
      overflow: (peer, reason, message) => {
        this.emit('refused', { kind: 'message', reason, message, from: peer.id, score: 0 });
        peer.close(`${reason}: ${message}`);
      },
      failure: (err) => this.emit('failure', { message: (err as Error).message ?? String(err) }),
      serveCompact: (peer, block) => this.compact.serveCompact(peer, block),
    });
    this.txs = new TxRelay({
      state: this.state,
      peers: this.peers,
      nowSeconds: () => this.nowSeconds(),
      now: () => this.env.now(),
      emit: (event, payload) => this.emit(event, payload),
      penalise: (peer, rejection, id) => this.penalise(peer, rejection, 'tx', id),
      refusedTx: (tx) => this.compact.rememberTx(tx),
    });
    this.compact = new CompactRelay({
      state: this.state,
      enabled: options.compactBlocks ?? true,
      now: () => this.env.now(),
      random: () => this.env.random(),
      peer: (id) => this.peers.get(id),
      readyPeers: () => this.readyPeers(),
      orphanTxs: () => this.txs.orphans.all(),
      deliver: (peer, block) => this.onBlock(peer, block),
      validation: (id) => this.server.validation(id),
      linksOf: (id) => this.relay.exchange.linksOf(id),
      announced: (peer, header) => this.headerSync.receive(peer, [header]),
      release: (peer, id) => this.downloader.release(peer, id),
      penalise: (peer, r, kind, id) => this.penalise(peer, r, kind, id),
      refused: (event) => this.emit('refused', event),
    });
    this.downloader.kindFor = (peer, id) => this.compact.kindFor(peer, id);
    this.status = new StatusRelay(
      this,
      this.state.chain,
      () => this.env.now(),
      (peer, r) => this.penalise(peer, r, 'message'),
    );
    this.relay = new SignalRelay(this, this.env, (peer, r) => this.penalise(peer, r, 'message'));
  }

  /** Transactions waiting for their parents. */
  get orphanTxs(): OrphanTxs {
    return this.txs.orphans;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  private get chain() {
    return this.state.chain;
  }

  start(): void {
    this.timer ??= this.env.setInterval(() => this.tick(), 1000);
  }

  stop(): void {
    if (this.timer !== undefined) this.env.clearInterval(this.timer);
    this.timer = undefined;
    for (const peer of [...this.peers.values()]) peer.close('node stopped');
  }

  /**
   * Why a link from `remoteId` would be refused now (banned, duplicate, full, or its `origin`
   * is over its budget: admission.ts), without spending anything; undefined if it would not.
   */
  refusesLink(remoteId: string, origin?: string, report = false): string | undefined {
    const refusal = linkRefusal(this.misbehaviour, remoteId, this, origin, false);
    if (report && refusal === ORIGIN_THROTTLED) reportThrottled(this.misbehaviour, remoteId);
    return refusal;
  }

  /**
   * Hand over a new link, with the tracker's `origin` tag of the remote when known; false (and
   * the link closed) if banned, duplicate, full or throttled.
   */
  addLink(link: Link, origin?: string): boolean {
    if (!admitLink(this.misbehaviour, link, this, origin)) return false;
    const peer = new Peer(
      link,
      {
        onMessage: (p, message, bytes) => {
          this.traffic.count(message.type, bytes);
          this.dispatch(p, message);
        },
        onInvalid: (p, rejection) => this.penalise(p, rejection, 'message'),
        onClose: (p, reason) => this.onClose(p, reason),
        onDrained: (p) => this.server.drained(p),
      },
      () => this.env.now(),
      origin,
    );
    this.peers.set(peer.id, peer);
    const agent = this.options.userAgent ?? 'tabcoin/0.1';
    peer.send(ourHello(this.chain, this.state.params.genesisId, this.nodeId, agent));
    return true;
  }

  peerStats(): PeerStats[] {
    return [...this.peers.values()].map((p) => p.stats());
  }

  private readyPeers(): Peer[] {
    return [...this.peers.values()].filter((p) => p.state === 'ready');
  }

  private onClose(peer: Peer, reason: string): void {
    this.downloader.dropPeer(peer);
    this.headerSync.dropPeer(peer);
    this.server.dropPeer(peer);
    this.compact.dropPeer(peer);
    if (this.peers.get(peer.id) === peer) this.peers.delete(peer.id);
    this.txs.dropPeer(peer);
    this.emit('peer-disconnected', { id: peer.id, reason });
    this.requestBlocks();
  }

  private penalise(
    peer: Peer,
    rejection: Rejection,
    kind: RefusedEvent['kind'],
    id?: string,
  ): void {
    penalise(this.misbehaviour, peer, rejection, kind, id);
  }

  private dispatch(peer: Peer, message: WireMessage): void {
    if (peer.state === 'handshaking' && message.type !== 'hello') {
      peer.close(`sent ${message.type} before hello`);
      return;
    }
    switch (message.type) {
      case 'hello':
        return this.onHello(peer, message);
      case 'ping':
        return peer.send({ type: 'pong', nonce: message.nonce });
      case 'pong':
        return receivePong(peer, message.nonce, this.env.now());
      case 'inv':
        return this.onInv(peer, message.items);
      case 'getdata':
        return this.server.getdata(peer, message.items);
      case 'notfound':
        for (const item of message.items) {
          if (item.kind !== 'tx')
            this.downloader.notFound(peer, hashToHex(item.hash), this.env.now());
        }
        this.txs.notFound(peer, message.items);
        this.requestBlocks();
        return;
      case 'getheaders':
        return this.server.getheaders(peer, message.locator, message.stop);
      case 'headers':
        return this.guard(this.headerSync.receive(peer, message.headers));
      case 'block':
        return this.guard(this.onBlock(peer, message.block));
      case 'tx':
        return this.guard(this.txs.receive(peer, message.tx));
      case 'status':
        return this.status.receive(peer, message);
      case 'sendcmpct':
      case 'cmpctblock':
      case 'getblocktxn':
      case 'blocktxn':
        return this.guard(this.compact.receive(peer, message));
      case 'getpeers':
      case 'peers':
      case 'signal':
        return this.relay.receive(peer, message);
      case 'reject':
        this.emit('peer-reject', {
          from: peer.id,
          message: message.message,
          reason: message.reason,
          detail: message.detail,
        });
        return;
    }
  }

  /**
   * Await a message handler; a failure on our side (storage full, a bug) is reported, never
   * left as an unhandled rejection, and never blamed on the peer.
   */
  private guard(work: Promise<void>): void {
    work.catch((err: unknown) =>
      this.emit('failure', { message: (err as Error).message ?? String(err) }),
    );
  }

  private onHello(peer: Peer, hello: Extract<WireMessage, { type: 'hello' }>): void {
    if (refuseHello(hello, peer, this.state.params.genesisId)) return;
    peer.hello = hello;
    peer.state = 'ready';
    const tipEntry = this.chain.getEntry(hashToHex(hello.tip));
    if (tipEntry && tipEntry.status !== 'invalid') peer.bestAnnounced = tipEntry;
    this.emit('peer-connected', peer.stats());
    this.compact.peerReady(peer);
    if (hello.chainWork > this.chain.bestHeader.chainWork || (!tipEntry && hello.chainWork > 0n))
      this.headerSync.want(peer);
    // Our chain may have moved since our hello left: announce the tip if we are ahead.
    const tip = this.chain.tip;
    if (tip.chainWork > hello.chainWork && !peer.known.has(blockKey(tip.id))) {
      peer.known.add(blockKey(tip.id));
      peer.send({ type: 'headers', headers: [tip.header] });
    }
  }

  private onInv(peer: Peer, items: readonly InvItem[]): void {
    let unknownBlock = false;
    for (const item of items) {
      if (item.kind !== 'block') continue; // tx: TxRelay; cmpct: only meaningful in getdata (BIP152)
      const id = hashToHex(item.hash);
      peer.known.add(blockKey(id));
      if (!this.chain.getEntry(id)) unknownBlock = true;
    }
    this.txs.announced(peer, items);
    if (unknownBlock) this.headerSync.want(peer);
  }

  private async onBlock(peer: Peer, block: Block): Promise<void> {
    const id = headerId(block.header);
    peer.known.add(blockKey(id));
    this.downloader.arrived(peer, id);
    this.downloader.claim(peer, id, this.env.now()); // also unrequested ones (compact): not fetched meanwhile
    const result = await this.submitBlock(block, peer.id);
    this.downloader.processed(id);
    if (result.ok && result.status === 'orphan') {
      this.emit('refused', {
        kind: 'block',
        id,
        reason: 'prev-blk-not-found',
        message: 'its parent is unknown: held as an orphan until the parent arrives',
        from: peer.id,
        score: 0,
      });
      this.headerSync.want(peer);
    }
    const entry = this.chain.getEntry(id);
    if (
      entry &&
      entry.status !== 'invalid' &&
      (!peer.bestAnnounced || entry.chainWork > peer.bestAnnounced.chainWork)
    ) {
      peer.bestAnnounced = entry;
    }
    this.requestBlocks();
  }

  /**
   * Validate a block (a peer's, or `LOCAL`: our own), then announce what joined the chain.
   * `found`: our miner has just found it (it goes to every compact peer at once; an imported or
   * replayed block of ours does not).
   */
  async submitBlock(block: Block, from: Source, found = false): Promise<ProcessedBlock> {
    this.compact.relayEarly(block, from, found);
    const process = () => this.state.processBlock(block, this.nowSeconds());
    const preverifier = this.options.preverifier;
    const work = preverifier ? preverifier.inOrder(block, process) : process();
    const result = await this.server.whileValidating(headerId(block.header), work);
    const id = result.id;
    const peer = this.peers.get(from);
    if (!result.ok) {
      if (result.category === 'duplicate') return result;
      if (peer) this.penalise(peer, this.compact.penaltyFor(result, id, peer), 'block', id);
      else
        this.emit('refused', {
          kind: 'block',
          id,
          reason: result.reason,
          message: result.message,
          from,
          score: 0,
        });
    } else {
      const entry = this.chain.getEntry(id);
      this.emit('block-accepted', { id, height: entry?.height ?? -1, status: result.status, from });
      if (peer && result.status === 'active') this.compact.deliveredFirst(peer, id);
      if (entry && result.status === 'active') this.compact.accepted(entry);
    }
    if (result.change.connected.length > 0 || result.change.disconnected.length > 0) {
      // Peers first: what the tab does with a new tip (storage, wallet, UI) can wait a moment.
      this.txs.tipChanged(result.change);
      const links = this.compact.finderLinks(from, id);
      announceAfterPush(this.readyPeers(), result.change.connected, from, links, this.env);
      this.emit('chain-changed', result);
      if (result.change.disconnected.length > 0) {
        this.emit('reorg', {
          depth: result.change.disconnected.length,
          from,
          tip: this.chain.tip.id,
          returned: result.mempool.returned.map((e) => e.id),
          doubleSpent: [...result.mempool.replaced, ...result.mempool.conflicts.map((e) => e.id)],
        });
      }
      for (const entry of result.mempool.returned) this.txs.announce(entry.tx, undefined);
      this.reportProgress();
    }
    return result;
  }

  /** Validate a transaction (from a peer, or 'local' from this tab's wallet) and relay it. */
  submitTx(tx: Tx, from: Source): Promise<Rejection | undefined> {
    return this.txs.submit(tx, from);
  }

  /** Ask peers for missing blocks on the best header chain. */
  private requestBlocks(): void {
    this.downloader.request(this.readyPeers(), this.env.now());
  }

  private reportProgress(): void {
    this.emit('sync-progress', syncProgress(this.chain, this.downloader.inFlight, this.syncStart));
    this.syncStart.note(this.chain, this.traffic.bytes);
  }

  /** Notices a tab that was frozen or asleep, so its links are not judged dead on waking. */
  readonly wake = new WakeDetector();

  /** Once a second: pings, dead links, stalled downloads and transaction requests, retries. */
  tick(): void {
    checkLinks(this.peers.values(), this.env.now(), {
      intervalMs: this.options.pingIntervalMs ?? 10_000,
      timeoutMs: this.options.pingTimeoutMs ?? 30_000,
      isStalled: (peer, now) => this.downloader.isStalled(peer, now),
      random: () => this.env.random(),
      wake: this.wake,
    });
    this.headerSync.tick();
    this.requestBlocks();
    this.status.tick();
    this.compact.tick();
    this.txs.tick();
    this.relay.exchange.refresh(); // peers' link lists older than a minute: they follow the mesh
    this.syncStart.note(this.chain, this.traffic.bytes);
  }
}
