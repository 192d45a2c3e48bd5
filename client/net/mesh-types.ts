/**
 * The mesh's options, events and status (mesh.ts): what the node wires in and what the peers
 * panel reads.
 */
import type {
  BudgetLevel,
  BudgetOptions,
  BudgetStatus,
  PeerConnectionCount,
} from './connection-budget.js';
import type {
  AttemptStage,
  LinkFailure,
  LinkRoute,
  PeerConnection,
  PeerConnectionOptions,
} from './link-attempt.js';
import type { P2P } from './p2p.js';
import type { Introducer, IntroducerKind } from './signaling.js';
import type { TrackerClient } from './tracker-client.js';

export interface MeshTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface MeshOptions {
  p2p: Pick<P2P, 'nodeId' | 'peers' | 'bans' | 'maxPeers' | 'addLink' | 'refusesLink' | 'on'>;
  tracker: Pick<TrackerClient, 'on' | 'requestPeers' | 'signal'> & { connected?: boolean };
  /** Introducers besides the tracker (other tabs, linked peers), asked after it in this order. */
  introducers?: Introducer[];
  connect: (options: PeerConnectionOptions) => PeerConnection;
  /** ICE servers given by the user (the tracker may add its own with its answers). */
  iceServers: RTCIceServer[];
  /**
   * The browser's verdict on an ICE configuration: its error, or undefined if it accepts it
   * (simple-peer-link.ts: `browserRefusesIceServers`). Asked only when the tracker's URLs change.
   */
  refusesIceServers?: (servers: RTCIceServer[]) => string | undefined;
  target?: number;
  connectTimeoutMs?: number;
  /**
   * RTCPeerConnections this page created and the garbage collector freed (simple-peer-link.ts:
   * `peerConnections`); without it the mesh counts its own `connect` calls, none freed.
   */
  connections?: PeerConnectionCount;
  budget?: Partial<BudgetOptions>;
  now?: () => number;
  timers?: MeshTimers;
}

export interface MeshEvents extends Record<string, unknown> {
  /** An attempt ended without a link (not when we dropped it on purpose). */
  'link-failed': LinkFailure;
  /** Attempts, failures or known nodes changed: re-read `status()`. */
  changed: void;
  /** An ICE server the tracker sent was dropped, and why. */
  'ice-problem': string;
  /** A new link's route: direct, or through a TURN relay. */
  'link-route': { peer: string; route: LinkRoute };
  /** The connection budget's level changed (connection-budget.ts); `notice` is for the user. */
  budget: { level: BudgetLevel; notice: string | undefined };
}

/** An attempt in progress, for the peers panel. */
export interface AttemptInfo {
  peer: string;
  initiator: boolean;
  stage: AttemptStage;
  startedAt: number;
}

export interface MeshStatus {
  /** Other nodes the tracker told us about that have not left. */
  known: number;
  attempts: AttemptInfo[];
  /** Newest first, one per peer. */
  failures: LinkFailure[];
  /** Open links whose route is known. */
  routes: { peer: string; route: LinkRoute }[];
  /** RTCPeerConnections created and what Chromium's cap leaves (connection-budget.ts). */
  budget: BudgetStatus;
  /** Open links made by this mesh, with who introduced them. */
  introductions: { peer: string; via: IntroducerKind }[];
}
