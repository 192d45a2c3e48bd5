/**
 * The mining controller (no DOM: a tab's main thread, or Node): keeps 1..hardwareConcurrency
 * workers hashing the current block template, each on its own slice of the nonce space.
 *
 * - Templates come from the node (`NodeState.template`, paying the miner's key). The node
 *   calls `onTip()` when its tip changes (refresh at once: work on the old tip is wasted) and
 *   `onMempoolChange()` when transactions arrive (refresh after a short delay, so a burst of
 *   transactions costs one refresh). The template is also renewed every `templateRefreshMs`
 *   so the block time keeps up with the clock.
 * - When a worker exhausts its slice, the extra nonce in the coinbase is rolled: a new merkle
 *   root, a fresh nonce space. Every template gets a new extra nonce, so none is hashed twice.
 * - Block times never run ahead of the clock: the template's time is max(now, median time past
 *   + 1), and when that is still in the future (blocks found faster than one a second) the
 *   workers rest until the clock reaches it instead of stamping a future time.
 * - A pace (`paceMs`, regtest): after a new tip, wait that long before mining the next block,
 *   so a minimum-difficulty chain grows at a speed people can follow (default on regtest: one
 *   block a second). 0 mines as fast as the clock allows.
 * - A found block is checked against the current tip first: a block on a tip that has since
 *   changed is stale and is dropped, never submitted. Otherwise it goes through the node's
 *   normal validation (`processBlock`) and is then reported (`block` event) for relay.
 *
 * Clock and timers are injectable, so tests drive time deterministically.
 */
import {
  bitsToTarget,
  coinbaseHeight,
  encodeHeader,
  hashToHex,
  headerId,
  NONCE_SPACE,
  workFromBits,
  type Block,
  type BlockTemplate,
  type KernelKind,
} from '../../core/index.js';
import { Emitter } from '../events.js';
import { HashrateMeter } from './hashrate-meter.js';
import type { FromMiningWorker, MiningWorker } from './mining-messages.js';
import type {
  MinerNode,
  MinerTimers,
  MiningControllerOptions,
  MiningEvents,
  MiningStatus,
} from './mining-types.js';

export type {
  MinerNode,
  MinerTimers,
  MiningControllerOptions,
  MiningEvents,
  MiningStatus,
} from './mining-types.js';

interface Job {
  id: number;
  template: BlockTemplate;
  header: Uint8Array;
  target: bigint;
  /** Parent block id: the tip this job extends. */
  parent: string;
  height: number;
}

const KEPT_JOBS = 16;

