/**
 * The mining controller's pace on regtest: it rests `paceMs` after each new tip before mining
 * on it, never stamps a block time ahead of the clock (it waits for the clock instead), and a
 * new pace takes effect at once. Manual clock, scripted workers: no sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { headerId, type NodeState } from '../../core/index.js';
import {
  MiningController,
  type MiningControllerOptions,
} from '../../client/mining/mining-controller.js';
import { ManualTime, next, scripted, type ScriptedWorker } from '../helpers/mining.js';
import { openNode, testKey } from '../helpers/regtest.js';

const controllers: MiningController[] = [];

function controllerFor(
  node: Pick<NodeState, 'template' | 'processBlock'>,
  time: ManualTime,
  options: Partial<MiningControllerOptions>,
): { controller: MiningController; workers: ScriptedWorker[] } {
  const { workers, createWorker } = scripted();
  const controller = new MiningController({
    node,
    payTo: testKey(7).pubkey,
    createWorker,
    maxWorkers: 1,
    now: time.now,
    timers: time.timers,
    ...options,
  });
  controllers.push(controller);
  return { controller, workers };
}

/** Job header's time field (seconds). */
const jobTime = (w: ScriptedWorker) => new DataView(w.lastJob.header.buffer).getUint32(68, true);

/** Let the worker find a block on its last job; resolves when the controller accepted it. */
async function find(controller: MiningController, worker: ScriptedWorker) {
  const mined = next(controller, 'block');
  const job = worker.lastJob;
  worker.reply({ type: 'found', job: job.job, nonce: worker.solve(job), hashes: 1, kernel: 'js' });
  return mined;
}

afterEach(() => {
  for (const c of controllers.splice(0)) c.stop();
});

describe('mining pace', () => {
  it('rests paceMs after each new tip, then mines on it', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const { controller, workers } = controllerFor(node, time, { paceMs: 1000 });
    await controller.start();
    const worker = workers[0]!;
    expect(worker.jobs).toHaveLength(1); // no tip seen yet: mines at once
    await find(controller, worker);
    expect(controller.status().resting).toBe(true);
    expect(worker.jobs).toHaveLength(1);
    time.advance(999);
    expect(worker.jobs).toHaveLength(1);
    const resumed = next(controller, 'status', () => worker.jobs.length === 2);
    time.advance(1);
    await resumed;
    expect(controller.status()).toMatchObject({ resting: false, paceMs: 1000, height: 2 });

    // Ten blocks at this pace take ten seconds of clock, one block per second.
    const start = time.ms;
    for (let i = 0; i < 10; i++) {
      await find(controller, worker);
      const jobs = worker.jobs.length;
      const again = next(controller, 'status', () => worker.jobs.length === jobs + 1);
      time.advance(1000);
      await again;
    }
    expect(node.chain.height).toBe(11);
    expect(time.ms - start).toBe(10_000);
  });

  it('never stamps a block time ahead of the clock: it waits for the clock instead', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const { controller, workers } = controllerFor(node, time, { paceMs: 0 });
    await controller.start();
    const worker = workers[0]!;
    let waits = 0;
    for (let i = 0; i < 12; i++) {
      expect(jobTime(worker) * 1000).toBeLessThanOrEqual(time.ms);
      const jobs = worker.jobs.length;
      const settled = next(controller, 'status', (s) => s.resting || worker.jobs.length > jobs);
      const { block } = await find(controller, worker);
      expect(block.header.time * 1000).toBeLessThanOrEqual(time.ms);
      // Within one second the median time past catches up with the clock: then it rests.
      await settled;
      if (worker.jobs.length === jobs) {
        expect(controller.status().resting).toBe(true);
        waits++;
        const resumed = next(controller, 'status', () => worker.jobs.length === jobs + 1);
        time.advance(1000);
        await resumed;
      }
    }
    expect(waits).toBeGreaterThan(0);
    const times = [];
    for (let e = node.chain.tip; e.parent; e = e.parent) times.push(e.header.time);
    expect(Math.max(...times) * 1000).toBeLessThanOrEqual(time.ms);
    expect(headerId(node.chain.tip.header)).toBe(node.chain.tip.id);
  });

  it('a new pace takes effect at once', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const { controller, workers } = controllerFor(node, time, { paceMs: 60_000 });
    await controller.start();
    const worker = workers[0]!;
    await find(controller, worker);
    expect(controller.status().resting).toBe(true);
    const resumed = next(controller, 'status', () => worker.jobs.length === 2);
    expect(controller.setPace(0)).toBe(0);
    // Only the clock holds it now (block 2's time must pass block 1's): one second, not 60.
    time.advance(1000);
    await resumed;
    expect(controller.status()).toMatchObject({ resting: false, paceMs: 0 });
    expect(controller.setPace(10 ** 9)).toBe(60_000);
  });
});
