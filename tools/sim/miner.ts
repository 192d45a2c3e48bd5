/**
 * A simulated miner. *When* it finds a block is drawn, not hashed: block discovery is a Poisson
 * process, so the time to the next find is exponential with rate hashrate / expected work per
 * block. *What* it finds is real: at that moment it asks its node for a template on its own
 * current tip (`NodeState.template`), solves the header's proof of work for real at regtest's
 * minimum difficulty (about two hashes), and submits the block through the node's normal path
 * (`P2P.submitBlock(block, 'local', true)`), which validates and relays it.
 *
 * Regtest does not retarget, so the expected work per block is the simulation's: the total
 * hashrate times the target spacing, which is what the main network's retarget (LWMA) settles
 * at for a steady hashrate.
 */
import {
  checkProofOfWork,
  encodeHeader,
  hashToHex,
  headerId,
  publicKeyOf,
  sha256,
  type Block,
  type BlockHeader,
} from '../../core/index.js';
import type { Prng } from './prng.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { SimNode } from './sim-node.js';

export interface FoundBlock {
  id: string;
  /** Index of the node that mined it. */
  miner: number;
  height: number;
  /** Virtual time of the find, ms. */
  time: number;
}

export interface MinerOptions {
  node: SimNode;
  /** Hashes per second. */
  hashrate: number;
  /** Expected hashes per block at the current (simulated) difficulty. */
  expectedWork: number;
  scheduler: Scheduler;
  random: Prng;
  onFound(found: FoundBlock): void;
  /** The node refused its own block, or failed: the simulation is broken, not the network. */
  onError(error: Error): void;
}

/** Solve the header's proof of work for real (regtest targets pass about every other nonce). */
export function solveHeader(header: BlockHeader): BlockHeader {
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    const candidate = { ...header, nonce };
    if (checkProofOfWork(encodeHeader(candidate))) return candidate;
  }
  throw new Error('no nonce meets the target');
}

export class SimMiner {
  private timer: TimerHandle | undefined;
  private extraNonce = 0;
  private readonly payTo: Uint8Array;

  constructor(private readonly options: MinerOptions) {
    if (!(options.hashrate > 0)) throw new RangeError('hashrate must be positive');
    if (!(options.expectedWork > 0)) throw new RangeError('expectedWork must be positive');
    this.payTo = publicKeyOf(sha256(new TextEncoder().encode(`tabcoin sim ${options.node.id}`)));
  }

  /** Blocks per millisecond this miner finds. */
  get rate(): number {
    return this.options.hashrate / this.options.expectedWork / 1000;
  }

  start(): void {
    const { scheduler, random } = this.options;
    this.timer = scheduler.after(random.exponential(this.rate), () => {
      this.start();
      this.mine().catch((err: unknown) => this.options.onError(err as Error));
    });
  }

  stop(): void {
    this.options.scheduler.cancel(this.timer);
    this.timer = undefined;
  }

  private async mine(): Promise<void> {
    const { node, scheduler } = this.options;
    const now = scheduler.now;
    const template = await node.state.template(
      this.payTo,
      Math.floor(now / 1000),
      this.extraNonce++,
    );
    const block: Block = { ...template.block, header: solveHeader(template.block.header) };
    const id = headerId(block.header);
    const parent = node.state.chain.getEntry(hashToHex(block.header.prevHash));
    const height = (parent?.height ?? -1) + 1;
    this.options.onFound({ id, miner: node.index, height, time: now });
    const result = await node.p2p.submitBlock(block, 'local', true);
    if (!result.ok) throw new Error(`${node.id} refused its own block: ${result.reason}`);
  }
}
