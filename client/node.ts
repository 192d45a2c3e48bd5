/**
 * The browser node: the one place that wires storage (IndexedDB), chain state and mempool
 * (core), the network (tracker + WebRTC mesh + protocol) and the wallet together, and
 * exposes typed events and intents for the UI.
 */
import {
  DEFAULT_WRITE_CACHE,
  NodeState,
  encodeHeader,
  hashToHex,
  mineRange,
  bitsToTarget,
  decodeBlock,
  publicKeyOf,
  txidHex,
  type Block,
  type ChainParams,
  type NetworkName,
} from '../core/index.js';
import { Emitter } from './events.js';
import { RELAY_FIRST_MS } from './pacer.js';
import { AttackLab } from './lab/lab.js';
import type { SybilDialer } from './lab/rejoin.js';
import { browserSybilDialer } from './lab/sybil-dialer.js';
import { claimIdentity, randomNodeId, type Identity } from './identity.js';
import { BanList } from './net/bans.js';
import type { LinkFailure, LinkRoute } from './net/link-attempt.js';
import { browserIntroducers } from './net/broadcast-intro.js';
import { Mesh } from './net/mesh.js';
import { P2P, type P2PEvents } from './net/p2p.js';
import { LOCAL } from './net/p2p-types.js';
import { secureRandom } from './net/secure-random.js';
import { browserRefusesIceServers, connectPeer, peerConnections } from './net/simple-peer-link.js';
import { TrackerClient } from './net/tracker-client.js';
import { nodeDbName, openNodeDb, type NodeDb } from './storage/db.js';
import { resetForeignChain } from './storage/chain-reset.js';
import { IdbChainStore } from './storage/idb-chain-store.js';
import {
  loadBans,
  loadMempool,
  removeMempoolTxs,
  saveBan,
  saveMempoolTx,
} from './storage/node-records.js';
import { indexKeyRanges } from './wallet/history.js';
import { Wallet } from './wallet/wallet.js';
import { createBrowserMiningWorker } from './mining/browser-worker.js';
import { MiningController, type MiningStatus } from './mining/mining-controller.js';
import { PowSampler } from './mining/pow-sampler.js';
import { startBrowserPreverifier } from './verify/browser-preverifier.js';
import { WriteBehind } from './write-behind.js';
import type { Preverifier } from './verify/preverifier.js';

import { paramsFor, type NodeConfig } from './node-config.js';

export { configFromLocation, paramsFor, type NodeConfig } from './node-config.js';

export interface NodeEvents extends P2PEvents {
  mining: MiningStatus;
  tracker: { connected: boolean; message: string };
  notice: string;
  /** A WebRTC link attempt ended without a link: which peer, how far it got, why. */
  'link-failed': LinkFailure;
  /** A new link's route: direct between the hosts, or through a TURN relay. */
  'link-route': { peer: string; route: LinkRoute };
  /** Link attempts or the nodes known from the tracker changed: re-read `mesh.status()`. */
  links: void;
  /** Something about the chain or mempool changed: re-read the summary. */
  changed: void;
  /** The wallet's balances, history, lock state or key changed: re-read them. */
  wallet: void;
}

export interface NodeSummary {
  nodeId: string;
  network: NetworkName;
  height: number;
  tip: string;
  tipTime: number;
  peers: number;
  mempool: number;
  address: string;
  trackerConnected: boolean;
  syncing: boolean;
}

/** Continuous regtest mining: one block a second unless the user picks another pace. */
export const DEFAULT_REGTEST_PACE_MS = 1_000;

export class TabNode extends Emitter<NodeEvents> {
  /**
   * Until this `performance.now()` time, re-renders wait (NodeController): the tip has just
   * moved, and the block is still crossing the network, where tabs of one machine share its
   * cores (RELAY_FIRST_MS after each new tip, as for the wallet's catch-up).
   */
  relayFirstUntil = 0;

  private constructor(
    readonly identity: Identity,
    readonly params: ChainParams,
    readonly db: NodeDb,
    readonly state: NodeState,
    readonly p2p: P2P,
    readonly tracker: TrackerClient,
    readonly mesh: Mesh,
    readonly wallet: Wallet,
  ) {
    super();
    this.miner = new MiningController({
      pow: this.pow,
      node: {
        // Pay the wallet's current key: a restore replaces it (then `key-changed` refreshes).
        template: (_payTo, now, extraNonce) => state.template(wallet.pubkey, now, extraNonce),
        processBlock: (block) => p2p.submitBlock(block, LOCAL, true),
      },
      payTo: wallet.pubkey,
      createWorker: createBrowserMiningWorker,
      maxWorkers: navigator.hardwareConcurrency || 1,
      // Regtest blocks need a couple of hashes: pace them so people can follow.
      paceMs: params.network === 'regtest' ? DEFAULT_REGTEST_PACE_MS : 0,
    });
  }

