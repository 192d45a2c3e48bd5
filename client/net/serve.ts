/**
 * Answering peers: whether their hello is acceptable, and the blocks, transactions and headers
 * they ask for, within a budget per peer (docs/protocol.md, "Budgets"): a getdata loses its
 * duplicates and any block past the 16th, requests wait in a bounded queue per peer, and the
 * next one is served only once everything sent before it has left our send queue (Bitcoin's
 * "pause send"). A peer that does not read therefore costs one answer's worth of memory, and a
 * peer that keeps asking regardless is disconnected.
 */
import {
  MAX_HEADERS_PER_MESSAGE,
  MAX_INV_ITEMS,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  type HelloMessage,
  hashToHex,
  headerHash,
  headerId,
  hexToHash,
  type Block,
  type Chain,
  type InvItem,
  type Mempool,
} from '../../core/index.js';
import type { Peer } from './peer.js';
import { blockKey } from './p2p-types.js';

/** Block items served per getdata; the rest are answered `notfound` at once. */
export const MAX_GETDATA_BLOCKS = 16;
/** Block items one peer may have waiting to be served (honest peers keep at most 16 in flight). */
export const MAX_QUEUED_BLOCKS = 2 * MAX_GETDATA_BLOCKS;
/** Items of any kind one peer may have waiting to be served. */
export const MAX_QUEUED_ITEMS = 2 * MAX_INV_ITEMS;

type Request =
  | { kind: 'tx' | 'block' | 'cmpct'; id: string }
  | { kind: 'headers'; locator: readonly Uint8Array[]; stop: Uint8Array };

interface PeerQueue {
  requests: Request[];
  blocks: number;
  /** The waiting getheaders, if any (a newer one replaces its locator). */
  headers: Extract<Request, { kind: 'headers' }> | undefined;
  missing: InvItem[];
  busy: boolean;
}

export interface DataServerHost {
  readonly chain: Chain;
  readonly mempool: Mempool;
  /** The peer asked for more than its budget: it is disconnected (no ban). */
  overflow(peer: Peer, reason: string, message: string): void;
  /** Something failed on our side while serving (storage): reported, never blamed on the peer. */
  failure(err: unknown): void;
  /** Send `block` to `peer` as a compact block, if it may have one (compact-relay.ts). */
  serveCompact?(peer: Peer, block: Block): boolean;
}

export class DataServer {
  private readonly queues = new Map<Peer, PeerQueue>();
  /** Blocks whose bodies are being validated now: a getdata for one waits for its verdict. */
  private readonly validating = new Map<string, Promise<void>>();

  constructor(private readonly host: DataServerHost) {}

  private queueOf(peer: Peer): PeerQueue {
    let queue = this.queues.get(peer);
    if (!queue) {
      queue = { requests: [], blocks: 0, headers: undefined, missing: [], busy: false };
      this.queues.set(peer, queue);
    }
    return queue;
  }

  /** A getdata: queue its distinct items (at most 16 blocks) and serve as the link drains. */
  getdata(peer: Peer, items: readonly InvItem[]): void {
    const queue = this.queueOf(peer);
    const seen = new Set<string>();
    const wanted: Request[] = [];
    const refused: InvItem[] = [];
    let blocks = 0;
    for (const item of items) {
      const id = hashToHex(item.hash);
      if (seen.has(`${item.kind}:${id}`)) continue;
      seen.add(`${item.kind}:${id}`);
      if (item.kind !== 'tx' && ++blocks > MAX_GETDATA_BLOCKS) refused.push(item);
      else wanted.push({ kind: item.kind, id });
    }
    blocks = Math.min(blocks, MAX_GETDATA_BLOCKS);
    if (
      queue.blocks + blocks > MAX_QUEUED_BLOCKS ||
      queue.requests.length + wanted.length > MAX_QUEUED_ITEMS
    ) {
      this.host.overflow(
        peer,
        'getdata-overflow',
        `asked for more than ${MAX_QUEUED_BLOCKS} blocks or ${MAX_QUEUED_ITEMS} items before reading the answers`,
      );
      return;
    }
    if (refused.length > 0) peer.send({ type: 'notfound', items: refused });
    queue.requests.push(...wanted);
    queue.blocks += blocks;
    this.pump(peer);
  }

  /** A getheaders: answered in turn; one that arrives while another waits replaces it. */
  getheaders(peer: Peer, locator: readonly Uint8Array[], stop: Uint8Array): void {
    const queue = this.queueOf(peer);
    if (queue.headers) {
      queue.headers.locator = locator;
      queue.headers.stop = stop;
    } else {
      queue.headers = { kind: 'headers', locator, stop };
      queue.requests.push(queue.headers);
    }
    this.pump(peer);
  }

  /**
   * `work` validates block `id`, whose body is here: until it settles, a getdata for the block
   * waits rather than get `notfound`, as if this node handled one message at a time (Bitcoin
   * Core does). Only blocks under validation are held, so the map stays small.
   */
  whileValidating<T>(id: string, work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.validating.set(id, settled);
    void settled.then(() => {
      if (this.validating.get(id) === settled) this.validating.delete(id);
    });
    return work;
  }

  /** Settles once block `id`'s validation has (undefined when it is not being validated). */
  validation(id: string): Promise<void> | undefined {
    return this.validating.get(id);
  }

  /** The peer's send queue emptied: serve what waits. */
  drained(peer: Peer): void {
    if (this.queues.get(peer)?.requests.length) this.pump(peer);
  }

