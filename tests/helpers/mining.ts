/**
 * Driving a MiningController deterministically: a manual clock whose timers fire only when the
 * test advances it, workers the test scripts (they reply only when told), and a promise for
 * the next event that matches.
 */
import { mineRange } from '../../core/index.js';
import type {
  FromMiningWorker,
  MiningWorker,
  ToMiningWorker,
} from '../../client/mining/mining-messages.js';
import type {
  MinerTimers,
  MiningController,
  MiningEvents,
} from '../../client/mining/mining-controller.js';
import { NOW } from './regtest.js';

/** Timers that fire only when the test advances the clock. */
export class ManualTime {
  ms = NOW * 1000;
  private queue: { at: number; id: number; run: () => void }[] = [];
  private ids = 0;
  readonly timers: MinerTimers = {
    setTimeout: (run, ms) => {
      this.queue.push({ at: this.ms + ms, id: ++this.ids, run });
      return this.ids;
    },
    clearTimeout: (id) => {
      this.queue = this.queue.filter((t) => t.id !== id);
    },
  };
  readonly now = (): number => this.ms;

  advance(ms: number): void {
    const end = this.ms + ms;
    for (;;) {
      const due = this.queue.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id);
      const next = due[0];
      if (!next) break;
      this.queue = this.queue.filter((t) => t !== next);
      this.ms = next.at;
      next.run();
    }
    this.ms = end;
  }

  get pending(): number {
    return this.queue.length;
  }
}

/** A worker the test scripts: it records jobs and replies only when told to. */
export class ScriptedWorker implements MiningWorker {
  readonly jobs: ToMiningWorker[] = [];
  terminated = false;
  private listeners: ((event: MessageEvent<FromMiningWorker>) => void)[] = [];

  postMessage(message: ToMiningWorker): void {
    this.jobs.push(message);
  }
  addEventListener(
    type: 'message' | 'error',
    listener: (event: MessageEvent<FromMiningWorker>) => void,
  ): void {
    if (type === 'message') this.listeners.push(listener);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: FromMiningWorker): void {
    for (const l of this.listeners) l({ data: message } as MessageEvent<FromMiningWorker>);
  }
  get lastJob(): ToMiningWorker {
    return this.jobs[this.jobs.length - 1]!;
  }
  /** The first nonce of `job` that wins, as a real worker would find it. */
  solve(job: ToMiningWorker): number {
    return mineRange(job.header, job.target, job.from, job.to);
  }
}

export function scripted(): { workers: ScriptedWorker[]; createWorker: () => MiningWorker } {
  const workers: ScriptedWorker[] = [];
  return {
    workers,
    createWorker: () => {
      const w = new ScriptedWorker();
      workers.push(w);
      return w;
    },
  };
}

export function next<K extends keyof MiningEvents>(
  controller: MiningController,
  event: K,
  match: (payload: MiningEvents[K]) => boolean = () => true,
): Promise<MiningEvents[K]> {
  return new Promise((resolve) => {
    const off = controller.on(event, (payload) => {
      if (!match(payload)) return;
      off();
      resolve(payload);
    });
  });
}