  /** What the live proof-of-work view shows, fed by the workers and by `mineOneBlock`. */
  readonly pow = new PowSampler();
  /** Continuous mining in Web Workers (start/stop/setWorkers; status events). */
  readonly miner: MiningController;
  /**
   * Notices raised while the node started (an old chain cleared, a bad ICE setting, a wallet
   * note), before anyone could listen: the UI shows them and the event log records them first.
   */
  readonly startNotices: string[] = [];

  static async start(config: NodeConfig): Promise<TabNode> {
    const identity = await claimIdentity({
      search: location.search,
      network: paramsFor(config).storeName,
      session: sessionStorage,
      local: localStorage,
      locks: navigator.locks,
      randomId: randomNodeId,
    });
    const { params, storeName } = paramsFor(config);
    const db = await openNodeDb(nodeDbName(storeName, identity.nodeId), {
      onVersionChange: () => location.reload(),
    });
    // A chain from before the last consensus change (another genesis) is cleared, the wallet
    // kept: the node then syncs the current network from its peers.
    const foreign = await resetForeignChain(db, params.genesisId, indexKeyRanges());
    // Far behind, connects are batched in memory (write-cache.ts; docs/architecture.md); at
    // the tip a block's writes follow it moments after it is accepted (write-behind.ts).
    const state = await NodeState.open(params, new IdbChainStore(db), {
      writeCache: { ...DEFAULT_WRITE_CACHE, deferTipFlush: true },
    });
    for (const pending of await loadMempool(db)) await state.acceptTx(pending.tx, pending.time);
    const bans = new BanList(
      await loadBans(db, Date.now()),
      (ban) => void saveBan(db, ban.id, ban.until, ban.reason),
    );
    const preverifier = startBrowserPreverifier(state.chain, (tx) => state.mempool.admitted(tx));
    const p2p = new P2P({
      nodeId: identity.nodeId,
      state,
      preverifier,
      bans,
      userAgent: 'tabcoin-browser/0.1',
      compactBlocks: config.compactBlocks ?? true,
      env: {
        now: () => Date.now(),
        setInterval: (fn, ms) => setInterval(fn, ms),
        clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        random: secureRandom,
      },
    });
    p2p.status.setLocal({ name: identity.nodeId, anonymous: config.anonymous ?? false });
    const tracker = new TrackerClient(config.trackerUrl, params.genesisId, identity.nodeId);
    const mesh = new Mesh({
      p2p,
      tracker,
      introducers: browserIntroducers(
        params.genesisId,
        identity.nodeId,
        p2p.relay,
        config.sameBrowserIntroductions,
      ),
      connect: connectPeer,
      connections: peerConnections,
      iceServers: config.iceServers,
      refusesIceServers: browserRefusesIceServers,
    });
    const wallet = await Wallet.open({
      db,
      state,
      p2p,
      network: config.network,
      random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    });
    const node = new TabNode(identity, params, db, state, p2p, tracker, mesh, wallet);
    node.sybil = browserSybilDialer(config.trackerUrl, params.genesisId, config.iceServers);
    node.wire();
    node.miner.on('status', (s) => preverifier.onMining(s.running ? s.workers : 0));
    node.preverifier = preverifier;
    p2p.start();
    mesh.start();
    // A batch left cached when blocks stop coming (a stalled sync) reaches storage anyway.
    node.flushTimer = setInterval(() => {
      if (state.chain.cache?.bytes) void state.chain.flush().catch((e) => node.storageProblem(e));
    }, DEFAULT_WRITE_CACHE.maxAgeSeconds * 1000);
    if (foreign?.notice) node.startNotices.push(foreign.notice);
    for (const problem of config.iceProblems) node.startNotices.push(`ICE setting: ${problem}`);
    // The identity's notice (a name taken elsewhere) is shown by the page's header instead.
    if (wallet.openNotice) node.startNotices.push(wallet.openNotice);
    for (const text of node.startNotices) node.emit('notice', text);
    return node;
  }

