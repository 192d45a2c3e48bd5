/** The P2P protocol's options, events and inventory keys (p2p.ts uses them; so do the UI and tests). */
import type { Block, NodeState, ProcessedBlock } from '../../core/index.js';
import type { Ban, BanList } from './bans.js';
import type { PeerStats } from './peer.js';
import type { DownloadOptions } from './sync.js';

export interface P2PEnv {
  /** Milliseconds since the epoch. */
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** One-shot timers (headers held for local peers, block-announce.ts); none: nothing held. */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  /**
   * Uniform in [0, 1): ping nonces, and the short-id nonces of compact blocks, which must be
   * unpredictable (a tab passes secure-random.ts; the simulator its seeded generator).
   */
  random(): number;
}

export interface P2POptions {
  nodeId: string;
  state: NodeState;
  env: P2PEnv;
  userAgent?: string;
  maxPeers?: number;
  bans?: BanList;
  banMs?: number;
  download?: Partial<DownloadOptions>;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /**
   * Compact block relay (docs/protocol.md, "Compact blocks"); default true. False: this node
   * never offers it (`sendcmpct`), so its peers send it whole blocks, as to a version-1 node.
   */
  compactBlocks?: boolean;
  /**
   * Verifies a block's signatures in parallel before it is processed, keeping blocks in
   * order (client/verify/preverifier.ts); without it blocks are processed as they come.
   */
  preverifier?: BlockPreverifier;
}

export interface BlockPreverifier {
  inOrder<T>(block: Block, process: () => Promise<T>): Promise<T>;
}

/** Where data came from: a peer id, or `LOCAL` for this tab itself. */
export type Source = string;

/**
 * The source of what this node made itself (its miner's blocks, its wallet's transactions,
 * imported blocks). No peer may use it as its node id: a link from `local` is refused, or its
 * blocks would be relayed as our own.
 */
export const LOCAL: Source = 'local';

export interface RefusedEvent {
  kind: 'block' | 'tx' | 'headers' | 'message' | 'link';
  id?: string;
  reason: string;
  message: string;
  from: Source;
  /** Penalty applied to the sender (0 for our own data or harmless refusals). */
  score: number;
}

export interface P2PEvents extends Record<string, unknown> {
  'peer-connected': PeerStats;
  'peer-disconnected': { id: string; reason: string };
  'block-accepted': {
    id: string;
    height: number;
    status: 'active' | 'side-branch' | 'orphan';
    from: Source;
  };
  'tx-accepted': { id: string; from: Source };
  'chain-changed': ProcessedBlock;
  refused: RefusedEvent;
  banned: Ban;
  /**
   * `headers`: best header height; `connected`: chain height; `start`: height the sync began at;
   * `inFlight`: bodies requested and not yet validated (the one being validated included);
   * `startBytes`: bytes received in all (`P2P.traffic.bytes`) when the node was last caught up,
   * so that `traffic.bytes - startBytes` is all the sync received (headers, bodies, the rest),
   * however late a listener began to listen.
   */
  'sync-progress': {
    done: number;
    total: number;
    syncing: boolean;
    headers: number;
    connected: number;
    inFlight: number;
    start: number;
    startBytes: number;
  };
  'peer-reject': { from: string; message: string; reason: string; detail: string };
  /** The active chain switched branches (`doubleSpent`: pending txs the new branch conflicts with). */
  reorg: { depth: number; from: Source; tip: string; returned: string[]; doubleSpent: string[] };
  /** Something failed on this node's side (e.g. storage full) while handling a message. */
  failure: { message: string };
}

export const DEFAULT_MAX_PEERS = 16;
/** After this many headers messages in a row that do not connect, a peer is penalised. */
export const MAX_UNCONNECTING_HEADERS = 10;

/** Keys of inventory in a peer's known set. */
export const blockKey = (id: string) => `b:${id}`;
export const txKey = (id: string) => `t:${id}`;