  /** Forget a peer that went away. */
  dropPeer(peer: Peer): void {
    this.queues.delete(peer);
  }

  private pump(peer: Peer): void {
    const queue = this.queues.get(peer);
    if (!queue || queue.busy) return;
    queue.busy = true;
    this.serve(peer, queue)
      .catch((err: unknown) => this.host.failure(err))
      .finally(() => {
        queue.busy = false;
        const more = peer.state !== 'closed' && queue.requests.length > 0;
        if (more && peer.queuedBytes === 0) this.pump(peer);
      });
  }

  /** Serve requests in order while the peer reads: stop as soon as our send queue holds data. */
  private async serve(peer: Peer, queue: PeerQueue): Promise<void> {
    while (peer.state !== 'closed' && peer.queuedBytes === 0 && queue.requests.length > 0) {
      const request = queue.requests.shift()!;
      if (request.kind === 'headers') {
        queue.headers = undefined;
        serveHeaders(this.host.chain, peer, request.locator, request.stop);
      } else if (request.kind === 'tx') {
        const entry = this.host.mempool.get(request.id);
        if (entry) peer.send({ type: 'tx', tx: entry.tx });
        else queue.missing.push({ kind: 'tx', hash: hexToHash(request.id) });
      } else {
        queue.blocks--;
        await this.serveBlock(peer, queue, request.id, request.kind === 'cmpct');
      }
    }
    while (queue.missing.length > 0 && peer.state !== 'closed' && queue.requests.length === 0) {
      peer.send({ type: 'notfound', items: queue.missing.splice(0, MAX_INV_ITEMS) });
    }
  }

  private async serveBlock(
    peer: Peer,
    queue: PeerQueue,
    id: string,
    compact: boolean,
  ): Promise<void> {
    const { chain } = this.host;
    await this.validation(id);
    const entry = chain.getEntry(id);
    const block =
      entry && (entry.status === 'valid' || entry.status === 'data')
        ? await chain.getBlock(id)
        : undefined;
    if (peer.state === 'closed') return;
    if (block) {
      peer.known.add(blockKey(id));
      // Kind cmpct: a compact block if we can (a recent active block), else the block (BIP152).
      if (!(compact && this.host.serveCompact?.(peer, block))) peer.send({ type: 'block', block });
      // It asked for our block to connect it: it has this chain now, though it will never
      // announce it back (we know it has it). Without this its height stays at its hello.
      if (!peer.bestAnnounced || entry!.chainWork > peer.bestAnnounced.chainWork)
        peer.bestAnnounced = entry;
    } else queue.missing.push({ kind: 'block', hash: hexToHash(id) });
  }
}

/** Answer getheaders: up to 2,000 headers after the first locator id on our active chain. */
export function serveHeaders(
  chain: Chain,
  peer: Peer,
  locator: readonly Uint8Array[],
  stop: Uint8Array,
): void {
  const stopId = stop.some((b) => b !== 0) ? hashToHex(stop) : undefined;
  const headers = chain.headersAfter(locator.map(hashToHex), stopId, MAX_HEADERS_PER_MESSAGE);
  for (const header of headers) peer.known.add(blockKey(headerId(header)));
  peer.send({ type: 'headers', headers });
}

/** Why a `hello` is refused (the link is then closed), or undefined when it is fine. */
export function helloRefusal(
  hello: HelloMessage,
  peer: Peer,
  genesisId: string,
): { reason: string; detail: string } | undefined {
  if (peer.state !== 'handshaking')
    return { reason: 'duplicate-hello', detail: 'hello was already received' };
  // A higher version is welcome: the link speaks ours (linkVersion), see docs/protocol.md.
  if (hello.version < MIN_PROTOCOL_VERSION) {
    return {
      reason: 'bad-version',
      detail: `protocol ${hello.version}, this node needs ${MIN_PROTOCOL_VERSION} or later`,
    };
  }
  if (hello.network !== genesisId) {
    return {
      reason: 'wrong-network',
      detail: `genesis ${hello.network.slice(0, 16)}…, ours is ${genesisId.slice(0, 16)}…`,
    };
  }
  if (hello.nodeId !== peer.id)
    return { reason: 'bad-hello', detail: 'node id does not match the link' };
  return undefined;
}

/**
 * Checks a `hello` (helloRefusal); when it is refused, tells the peer why with a `reject` and
 * closes the link. True when the hello was refused.
 */
export function refuseHello(hello: HelloMessage, peer: Peer, genesisId: string): boolean {
  const refusal = helloRefusal(hello, peer, genesisId);
  if (!refusal) return false;
  const { reason, detail } = refusal;
  peer.send({ type: 'reject', message: 'hello', reason, hash: new Uint8Array(32), detail });
  peer.close(`${reason}: ${detail}`);
  return true;
}

/** Our `hello`: protocol version, network, node id and active tip (docs/protocol.md). */
export function ourHello(
  chain: Chain,
  genesisId: string,
  nodeId: string,
  userAgent: string,
): HelloMessage {
  const tip = chain.tip;
  const { height, chainWork } = tip;
  const hello = { version: PROTOCOL_VERSION, network: genesisId, nodeId, height, chainWork };
  return { type: 'hello', ...hello, tip: headerHash(tip.header), userAgent };
}

/** The version a link speaks once `hello` is accepted: the lower of ours and the peer's. */
export function linkVersion(hello: HelloMessage): number {
  return Math.min(PROTOCOL_VERSION, hello.version);
}