  /** Forward network events and keep the stored mempool in step with the live one. */
  private wire(): void {
    // First of all listeners: whatever a new tip makes the page do waits for the relay (every
    // chain change comes with its block's 'active' block-accepted, emitted before it; while
    // syncing, renderDelay paces instead).
    this.p2p.on('block-accepted', ({ status }) => {
      if (status === 'active') this.relayFirstUntil = performance.now() + RELAY_FIRST_MS;
    });
    const forward = <K extends keyof P2PEvents>(event: K) =>
      this.p2p.on(event, (payload) => {
        this.emit(event, payload as NodeEvents[K]);
        this.emit('changed', undefined);
      });
    for (const event of [
      'peer-connected',
      'peer-disconnected',
      'block-accepted',
      'tx-accepted',
      'refused',
      'banned',
      'sync-progress',
      'peer-reject',
    ] as const) {
      forward(event);
    }
    this.p2p.on('tx-accepted', ({ id }) => {
      const entry = this.state.mempool.get(id);
      if (entry)
        void saveMempoolTx(this.db, entry.tx, entry.time).catch((err) => this.storageProblem(err));
    });
    this.p2p.on('chain-changed', (result) => {
      const { confirmed, conflicts, expired } = result.mempool;
      const gone = [...confirmed, ...conflicts, ...expired].map((e) => e.id);
      // Near the tip the chain left its writes to us (deferTipFlush); far behind it batches.
      const { chain } = this.state;
      if (chain.bestHeader.height - chain.height < DEFAULT_WRITE_CACHE.minGap)
        this.writes.add(() => chain.flush());
      if (gone.length > 0) this.writes.add(() => removeMempoolTxs(this.db, gone));
      for (const entry of result.mempool.returned)
        this.writes.add(() => saveMempoolTx(this.db, entry.tx, entry.time));
      this.emit('chain-changed', result);
      this.emit('changed', undefined);
    });
    this.p2p.on('failure', ({ message }) => this.emit('notice', message));
    this.p2p.on('chain-changed', () => void this.miner.onTip());
    this.p2p.on('tx-accepted', () => this.miner.onMempoolChange());
    this.wallet.on('changed', () => {
      this.emit('wallet', undefined);
      this.emit('changed', undefined);
    });
    this.wallet.on('key-changed', () => void this.miner.onTip());
    this.wallet.on('notice', (text) => this.emit('notice', text));
    this.miner.on('status', (status) => {
      this.p2p.status.setLocal({ mining: status.running, hashrate: status.hashrate });
      this.emit('mining', status);
    });
    this.miner.on('error', (err) => this.emit('notice', `miner: ${err.message}`));
    this.tracker.on('status', (status) => {
      this.emit('tracker', status);
      this.emit('changed', undefined);
    });
    this.mesh.on('link-failed', (failure) => this.emit('link-failed', failure));
    this.mesh.on('link-route', (route) => this.emit('link-route', route));
    this.mesh.on('changed', () => this.emit('links', undefined));
    this.mesh.on('ice-problem', (problem) => this.emit('notice', `ICE setting: ${problem}`));
    this.mesh.on('budget', ({ notice }) => notice && this.emit('notice', notice));
    this.tracker.on('replaced', () =>
      this.emit('notice', 'This node was opened in another tab; this tab stopped signalling.'),
    );
    this.tracker.on('error', (error) =>
      this.emit('notice', `tracker refused ${error.event}: ${error.message}`),
    );
  }

  private storageProblem(err: unknown): void {
    this.emit('notice', (err as Error).message);
  }

  summary(): NodeSummary {
    const tip = this.state.chain.tip;
    return {
      nodeId: this.identity.nodeId,
      network: this.params.network,
      height: tip.height,
      tip: tip.id,
      tipTime: tip.header.time,
      peers: [...this.p2p.peers.values()].filter((p) => p.state === 'ready').length,
      mempool: this.state.mempool.size,
      address: this.wallet.address,
      // The socket's own state: it may connect before wire() subscribes to its status events.
      trackerConnected: this.tracker.connected,
      syncing: this.state.chain.bestHeader.height > tip.height,
    };
  }

