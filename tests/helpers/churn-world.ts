/**
 * A tab under churn, in one process: a real P2P node and its Mesh, a fake tracker, and a world
 * of light peers (hello, ping/pong, nothing more) that come and go over in-memory links. The
 * connection factory counts every connection like Chromium does (created, none garbage-
 * collected: the worst case) and refuses past Chromium's cap of 500, as the browser would.
 */
import { Emitter } from '../../client/events.js';
import { PeerConnectionCount, type BudgetOptions } from '../../client/net/connection-budget.js';
import {
  noCandidates,
  type AttemptProgress,
  type PeerConnection,
  type PeerConnectionOptions,
} from '../../client/net/link-attempt.js';
import type { Link } from '../../client/net/link.js';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { Mesh, type MeshTimers } from '../../client/net/mesh.js';
import { Peer } from '../../client/net/peer.js';
import type { TrackerEvents } from '../../client/net/tracker-client.js';
import { clock, makeNode, type TestNode } from './net.js';
import { seeded } from './seeded.js';

/** Timers on the shared test clock (`clock.ms`), fired by `advanceTo`. */
export function clockTimers() {
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void; every?: number }>();
  const timers: MeshTimers = {
    setTimeout: (fn, ms) => (due.set(nextId, { at: clock.ms + ms, fn }), nextId++),
    clearTimeout: (id) => void due.delete(id as number),
    setInterval: (fn, ms) => (due.set(nextId, { at: clock.ms + ms, fn, every: ms }), nextId++),
    clearInterval: (id) => void due.delete(id as number),
  };
  const advanceTo = (end: number) => {
    for (;;) {
      const [id, timer] = [...due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (!timer || timer.at > end) break;
      clock.ms = timer.at;
      if (timer.every) timer.at += timer.every;
      else due.delete(id!);
      timer.fn();
    }
    clock.ms = end;
  };
  return { timers, advanceTo };
}

/** Chromium's cap, as the fake browser enforces it. */
const BROWSER_CAP = 500;

class FakeConnection implements PeerConnection {
  stage: AttemptProgress['stage'] = 'signaling';
  resolve!: (link: Link) => void;
  reject!: (err: Error) => void;
  readonly ready = new Promise<Link>((res, rej) => ((this.resolve = res), (this.reject = rej)));
  done = false;
  constructor(readonly options: PeerConnectionOptions) {
    this.ready.catch(() => undefined);
  }
  signal() {}
  progress(): AttemptProgress {
    return { stage: this.stage, local: noCandidates(), remote: noCandidates() };
  }
  destroy() {
    this.done = true;
    this.reject(new Error('destroyed'));
  }
}

interface LightPeer {
  id: string;
  peer?: Peer;
}

export class ChurnWorld {
  readonly count = new PeerConnectionCount();
  /** Connections the fake browser refused (Chromium's "Cannot create so many PeerConnections"). */
  browserRefused = 0;
  offersSent = 0;
  readonly present = new Map<string, LightPeer>();
  private readonly pending: FakeConnection[] = [];
  readonly tracker = Object.assign(new Emitter<TrackerEvents>(), {
    requestPeers: async (exclude: string[]) => this.pick(exclude),
    signal: () => undefined,
  });
  private readonly random = seeded(19);
  private readonly clockTimers = clockTimers();
  mesh!: Mesh;
  victim!: TestNode;

  static async create(budget?: Partial<BudgetOptions>): Promise<ChurnWorld> {
    const world = new ChurnWorld();
    world.victim = await makeNode('victim');
    world.mesh = new Mesh({
      p2p: world.victim.p2p,
      tracker: world.tracker,
      connect: (options) => world.connect(options),
      connections: world.count,
      budget,
      iceServers: [],
      now: () => clock.ms,
      timers: world.clockTimers.timers,
    });
    world.mesh.start();
    return world;
  }

  private pick(exclude: string[]): string[] {
    const ids = [...this.present.keys()].filter((id) => !exclude.includes(id));
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    return ids.slice(0, 8);
  }

  private connect(options: PeerConnectionOptions): PeerConnection {
    const connection = new FakeConnection(options);
    if (this.count.uncollected >= BROWSER_CAP) {
      this.browserRefused++;
      connection.stage = 'refused';
      connection.reject(new Error("Failed to construct 'RTCPeerConnection'"));
      return connection;
    }
    this.count.created++;
    this.pending.push(connection);
    return connection;
  }

  /** A light peer appears on the tracker; `dial` makes it send the victim an offer. */
  join(id: string, dial: boolean): void {
    this.present.set(id, { id });
    this.tracker.emit('peer-joined', { nodeId: id });
    if (dial) {
      this.offersSent++;
      this.tracker.emit('signal', { from: id, data: { type: 'offer', sdp: 'v=0' } });
    }
  }

  /** A light peer closes its link and leaves the tracker. */
  leave(id: string): void {
    const light = this.present.get(id);
    if (!light) return;
    this.present.delete(id);
    light.peer?.close('tab closed');
    this.tracker.emit('peer-left', { nodeId: id });
  }

  /** Open the attempts whose peer is still there (ICE takes one step); others hang. */
  private openPending(): void {
    for (const connection of this.pending.splice(0)) {
      if (connection.done) continue;
      const light = this.present.get(connection.options.remoteId);
      if (!light || light.peer) continue; // gone, or already linked: the attempt hangs
      const [victimSide, peerSide] = memoryLinkPair('victim', light.id);
      light.peer = new Peer(
        peerSide,
        {
          onMessage: (p, message) => {
            if (message.type === 'hello')
              p.send({ ...message, nodeId: light.id, userAgent: 'light' });
            if (message.type === 'ping') p.send({ type: 'pong', nonce: message.nonce });
          },
          onInvalid: () => undefined,
          onClose: () => {
            if (light.peer?.link === peerSide) light.peer = undefined;
          },
        },
        () => clock.ms,
      );
      connection.resolve(victimSide);
    }
  }

  /** One simulated second: timers, the node's tick, attempts opening, messages delivered. */
  async second(): Promise<void> {
    this.clockTimers.advanceTo(clock.ms + 1000);
    this.victim.p2p.tick();
    this.openPending();
    for (let i = 0; i < 4; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** Ids the victim has a ready link to, with when each link was made. */
  links(): Map<string, number> {
    return new Map(
      this.victim.p2p
        .peerStats()
        .filter((p) => p.state === 'ready')
        .map((p) => [p.id, p.connectedAt]),
    );
  }

  stop(): void {
    this.mesh.stop();
    this.victim.p2p.stop();
    for (const id of [...this.present.keys()]) this.leave(id);
  }
}
