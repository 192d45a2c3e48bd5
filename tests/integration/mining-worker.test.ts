/**
 * client/mining/mining-worker.ts in a real worker thread (package `web-worker`, started through
 * the tsx shim, as the controller does in Node): finds what `mineRange` finds, takes a new job
 * between chunks, reports every hash, and exits when terminated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bitsToTarget, encodeHeader, mineRange, REGTEST, sha256d } from '../../core/index.js';
import type {
  FromMiningWorker,
  HashSample,
  MiningWorker,
} from '../../client/mining/mining-messages.js';
import { createNodeMiningWorker } from '../../client/mining/node-worker.js';

/** A worker whose replies can be awaited one condition at a time. */
class WorkerProbe {
  readonly worker: MiningWorker = createNodeMiningWorker();
  readonly messages: FromMiningWorker[] = [];
  readonly closed: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor() {
    this.worker.addEventListener('message', (event) => {
      this.messages.push(event.data);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      (this.worker as unknown as EventTarget).addEventListener('close', () => resolve()),
    );
  }

  /** Resolves with the first message (already received or not) that matches. */
  async until(match: (m: FromMiningWorker) => boolean): Promise<FromMiningWorker> {
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  hashesFor(job: number): number {
    return this.messages.reduce((sum, m) => sum + ('job' in m && m.job === job ? m.hashes : 0), 0);
  }
}

const header = encodeHeader({ ...REGTEST.genesis.header, time: REGTEST.genesis.header.time + 1 });
const probes: WorkerProbe[] = [];

function probe(): WorkerProbe {
  const p = new WorkerProbe();
  probes.push(p);
  return p;
}

afterEach(async () => {
  for (const p of probes.splice(0)) {
    p.worker.terminate();
    await p.closed;
  }
});

describe('mining worker (Node, web-worker)', () => {
  it('finds the nonce mineRange finds and accounts for every hash up to it', async () => {
    const p = probe();
    const target = bitsToTarget(0x1f00ffff); // ~65,536 hashes per find
    const from = 1_000_000;
    const expected = mineRange(header, target, from, 2 ** 32);
    p.worker.postMessage({
      type: 'job',
      job: 1,
      header,
      target,
      from,
      to: 2 ** 32,
      kernel: 'auto',
    });
    const found = await p.until((m) => m.type === 'found');
    expect(found).toMatchObject({ type: 'found', job: 1, nonce: expected, kernel: 'wasm-simd' });
    expect(p.hashesFor(1)).toBe(expected - from + 1);
  });

  it('samples a few hashes a second for the live view: nonces it just tried, hashed right', async () => {
    const p = probe();
    // Target 1: no find, so the worker keeps reporting progress.
    p.worker.postMessage({
      type: 'job',
      job: 9,
      header,
      target: 1n,
      from: 0,
      to: 2 ** 32,
      kernel: 'auto',
    });
    await p.until((m) => m.type === 'progress' && m.sample !== undefined && m.sample.nonce > 0);
    await p.until(
      (m) =>
        m.type === 'progress' && p.messages.filter((x) => 'sample' in x && x.sample).length >= 2,
    );
    p.worker.terminate();
    let tried = 0;
    const samples: HashSample[] = [];
    for (const m of p.messages) {
      if (m.type !== 'progress') continue;
      tried += m.hashes;
      if (!m.sample) continue;
      samples.push(m.sample);
      // The last nonce of the chunk just reported: tried, and hashed as the header says.
      expect(m.sample.nonce).toBe(tried - 1);
      const copy = Uint8Array.from(header);
      new DataView(copy.buffer).setUint32(76, m.sample.nonce, true);
      expect(m.sample.hash).toEqual(sha256d(copy));
    }
    expect(samples.length).toBeGreaterThanOrEqual(2);
    // Most progress messages carry no sample: sampling is throttled, not per chunk.
    expect(samples.length).toBeLessThan(p.messages.length);
  });

  it('runs the JavaScript kernel when asked to', async () => {
    const p = probe();
    const target = bitsToTarget(0x1f0fffff);
    p.worker.postMessage({ type: 'job', job: 3, header, target, from: 0, to: 1e6, kernel: 'js' });
    const found = await p.until((m) => m.type === 'found');
    expect(found).toMatchObject({ kernel: 'js', nonce: mineRange(header, target, 0, 1e6) });
  });

  it('takes a new job between chunks instead of finishing the old range', async () => {
    const p = probe();
    // Job 1 can never succeed and would take many minutes to exhaust.
    p.worker.postMessage({
      type: 'job',
      job: 1,
      header,
      target: 1n,
      from: 0,
      to: 2 ** 32,
      kernel: 'auto',
    });
    await p.until((m) => m.type === 'progress' && m.job === 1);
    const target = bitsToTarget(REGTEST.powLimitBits);
    p.worker.postMessage({
      type: 'job',
      job: 2,
      header,
      target,
      from: 500,
      to: 600,
      kernel: 'auto',
    });
    const found = await p.until((m) => m.type === 'found');
    expect(found).toMatchObject({ job: 2, nonce: mineRange(header, target, 500, 600) });
    expect(p.hashesFor(1)).toBeLessThan(2 ** 32);
  });

  it('reports an exhausted range, having hashed all of it exactly once', async () => {
    const p = probe();
    p.worker.postMessage({
      type: 'job',
      job: 7,
      header,
      target: 1n,
      from: 10,
      to: 300_010,
      kernel: 'auto',
    });
    await p.until((m) => m.type === 'exhausted');
    expect(p.hashesFor(7)).toBe(300_000);
    expect(p.messages.filter((m) => m.type === 'found')).toEqual([]);
  });

  it('reports a bad job as an error instead of dying', async () => {
    const p = probe();
    const bad = new Uint8Array(12);
    p.worker.postMessage({
      type: 'job',
      job: 1,
      header: bad,
      target: 1n,
      from: 0,
      to: 10,
      kernel: 'auto',
    });
    expect(await p.until((m) => m.type === 'error')).toMatchObject({ message: /80-byte/ });
    const target = bitsToTarget(REGTEST.powLimitBits);
    p.worker.postMessage({ type: 'job', job: 2, header, target, from: 0, to: 10, kernel: 'auto' });
    expect(await p.until((m) => m.type === 'found')).toMatchObject({ job: 2 });
  });
});