  /**
   * Mine one block on the current tip paying this node's key, in slices that yield to the page
   * between them. Meant for regtest and demos; continuous mining runs in Web Workers.
   */
  async mineOneBlock(sliceSize = 50_000): Promise<Block> {
    for (let extraNonce = 0; ; extraNonce++) {
      const template = await this.state.template(
        this.wallet.pubkey,
        Math.floor(Date.now() / 1000),
        extraNonce,
      );
      // Time is max(now, median time past + 1): when that is ahead of the clock (blocks
      // faster than one a second), wait for the clock rather than stamp a future time.
      const ahead = template.block.header.time * 1000 - Date.now();
      if (ahead > 0) {
        await new Promise((resolve) => setTimeout(resolve, ahead));
        continue;
      }
      const parent = hashToHex(template.block.header.prevHash);
      const header = encodeHeader(template.block.header);
      const target = bitsToTarget(template.block.header.bits);
      const height = this.state.chain.height + 1;
      this.pow.begin(template.block.header, height, 'main thread');
      for (let from = 0; from < 2 ** 32 && this.state.chain.tip.id === parent; from += sliceSize) {
        const to = Math.min(2 ** 32, from + sliceSize);
        const nonce = mineRange(header, target, from, to);
        this.pow.addHashes((nonce >= 0 ? nonce + 1 : to) - from);
        if (nonce >= 0) this.pow.found(nonce);
        else if (this.pow.wantsSample()) this.pow.sample(to - 1);
        if (nonce >= 0) {
          const block = { ...template.block, header: { ...template.block.header, nonce } };
          const result = await this.p2p.submitBlock(block, LOCAL, true);
          if (!result.ok) throw new Error(`own block refused: ${result.reason}: ${result.message}`);
          return block;
        }
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      // The tip moved (a peer's block arrived) or the nonces ran out: new template.
    }
  }

  /**
   * Mine exactly `count` blocks of our own, one after another (each as `mineOneBlock`);
   * `progress` hears each one. Resolves with the blocks.
   */
  async mineBlocks(count: number, progress?: (done: number) => void): Promise<Block[]> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be 1 or more');
    const blocks: Block[] = [];
    while (blocks.length < count) {
      blocks.push(await this.mineOneBlock());
      progress?.(blocks.length);
    }
    return blocks;
  }

  /**
   * Feed encoded blocks through the normal validation path, as if a peer had sent them (chain
   * imports, tests, benchmarks). Returns how many were accepted; stops at the first refusal.
   */
  async importBlocks(encoded: readonly Uint8Array[]): Promise<number> {
    let accepted = 0;
    for (const bytes of encoded) {
      const decoded = decodeBlock(bytes);
      if (!decoded.ok) throw new Error(`block ${accepted}: ${decoded.message}`);
      const result = await this.p2p.submitBlock(decoded.value, 'local');
      if (!result.ok && result.category !== 'duplicate')
        throw new Error(`block ${accepted}: ${result.reason}`);
      accepted++;
    }
    return accepted;
  }

  private labInstance: AttackLab | undefined = undefined;
  /** How the attack lab opens links under other node ids ("rejoin under new ids"). */
  private sybil: SybilDialer | undefined = undefined;

  /**
   * The attack lab (created on first use). It signs with a key of its own, kept in memory for
   * this tab's session, so nothing it does touches the wallet.
   */
  get lab(): AttackLab {
    if (!this.labInstance) {
      const secret = crypto.getRandomValues(new Uint8Array(32));
      this.labInstance = new AttackLab({
        state: this.state,
        p2p: this.p2p,
        pubkey: publicKeyOf(secret),
        secretKey: () => secret,
        sybil: this.sybil,
      });
    }
    return this.labInstance;
  }

  /** Ids of pending transactions, newest last. */
  mempoolIds(): string[] {
    return this.state.mempool.entries().map((e) => txidHex(e.tx));
  }

  /** Verifies block signatures in Web Workers before they connect (client/verify/). */
  preverifier?: Preverifier = undefined;

  private flushTimer: ReturnType<typeof setInterval> | undefined = undefined;

  /** Storage writes that follow a new tip moments later (write-behind.ts). */
  private readonly writes = new WriteBehind((err) => this.storageProblem(err));

  /** Start writing the cached chain changes now (the page is being hidden or closed). */
  flushNow(): void {
    this.state.chain.cache?.startFlush();
    this.writes.runNow();
  }

  stop(): void {
    this.preverifier?.close();
    clearInterval(this.flushTimer);
    // Before the database closes: a transaction begun now still completes.
    this.flushNow();
    this.miner.stop();
    this.wallet.stop();
    this.mesh.stop();
    this.p2p.stop();
    this.tracker.close();
    this.db.close();
  }
}
