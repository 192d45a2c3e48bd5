/**
 * A signaling source: something that introduces node ids and carries WebRTC signals between
 * nodes (docs/architecture.md, "Introductions"). The mesh (mesh.ts) uses several at once: the
 * tracker (tracker-client.ts), the other tabs of this browser (broadcast-intro.ts) and the
 * peers it is already linked to (signal-relay.ts), so links keep forming without the tracker.
 */
import type { PeerNotice, SignalDelivery } from '../../core/index.js';

/** How a link was introduced: by the tracker, by another tab of this browser, or by a peer. */
export type IntroducerKind = 'tracker' | 'broadcast' | 'peers';

export interface SignalingEvents extends Record<string, unknown> {
  /** Node ids to dial now. */
  introduced: string[];
  /** A signal for this node; `origin` tags where it came from (admission.ts). */
  signal: SignalDelivery;
  /** A node arrived (expect its offer; do not dial). */
  'peer-joined': PeerNotice;
  /** A node left: drop attempts to it. */
  'peer-left': PeerNotice;
}

export interface SignalingSource {
  /** True while the source can deliver signals (the tracker: connected). */
  readonly connected: boolean;
  on<K extends keyof SignalingEvents>(
    event: K,
    listener: (payload: SignalingEvents[K]) => void,
  ): () => void;
  /** Other node ids reachable through this source, leaving out `exclude`. */
  requestPeers(exclude: string[]): Promise<string[]>;
  /** Send `data` to `to`; returns false when this source has no way to reach `to`. */
  signal(to: string, data: unknown): boolean | void;
  /** Stop (the mesh closes its introducers when it stops; node.ts closes the tracker). */
  close?(): void;
}

/** One named source for the mesh. */
export interface Introducer {
  kind: IntroducerKind;
  source: SignalingSource;
}
