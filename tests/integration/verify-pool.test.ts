/**
 * client/verify/verify-pool.ts with real worker threads (package `web-worker`, through the tsx
 * shim): the pool's answers equal core's `verifySignature` on seeded valid and mutated
 * signatures, with @noble/curves and with libsecp256k1 (WASM) in the workers; a failed worker,
 * a closed pool and workers that cannot start all fall back to "not known valid".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../core/index.js';
import { createNodeVerifyWorker } from '../../client/verify/node-verify-worker.js';
import type { VerifyWorker } from '../../client/verify/verify-messages.js';
import { VerifyPool, verifyWorkerCount } from '../../client/verify/verify-pool.js';
import { seeded } from '../helpers/seeded.js';
import { signatureSamples } from '../helpers/sig-samples.js';

const samples = signatureSamples(400, seeded(17));
const expected = samples.map((s) => (verifySignature(s.signature, s.message, s.publicKey) ? 1 : 0));
const pools: VerifyPool[] = [];

async function startPool(verifier: 'noble' | 'fastest', size = 2): Promise<VerifyPool> {
  const pool = await VerifyPool.start(createNodeVerifyWorker, size, verifier);
  if (!pool) throw new Error('workers did not start');
  pools.push(pool);
  return pool;
}

afterAll(() => {
  for (const pool of pools) pool.close();
});

describe('VerifyPool', () => {
  let noble: VerifyPool;
  let fastest: VerifyPool;
  beforeAll(async () => {
    [noble, fastest] = await Promise.all([startPool('noble'), startPool('fastest')]);
  });

  it('answers as core does, in order, with each verifier', async () => {
    expect(expected.filter((v) => v === 1).length).toBe(200);
    expect(noble.verifier).toBe('noble');
    expect(fastest.verifier).toBe('libsecp256k1-wasm');
    for (const pool of [noble, fastest]) {
      expect([...(await pool.verify(samples))]).toEqual(expected);
      expect(pool.pending).toBe(0);
    }
  });

  it('splits a batch over the active workers and only those', async () => {
    const parts = await Promise.all([
      noble.verify(samples.slice(0, 100)),
      noble.verify(samples.slice(100, 101)),
      noble.verify([]),
    ]);
    expect([...parts[0]!, ...parts[1]!]).toEqual(expected.slice(0, 101));
    expect(parts[2]!.length).toBe(0);
    noble.setActive(1);
    expect(noble.activeWorkers).toBe(1);
    expect([...(await noble.verify(samples))]).toEqual(expected);
    noble.setActive(99);
    expect(noble.activeWorkers).toBe(2);
  });

  it('answers "not known valid" once closed, even for batches in flight', async () => {
    const pool = await startPool('noble', 1);
    const inFlight = pool.verify(samples);
    pool.close();
    expect([...(await inFlight)].every((v) => v === 0)).toBe(true);
    expect([...(await pool.verify(samples.slice(0, 4)))]).toEqual([0, 0, 0, 0]);
  });
});

describe('fallback without workers', () => {
  it('resolves no pool when workers cannot be created', async () => {
    const pool = await VerifyPool.start(() => {
      throw new ReferenceError('Worker is not defined');
    }, 2);
    expect(pool).toBeUndefined();
  });

  it('resolves no pool when a worker never says it is ready', async () => {
    const silent: VerifyWorker = {
      postMessage: () => undefined,
      addEventListener: () => undefined,
      terminate: () => undefined,
    };
    expect(await VerifyPool.start(() => silent, 1, 'noble', 50)).toBeUndefined();
  });

  it('gives up a worker that stops answering, so blocks never wait forever', async () => {
    const stuck: VerifyWorker & { terminated: boolean } = {
      terminated: false,
      postMessage(message) {
        if (message.type === 'init')
          queueMicrotask(() =>
            listener?.({ data: { type: 'ready', verifier: 'noble' } } as MessageEvent),
          );
      },
      addEventListener(type: string, l: unknown) {
        if (type === 'message') listener = l as typeof listener;
      },
      terminate() {
        this.terminated = true;
      },
    };
    let listener: ((event: MessageEvent) => void) | undefined;
    const pool = await VerifyPool.start(
      () => stuck,
      1,
      'noble',
      1_000,
      () => 30,
    );
    expect(pool).toBeDefined();
    expect([...(await pool!.verify(samples.slice(0, 3)))]).toEqual([0, 0, 0]);
    expect(stuck.terminated).toBe(true);
    expect(pool!.pending).toBe(0);
    // The failed worker gets no more work: answers come at once, all "not known valid".
    expect([...(await pool!.verify(samples.slice(0, 2)))]).toEqual([0, 0]);
  });

  it('sizes the pool from the cores, leaving the miners theirs', () => {
    expect(verifyWorkerCount(undefined)).toBe(1);
    expect(verifyWorkerCount(2)).toBe(2);
    expect(verifyWorkerCount(2, 2)).toBe(1);
    expect(verifyWorkerCount(8, 3)).toBe(5);
    expect(verifyWorkerCount(64)).toBe(8);
  });
});
