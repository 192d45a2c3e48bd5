/**
 * Introductions between the tabs of one browser, with no server at all (docs/architecture.md,
 * "Introductions"): over a BroadcastChannel named after the network, a starting node announces
 * itself, the others answer it (it then dials them, as after a tracker `join`), and offers,
 * answers and candidates travel addressed to one node id. A tab that closes says goodbye. So a
 * one-laptop demo keeps forming links with the tracker stopped. BroadcastChannel reaches only
 * pages of the same origin in the same browser profile; every message is still checked (shape,
 * node ids, signal size) and the ids remembered are bounded.
 */
import { MAX_SIGNAL_BYTES, isNodeId } from '../../core/index.js';
import { Emitter } from '../events.js';
import type { Introducer, SignalingEvents, SignalingSource } from './signaling.js';

/** The subset of BroadcastChannel this module uses (tests pass their own). */
export interface BroadcastPort {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
}

/** Other tabs' node ids remembered (oldest forgotten first). */
export const MAX_BROADCAST_TABS = 256;
/** Ids handed out per `requestPeers`. */
const PEERS_PER_ANSWER = 16;
/**
 * The origin tag of signals from this browser's other tabs: all of them share this machine's
 * address, as they would share the tracker's origin tag (admission.ts).
 */
export const BROADCAST_ORIGIN = 'broadcast';

type IntroMessage =
  | { t: 'announce'; from: string }
  | { t: 'present'; from: string; to: string }
  | { t: 'bye'; from: string }
  | { t: 'signal'; from: string; to: string; data: unknown };

/** The channel name of a network (its genesis id). */
export const broadcastChannelName = (network: string) => `tabcoin-intro:${network}`;

function jsonBytes(data: unknown): number {
  try {
    return new TextEncoder().encode(JSON.stringify(data) ?? '').length;
  } catch {
    return Infinity;
  }
}

/** A message of the protocol above, or undefined (anything else is ignored). */
function parse(data: unknown): IntroMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  if (!isNodeId(m.from)) return undefined;
  if (m.t === 'announce' || m.t === 'bye') return { t: m.t, from: m.from };
  if (!isNodeId(m.to)) return undefined;
  if (m.t === 'present') return { t: 'present', from: m.from, to: m.to };
  if (m.t !== 'signal' || typeof m.data !== 'object' || m.data === null) return undefined;
  if (jsonBytes(m.data) > MAX_SIGNAL_BYTES) return undefined;
  return { t: 'signal', from: m.from, to: m.to, data: m.data };
}

export class BroadcastIntroducer extends Emitter<SignalingEvents> implements SignalingSource {
  /** Node ids of the other tabs that announced or answered and have not said goodbye. */
  private readonly tabs = new Set<string>();
  private readonly port: BroadcastPort;
  readonly connected = true;

  constructor(
    network: string,
    private readonly nodeId: string,
    open: (name: string) => BroadcastPort = (name) => new BroadcastChannel(name),
  ) {
    super();
    this.port = open(broadcastChannelName(network));
    this.port.onmessage = (event) => this.receive(event.data);
  }

  /** Say hello to the other tabs: each answers, and the mesh dials them. */
  start(): void {
    this.post({ t: 'announce', from: this.nodeId });
  }

  private post(message: IntroMessage): void {
    try {
      this.port.postMessage(message);
    } catch {
      // A closed channel or an uncloneable object: nothing to deliver.
    }
  }

  private remember(id: string): void {
    this.tabs.delete(id);
    this.tabs.add(id);
    if (this.tabs.size > MAX_BROADCAST_TABS) this.tabs.delete(this.tabs.values().next().value!);
  }

  private receive(data: unknown): void {
    const message = parse(data);
    if (!message || message.from === this.nodeId) return;
    if (message.t === 'announce') {
      this.remember(message.from);
      this.emit('peer-joined', { nodeId: message.from });
      this.post({ t: 'present', from: this.nodeId, to: message.from });
      return;
    }
    if (message.t === 'bye') {
      this.tabs.delete(message.from);
      this.emit('peer-left', { nodeId: message.from });
      return;
    }
    if (message.to !== this.nodeId) return;
    this.remember(message.from);
    if (message.t === 'present') this.emit('introduced', [message.from]);
    else this.emit('signal', { from: message.from, data: message.data, origin: BROADCAST_ORIGIN });
  }

  async requestPeers(exclude: string[]): Promise<string[]> {
    const skip = new Set(exclude);
    return [...this.tabs]
      .reverse()
      .filter((id) => !skip.has(id))
      .slice(0, PEERS_PER_ANSWER);
  }

  signal(to: string, data: unknown): boolean {
    if (!this.tabs.has(to)) return false;
    this.post({ t: 'signal', from: this.nodeId, to, data });
    return true;
  }

  /** Say goodbye (the others drop their attempts to us) and close the channel. */
  close(): void {
    this.post({ t: 'bye', from: this.nodeId });
    this.port.close();
  }
}

/**
 * The introducers of a browser tab besides the tracker: the other tabs (when the browser has
 * BroadcastChannel; announced at once) and the linked peers (`relay`, from P2P).
 */
export function browserIntroducers(
  network: string,
  nodeId: string,
  relay: SignalingSource,
  sameBrowser = true,
): Introducer[] {
  const peers: Introducer = { kind: 'peers', source: relay };
  if (!sameBrowser || typeof BroadcastChannel !== 'function') return [peers];
  const tabs = new BroadcastIntroducer(network, nodeId);
  tabs.start();
  return [{ kind: 'broadcast', source: tabs }, peers];
}
