/**
 * A pool of signature verification workers, as Bitcoin Core's check queue: a batch of checks
 * is split across the active workers and the answers come back in order. The pool only ever
 * answers "verified valid" (1) or "not known valid" (0): a worker that fails or a pool that is
 * closed answers 0, so the caller falls back to the serial path, which gives the verdict.
 */
import { packSignatureChecks, type SignatureCheck } from '../../core/index.js';
import type {
  FromVerifyWorker,
  VerifierChoice,
  VerifierName,
  VerifyWorker,
} from './verify-messages.js';

/** The most workers a pool starts, whatever the machine reports. */
export const MAX_VERIFY_WORKERS = 8;
/** Fewer checks than this per worker are not worth a message each. */
export const MIN_CHECKS_PER_JOB = 32;
/** How long workers may take to start before the pool gives up on them. */
export const VERIFY_WORKER_START_MS = 10_000;
/**
 * How long a batch may take before its worker is given up (stopped; the batch answers "not known
 * valid"): a worker that died without an error event must not stall block processing, which
 * waits for the pool. Generous: 10 s plus 50 ms a check (@noble/curves does ~1 ms).
 */
export const jobDeadlineMs = (checks: number): number => 10_000 + 50 * checks;

/**
 * Workers for verification: every core while mining is off (the main thread mostly waits for
 * the pool while a block's signatures are verified, and the connect that follows finds them
 * cached), the cores the miners leave while mining is on, and always at least one.
 */
export function verifyWorkerCount(
  hardwareConcurrency: number | undefined,
  miningWorkers = 0,
): number {
  const cores = hardwareConcurrency && hardwareConcurrency > 0 ? hardwareConcurrency : 1;
  return Math.max(1, Math.min(MAX_VERIFY_WORKERS, cores - miningWorkers));
}

interface Job {
  resolve: (valid: Uint8Array) => void;
  count: number;
  timer: ReturnType<typeof setTimeout>;
}

interface Slot {
  worker: VerifyWorker;
  jobs: Map<number, Job>;
  /** Checks sent and not answered yet. */
  pending: number;
  failed: boolean;
}

export class VerifyPool {
  private nextId = 0;
  private active: number;
  private closed = false;

  private constructor(
    private readonly slots: Slot[],
    /** What the workers verify with (all the same: the weakest one's answer). */
    readonly verifier: VerifierName,
    private readonly deadlineMs: (checks: number) => number,
  ) {
    this.active = slots.length;
  }

  /**
   * Start `size` workers from `create` and wait until each is ready. Resolves `undefined` when
   * workers cannot run here (no Worker, a worker that fails to start or load), so the node
   * keeps to the serial path.
   */
  static async start(
    create: () => VerifyWorker,
    size: number,
    verifier: VerifierChoice = 'fastest',
    startMs = VERIFY_WORKER_START_MS,
    deadlineMs = jobDeadlineMs,
  ): Promise<VerifyPool | undefined> {
    const workers: VerifyWorker[] = [];
    try {
      for (let i = 0; i < Math.max(1, Math.min(MAX_VERIFY_WORKERS, size)); i++) {
        workers.push(create());
      }
      const names = await Promise.all(workers.map((w) => ready(w, verifier, startMs)));
      const slots = workers.map((worker): Slot => ({
        worker,
        jobs: new Map(),
        pending: 0,
        failed: false,
      }));
      const pool = new VerifyPool(
        slots,
        names.every((n) => n === 'libsecp256k1-wasm') ? 'libsecp256k1-wasm' : 'noble',
        deadlineMs,
      );
      for (const slot of slots) pool.listen(slot);
      return pool;
    } catch {
      for (const w of workers) w.terminate();
      return undefined;
    }
  }

  /** Workers started. */
  get size(): number {
    return this.slots.length;
  }

  /** Workers new batches are split over (see `setActive`). */
  get activeWorkers(): number {
    return this.active;
  }

  /** Checks sent to workers and not answered yet. */
  get pending(): number {
    return this.slots.reduce((sum, s) => sum + s.pending, 0);
  }

  /** Use only the first `count` workers for new batches (1..size), e.g. while mining. */
  setActive(count: number): void {
    this.active = Math.max(1, Math.min(this.slots.length, Math.floor(count)));
  }

  /**
   * Verify `checks`: one byte each, 1 when valid, 0 when invalid or not known (a failed
   * worker, a closed pool). Never rejects.
   */
  verify(checks: readonly SignatureCheck[]): Promise<Uint8Array> {
    const usable = this.slots.slice(0, this.active).filter((s) => !s.failed);
    if (checks.length === 0 || this.closed || usable.length === 0) {
      return Promise.resolve(new Uint8Array(checks.length));
    }
    const parts = Math.min(usable.length, Math.ceil(checks.length / MIN_CHECKS_PER_JOB));
    const per = Math.ceil(checks.length / parts);
    const answers: Promise<Uint8Array>[] = [];
    const byLoad = [...usable].sort((a, b) => a.pending - b.pending);
    for (let p = 0; p < parts; p++) {
      answers.push(this.send(byLoad[p]!, checks.slice(p * per, (p + 1) * per)));
    }
    return Promise.all(answers).then((results) => {
      const valid = new Uint8Array(checks.length);
      results.forEach((r, p) => valid.set(r, p * per));
      return valid;
    });
  }

  /** Stop every worker; batches in flight answer "not known valid". */
  close(): void {
    this.closed = true;
    for (const slot of this.slots) {
      slot.worker.terminate();
      this.fail(slot);
    }
  }

  private send(slot: Slot, checks: readonly SignatureCheck[]): Promise<Uint8Array> {
    const id = this.nextId++;
    const packed = packSignatureChecks(checks);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        slot.worker.terminate();
        this.fail(slot);
      }, this.deadlineMs(checks.length));
      slot.jobs.set(id, { resolve, count: checks.length, timer });
      slot.pending += checks.length;
      slot.worker.postMessage({ type: 'verify', id, checks: packed }, [packed.buffer]);
    });
  }

  private listen(slot: Slot): void {
    slot.worker.addEventListener('message', (event) => {
      const message = event.data;
      if (message.type !== 'verified') return;
      const job = slot.jobs.get(message.id);
      if (!job) return;
      slot.jobs.delete(message.id);
      clearTimeout(job.timer);
      slot.pending -= job.count;
      // A short or garbled answer counts as "not known valid" for what it leaves out.
      const valid = new Uint8Array(job.count);
      valid.set(message.valid.subarray(0, job.count));
      job.resolve(valid);
    });
    slot.worker.addEventListener('error', () => this.fail(slot));
  }

  /** A failed worker gets no more work; what it held answers "not known valid". */
  private fail(slot: Slot): void {
    slot.failed = true;
    for (const job of slot.jobs.values()) {
      clearTimeout(job.timer);
      job.resolve(new Uint8Array(job.count));
    }
    slot.jobs.clear();
    slot.pending = 0;
  }
}

function ready(
  worker: VerifyWorker,
  verifier: VerifierChoice,
  startMs: number,
): Promise<VerifierName> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('verify worker did not start')), startMs);
    worker.addEventListener('message', (event: MessageEvent<FromVerifyWorker>) => {
      if (event.data.type !== 'ready') return;
      clearTimeout(timer);
      resolve(event.data.verifier);
    });
    worker.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error('verify worker failed to load'));
    });
    worker.postMessage({ type: 'init', verifier });
  });
}