const defaultTimers: MinerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class MiningController extends Emitter<MiningEvents> {
  readonly maxWorkers: number;
  private readonly node: MinerNode;
  private readonly now: () => number;
  private readonly timers: MinerTimers;
  private readonly meter: HashrateMeter;
  private readonly nonceSpace: number;
  private workerCount: number;
  private workers: MiningWorker[] = [];
  private running = false;
  private jobs = new Map<number, Job>();
  private current: Job | undefined = undefined;
  private nextJob = 1;
  private extraNonce = 0;
  private hashes = 0;
  private kernel: KernelKind | undefined = undefined;
  private blocksFound = 0;
  private staleFound = 0;
  /** Parent of the last block we submitted: a second block on it would only fork ourselves. */
  private submittedParent: string | undefined = undefined;
  private refreshing: Promise<void> | undefined = undefined;
  private refreshAgain = false;
  private mempoolTimer: unknown = undefined;
  private ageTimer: unknown = undefined;
  private sampleTimer: unknown = undefined;
  private retryTimer: unknown = undefined;
  private restTimer: unknown = undefined;
  private paceMs: number;
  /** When the current tip arrived (ms): the pace counts from here. */
  private tipAt = 0;

  constructor(private readonly options: MiningControllerOptions) {
    super();
    if (!(options.payTo instanceof Uint8Array) || options.payTo.length !== 32) {
      throw new TypeError('payTo must be a 32-byte x-only public key');
    }
    this.node = options.node;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? defaultTimers;
    const cores = typeof navigator === 'object' ? navigator.hardwareConcurrency : undefined;
    this.maxWorkers = Math.max(1, Math.floor(options.maxWorkers ?? cores ?? 1));
    this.workerCount = this.clampWorkers(options.workers ?? 1);
    this.nonceSpace = options.nonceSpace ?? NONCE_SPACE;
    this.meter = new HashrateMeter(options.hashrateHalfLifeMs ?? 5_000, this.now());
    this.paceMs = clampPace(options.paceMs ?? 0);
  }

  /** Set the pace (ms to rest after each new tip; 0: none); takes effect at once. */
  setPace(ms: number): number {
    this.paceMs = clampPace(ms);
    if (this.running) {
      if (this.restTimer !== undefined) this.timers.clearTimeout(this.restTimer);
      this.restTimer = undefined;
      void this.refresh();
    }
    this.emit('status', this.status());
    return this.paceMs;
  }

  private clampWorkers(count: number): number {
    if (!Number.isFinite(count)) throw new RangeError(`worker count must be a number`);
    return Math.min(this.maxWorkers, Math.max(1, Math.floor(count)));
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Start mining; resolves once the workers have their first job. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.meter.reset(this.now());
    this.hashes = 0;
    this.resizeWorkers();
    this.scheduleSample();
    await this.refresh();
  }

  /** Stop mining: every worker is terminated at once; found blocks still in flight are dropped. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const worker of this.workers) worker.terminate();
    this.workers = [];
    const timers = [this.mempoolTimer, this.ageTimer, this.sampleTimer, this.retryTimer];
    for (const timer of [...timers, this.restTimer]) {
      if (timer !== undefined) this.timers.clearTimeout(timer);
    }
    this.mempoolTimer = this.ageTimer = this.sampleTimer = this.retryTimer = undefined;
    this.restTimer = undefined;
    this.jobs.clear();
    this.current = undefined;
    this.options.pow?.stop();
    this.meter.reset(this.now());
    this.emit('status', this.status());
  }

  /** Change the number of workers (clamped to 1..maxWorkers); returns the number in use. */
  setWorkers(count: number): number {
    this.workerCount = this.clampWorkers(count);
    if (this.running) {
      this.resizeWorkers();
      void this.refresh(); // a fresh template split over the new count: no range hashed twice
    }
    this.emit('status', this.status());
    return this.workerCount;
  }

  /** The node's tip changed: mine on the new one at once (resolves when workers have it). */
  onTip(): Promise<void> {
    this.tipAt = this.now();
    if (!this.running) return Promise.resolve();
    if (this.mempoolTimer !== undefined) this.timers.clearTimeout(this.mempoolTimer);
    this.mempoolTimer = undefined;
    return this.refresh();
  }

  /** The mempool changed: include the new transactions after `mempoolDebounceMs`. */
  onMempoolChange(): void {
    if (!this.running || this.mempoolTimer !== undefined) return;
    this.mempoolTimer = this.timers.setTimeout(() => {
      this.mempoolTimer = undefined;
      void this.refresh();
    }, this.options.mempoolDebounceMs ?? 500);
  }

  status(): MiningStatus {
    const job = this.current;
    const hashrate = this.running ? this.meter.rate : 0;
    const work = job ? Number(workFromBits(job.template.block.header.bits)) : undefined;
    return {
      running: this.running,
      workers: this.workerCount,
      maxWorkers: this.maxWorkers,
      kernel: this.kernel,
      hashrate,
      hashes: this.hashes,
      height: job?.height,
      bits: job?.template.block.header.bits,
      expectedSeconds: work !== undefined && hashrate > 0 ? work / hashrate : undefined,
      extraNonce: this.extraNonce,
      blocksFound: this.blocksFound,
      staleFound: this.staleFound,
      paceMs: this.paceMs,
      resting: this.running && this.restTimer !== undefined,
    };
  }

  private resizeWorkers(): void {
    while (this.workers.length > this.workerCount) this.workers.pop()!.terminate();
    while (this.workers.length < this.workerCount) {
      const worker = this.options.createWorker();
      worker.addEventListener('message', (event) => this.onWorkerMessage(worker, event.data));
      worker.addEventListener('error', (event) => {
        const message = (event as ErrorEvent).message ?? 'worker failed';
        this.emit('error', new Error(`mining worker: ${message}`));
      });
      this.workers.push(worker);
    }
  }

  /** Build a template on the current tip and hand it out. Concurrent calls coalesce. */
  private refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    // The loop may finish without awaiting (a rest): then `refreshing` must stay unset.
    let finished = false;
    const run = (async () => {
      try {
        do {
          this.refreshAgain = false;
          if (this.restTimer !== undefined) break; // a rest is scheduled: it refreshes
          const nowMs = this.now();
          const paceLeft = this.tipAt + this.paceMs - nowMs;
          if (paceLeft > 0) {
            this.rest(paceLeft);
            break;
          }
          const template = await this.node.template(
            this.options.payTo,
            Math.floor(nowMs / 1000),
            this.extraNonce,
          );
          this.extraNonce = (this.extraNonce + 1) >>> 0;
          // max(now, median time past + 1) is in the future: wait for the clock, never stamp it.
          const ahead = template.block.header.time * 1000 - this.now();
          if (ahead > 0) {
            this.rest(ahead);
            break;
          }
          if (this.running) this.dispatch(template);
        } while (this.refreshAgain && this.running);
      } catch (err) {
        this.emit('error', err instanceof Error ? err : new Error(String(err)));
      } finally {
        finished = true;
        this.refreshing = undefined;
      }
    })();
    if (!finished) this.refreshing = run;
    return run;
  }

  /**
   * Let the workers rest for `ms`, then build a new template. Finds on the old job are stale
   * from now on (there is no current job), so nothing is mined on a tip we were told to leave.
   */
  private rest(ms: number): void {
    if (!this.running) return;
    this.current = undefined;
    this.options.pow?.stop();
    this.restTimer = this.timers.setTimeout(() => {
      this.restTimer = undefined;
      void this.refresh();
    }, ms);
    this.emit('status', this.status());
  }

  /** A new job from `template`, split over the workers. */
  private dispatch(template: BlockTemplate): void {
    const header = template.block.header;
    const job: Job = {
      id: this.nextJob++,
      template,
      header: encodeHeader(header),
      target: bitsToTarget(header.bits),
      parent: hashToHex(header.prevHash),
      height: coinbaseHeight(template.block.txs[0]!) ?? -1,
    };
    this.jobs.set(job.id, job);
    for (const old of this.jobs.keys()) if (this.jobs.size > KEPT_JOBS) this.jobs.delete(old);
    this.current = job;
    this.options.pow?.begin(header, job.height, 'workers');
    const n = this.workers.length;
    this.workers.forEach((worker, i) => {
      worker.postMessage({
        type: 'job',
        job: job.id,
        header: job.header,
        target: job.target,
        from: Math.floor((i * this.nonceSpace) / n),
        to: Math.floor(((i + 1) * this.nonceSpace) / n),
        kernel: this.options.kernel ?? 'auto',
      });
    });
    if (this.ageTimer !== undefined) this.timers.clearTimeout(this.ageTimer);
    this.ageTimer = this.timers.setTimeout(() => {
      this.ageTimer = undefined;
      void this.refresh();
    }, this.options.templateRefreshMs ?? 30_000);
    this.emit('status', this.status());
  }

  private onWorkerMessage(worker: MiningWorker, message: FromMiningWorker): void {
    if (!this.running || !this.workers.includes(worker)) return;
    if (message.type === 'error') {
      this.emit('error', new Error(`mining worker: ${message.message}`));
      return;
    }
    this.hashes += message.hashes;
    this.meter.add(message.hashes);
    this.kernel = message.kernel;
    this.feedPow(message);
    if (message.type === 'exhausted' && message.job === this.current?.id) {
      void this.refresh(); // rolls the extra nonce: a fresh nonce space for every worker
    } else if (message.type === 'found') {
      void this.submit(message.job, message.nonce);
    }
  }

  /** The live view hears the current job's hashes, samples and finds. */
  private feedPow(message: Exclude<FromMiningWorker, { type: 'error' }>): void {
    const pow = this.options.pow;
    if (!pow || message.job !== this.current?.id) return;
    pow.addHashes(message.hashes);
    if (message.type === 'found') pow.found(message.nonce);
    else if (message.type === 'progress' && message.sample && pow.wantsSample()) {
      pow.sample(message.sample.nonce, message.sample.hash);
    }
  }

  private async submit(jobId: number, nonce: number): Promise<void> {
    const job = this.jobs.get(jobId);
    if (!job || job.parent !== this.current?.parent) {
      this.staleFound++;
      this.emit('stale', { job: jobId, nonce });
      return;
    }
    if (this.submittedParent === job.parent) return;
    this.submittedParent = job.parent;
    const block: Block = {
      header: { ...job.template.block.header, nonce },
      txs: job.template.block.txs,
    };
    const id = headerId(block.header);
    let accepted = false;
    try {
      const result = await this.node.processBlock(block, Math.floor(this.now() / 1000));
      accepted = result.ok;
      if (result.ok) {
        this.tipAt = this.now();
        this.blocksFound++;
        this.emit('block', { block, id, height: job.height, result });
      } else {
        this.emit('rejected', { block, id, result });
      }
    } catch (err) {
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
    }
    if (!accepted) this.submittedParent = undefined; // let a later find on this tip through
    if (!this.running) return;
    // Mine on whatever the tip is now (our block, or what beat it). After a refusal, wait a
    // little: on a fast chain (regtest) block times can run ahead of the clock
    // (`time-too-new`), and retrying at once would only repeat the refusal.
    if (accepted) await this.refresh();
    else this.refreshAfter(this.options.rejectBackoffMs ?? 1_000);
  }

  private refreshAfter(ms: number): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.refresh();
    }, ms);
  }

  private scheduleSample(): void {
    this.sampleTimer = this.timers.setTimeout(() => {
      if (!this.running) return;
      this.meter.sample(this.now());
      this.emit('status', this.status());
      this.scheduleSample();
    }, this.options.sampleMs ?? 1_000);
  }
}

/** Longest pace: one block a minute. */
const MAX_PACE_MS = 60_000;

function clampPace(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError('pace must be a number of milliseconds');
  return Math.min(MAX_PACE_MS, Math.max(0, Math.floor(ms)));
}
