/**
 * Churn: tabs close and new ones open. Leaves come as a Poisson process at `perHour` per node
 * per hour over the whole network; each leaver (never a miner: the miners' hashrate stays
 * fixed) is replaced at once by a newcomer, which starts from the funded history, links to
 * peers by the tracker's rule and syncs the chain from them. A newcomer has caught up when its
 * tip has at least the work of the best tip in the network when it joined.
 */
import type { Prng } from './prng.js';
import type { Recorder } from './recorder.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { SimNetwork } from './network.js';
import type { SimNode } from './sim-node.js';

export interface ChurnOptions {
  network: SimNetwork;
  recorder: Recorder;
  scheduler: Scheduler;
  random: Prng;
  /** Leaves per node per hour. */
  perHour: number;
  /** Network size (leaves per hour = perHour × nodes). */
  nodes: number;
  /** Nodes that never leave (the miners). */
  stay: ReadonlySet<SimNode>;
  onError(error: Error): void;
}

export interface Newcomer {
  index: number;
  joinedAt: number;
  /** Virtual ms from joining to caught up; undefined if it never did. */
  catchUpMs: number | undefined;
}

export class Churn {
  private timer: TimerHandle | undefined;
  readonly newcomers: Newcomer[] = [];
  leaves = 0;

  constructor(private readonly options: ChurnOptions) {
    if (!(options.perHour > 0)) throw new RangeError('perHour must be positive');
  }

  start(): void {
    const { scheduler, random, perHour, nodes } = this.options;
    this.timer = scheduler.after(random.exponential((perHour * nodes) / 3_600_000), () => {
      this.start();
      this.step().catch((err: unknown) => this.options.onError(err as Error));
    });
  }

  stop(): void {
    this.options.scheduler.cancel(this.timer);
    this.timer = undefined;
  }

  private async step(): Promise<void> {
    const { network, random, stay, recorder, scheduler } = this.options;
    const candidates = network.online.filter((n) => !stay.has(n));
    if (candidates.length === 0) return;
    network.leave(candidates[random.int(candidates.length)]!);
    this.leaves++;
    const target = network.online.reduce(
      (best, n) => (n.state.chain.tip.chainWork > best ? n.state.chain.tip.chainWork : best),
      0n,
    );
    const node = await network.add({ late: false, caughtUp: false });
    const newcomer: Newcomer = { index: node.index, joinedAt: scheduler.now, catchUpMs: undefined };
    this.newcomers.push(newcomer);
    const check = (): void => {
      if (newcomer.catchUpMs !== undefined || node.state.chain.tip.chainWork < target) return;
      newcomer.catchUpMs = scheduler.now - newcomer.joinedAt;
      recorder.caughtUp(node.index);
    };
    node.p2p.on('chain-changed', check);
    check();
  }
}
