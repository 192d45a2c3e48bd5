/**
 * The simulated network's membership: nodes joining (each opens a copy of the funded history,
 * links to peers by the tracker's rule and is watched by the recorder), leaving (its links
 * close, as when a tab is closed) and topping up their links when a peer leaves (as `Mesh`
 * asks the tracker for more peers when under its target).
 */
import { DEFAULT_TARGET_LINKS } from '../../client/net/mesh.js';
import type { P2PEnv } from '../../client/net/p2p.js';
import type { ChainParams } from '../../core/index.js';
import type { SimConfig } from './config.js';
import { SignatureOracle } from './costs.js';
import type { Prng } from './prng.js';
import type { Recorder } from './recorder.js';
import type { Scheduler } from './scheduler.js';
import { SharedBodies } from './shared-store.js';
import { simLinkPair } from './sim-link.js';
import { createSimNode, type SimNode } from './sim-node.js';
import { joinNetwork } from './topology.js';
import { copyStore, type PreChain } from './wallets.js';

/** Refusals and disconnects the nodes reported (an honest network should have none). */
export interface Incidents {
  refused: Record<string, number>;
  disconnects: Record<string, number>;
}

export interface NetworkContext {
  config: SimConfig;
  params: ChainParams;
  scheduler: Scheduler;
  random: Prng;
  env: P2PEnv;
  recorder: Recorder;
  preChain: PreChain | undefined;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export class SimNetwork {
  /** Nodes in the network now, in the order they joined. */
  readonly online: SimNode[] = [];
  /** Every node that ever joined (the late node included). */
  readonly all: SimNode[] = [];
  readonly incidents: Incidents = { refused: {}, disconnects: {} };
  readonly failures: string[] = [];
  readonly oracle = new SignatureOracle();
  /** One copy of each block body for all the nodes (shared-store.ts). */
  private readonly bodies = new SharedBodies();
  links = 0;

  constructor(private readonly ctx: NetworkContext) {}

  private connect = (a: SimNode, b: SimNode): void => {
    const { config, random, scheduler, recorder } = this.ctx;
    const profile = {
      latencyMs: config.latencyMs * (0.5 + random.next()),
      bytesPerMs: (config.bandwidthMbps * 1_000_000) / 8 / 1000,
    };
    const [ab, ba] = simLinkPair(scheduler, a, b, profile, recorder.countTraffic);
    a.p2p.addLink(ab);
    b.p2p.addLink(ba);
    this.links++;
  };

  /**
   * A node joins: measured (its propagation, reorgs and bytes count; `caughtUp` when it starts
   * level with the network) or the late node that only syncs.
   */
  async add(kind: { late: true } | { late: false; caughtUp: boolean }): Promise<SimNode> {
    const { config, params, env, recorder, scheduler, preChain } = this.ctx;
    const index = this.all.length;
    if (kind.late) recorder.lateIndex = index;
    const node = await createSimNode(index, params, env, {
      ...(preChain ? { store: copyStore(preChain.store, this.bodies) } : {}),
      validation: { scheduler, costs: config.costs, oracle: this.oracle },
      relay: config.relay,
    });
    this.all.push(node);
    node.p2p.on('failure', ({ message }) => this.failures.push(`${node.id}: ${message}`));
    if (!kind.late) {
      recorder.watch(node, kind.caughtUp);
      node.p2p.on('refused', (r) => bump(this.incidents.refused, `${r.kind} ${r.reason}`));
      node.p2p.on('peer-disconnected', ({ reason }) => {
        if (!reason.startsWith('closed by peer') && reason !== 'node stopped')
          bump(this.incidents.disconnects, reason);
        this.topUp(node);
      });
    }
    joinNetwork(node, this.online, this.ctx.random, this.connect);
    this.online.push(node);
    return node;
  }

  /** `node` leaves (its tab closes): its links close, its peers hear of it one latency later. */
  leave(node: SimNode): void {
    const at = this.online.indexOf(node);
    if (at < 0) return;
    this.online.splice(at, 1);
    this.ctx.recorder.left(node.index);
    node.p2p.stop();
  }

  /** Under its target links, an online node asks for more peers (Mesh.topUp). */
  private topUp(node: SimNode): void {
    if (!this.online.includes(node) || node.p2p.peers.size >= DEFAULT_TARGET_LINKS) return;
    const strangers = this.online.filter((m) => !node.p2p.peers.has(m.id));
    joinNetwork(node, strangers, this.ctx.random, this.connect);
  }

  stop(): void {
    for (const node of this.all) node.p2p.stop();
  }
}
