/**
 * client/mining/mining-controller.ts on a regtest NodeState: real workers (web-worker threads)
 * mine blocks that pass the node's validation and stop when told; scripted workers make the
 * races deterministic (a block found on a tip that just changed, a burst of mempool changes,
 * hashrate samples). Time is a manual clock; waits are on events, never on sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  headerHash,
  headerId,
  mineRange,
  toHex,
  workFromBits,
  type Block,
  type BlockTemplate,
  type NodeState,
} from '../../core/index.js';
import type { MiningWorker } from '../../client/mining/mining-messages.js';
import {
  MiningController,
  type MiningControllerOptions,
  type MiningEvents,
} from '../../client/mining/mining-controller.js';
import { ManualTime, ScriptedWorker, next, scripted } from '../helpers/mining.js';
import { createNodeMiningWorker } from '../../client/mining/node-worker.js';
import {
  NOW,
  buildBlock,
  mineBlocks,
  openNode,
  outputOf,
  pay,
  testKey,
} from '../helpers/regtest.js';

const miner = testKey(7);

const controllers: MiningController[] = [];

function controllerFor(
  node: Pick<NodeState, 'template' | 'processBlock'>,
  options: Partial<MiningControllerOptions> & { time: ManualTime },
): MiningController {
  const controller = new MiningController({
    node,
    payTo: miner.pubkey,
    createWorker: createNodeMiningWorker,
    maxWorkers: 2,
    now: options.time.now,
    timers: options.time.timers,
    ...options,
  });
  controllers.push(controller);
  return controller;
}

/** Real workers, each with a promise that resolves when its thread has exited. */
function realWorkers(): { exited: Promise<void>[]; createWorker: () => MiningWorker } {
  const exited: Promise<void>[] = [];
  return {
    exited,
    createWorker: () => {
      const worker = createNodeMiningWorker();
      exited.push(
        new Promise((resolve) =>
          (worker as unknown as EventTarget).addEventListener('close', () => resolve()),
        ),
      );
      return worker;
    },
  };
}

afterEach(() => {
  for (const c of controllers.splice(0)) c.stop();
});

describe('MiningController with real workers', () => {
  it('mines regtest blocks that pass validation, pays our key, and stops every worker', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const threads = realWorkers();
    const controller = controllerFor(node, { time, workers: 2, ...threads });
    const mined: Block[] = [];
    controller.on('block', ({ block }) => {
      // Never a block time ahead of the clock: the controller waits for it instead.
      expect(block.header.time * 1000).toBeLessThanOrEqual(time.ms);
      mined.push(block);
    });
    // Blocks come faster than one a second: let the clock move while the workers rest.
    controller.on('status', (s) => {
      if (s.resting) queueMicrotask(() => time.advance(1000));
    });
    const third = next(controller, 'block', () => mined.length >= 3);
    await controller.start();
    await third;
    controller.stop();
    await Promise.all(threads.exited);
    expect(threads.exited).toHaveLength(2);
    for (const block of mined) {
      const entry = node.chain.getEntry(headerId(block.header))!;
      expect(node.chain.isActive(entry)).toBe(true);
      expect(toHex(block.txs[0]!.outputs[0]!.pubkey)).toBe(toHex(miner.pubkey));
    }
    expect(node.chain.height).toBe(controller.status().blocksFound);
    expect(controller.status()).toMatchObject({ running: false, kernel: 'wasm-simd' });
  });

  it('rolls the extra nonce when the workers exhaust the nonce space', async () => {
    const { node } = await openNode();
    const extraNonces: number[] = [];
    const templates: BlockTemplate[] = [];
    // A target no nonce meets in time, so every slice runs out.
    const hard = {
      template: async (payTo: Uint8Array, now: number, extraNonce: number) => {
        extraNonces.push(extraNonce);
        const t = await node.template(payTo, now, extraNonce);
        templates.push(t);
        return { ...t, block: { ...t.block, header: { ...t.block.header, bits: 0x1b00ffff } } };
      },
      processBlock: node.processBlock.bind(node),
    };
    const time = new ManualTime();
    const controller = controllerFor(hard, {
      time,
      workers: 2,
      nonceSpace: 20_000,
      ...realWorkers(),
    });
    const fifth = next(controller, 'status', (s) => s.extraNonce >= 5);
    await controller.start();
    await fifth;
    expect(extraNonces.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    const roots = new Set(templates.map((t) => toHex(t.block.header.merkleRoot)));
    expect(roots.size).toBe(templates.length);
    // Each roll followed a worker finishing its half (10,000 nonces) of a template.
    expect(controller.status().hashes).toBeGreaterThanOrEqual(4 * 10_000);
  });
});

describe('MiningController with scripted workers', () => {
  it('drops a block found on a tip that has just changed and mines on the new tip', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const { workers, createWorker } = scripted();
    const controller = controllerFor(node, { time, workers: 1, createWorker });
    await controller.start();
    const [worker] = workers;
    const oldJob = worker!.lastJob;
    // A peer's block arrives: the node connects it and tells the controller.
    const theirs = buildBlock(node.chain.tip, { payTo: testKey(9) });
    expect((await node.processBlock(theirs, NOW)).ok).toBe(true);
    await controller.onTip();
    const newJob = worker!.lastJob;
    expect(newJob.job).toBeGreaterThan(oldJob.job);
    expect(toHex(newJob.header.subarray(4, 36))).toBe(toHex(headerHash(theirs.header)));

    // The worker had found a block on the old tip before it saw the new job.
    const stale: MiningEvents['stale'][] = [];
    controller.on('stale', (event) => stale.push(event));
    const staleNonce = worker!.solve(oldJob);
    worker!.reply({ type: 'found', job: oldJob.job, nonce: staleNonce, hashes: 1, kernel: 'js' });
    expect(stale).toEqual([{ job: oldJob.job, nonce: staleNonce }]);

    const ours = next(controller, 'block');
    const nonce = worker!.solve(newJob);
    worker!.reply({ type: 'found', job: newJob.job, nonce, hashes: 1, kernel: 'js' });
    const { block, height } = await ours;
    expect(height).toBe(2);
    expect(block.header.nonce).toBe(nonce);
    expect(toHex(block.header.prevHash)).toBe(toHex(headerHash(theirs.header)));
    expect(node.chain.tip.id).toBe(headerId(block.header));
    // Genesis, theirs, ours: the stale block never reached the node, not even as a side branch.
    expect([...node.chain.entries()]).toHaveLength(3);
    expect(controller.status()).toMatchObject({ blocksFound: 1, staleFound: 1 });
  });

  it('refreshes the template once per burst of mempool changes, after the debounce', async () => {
    const { node } = await openNode();
    const alice = testKey(1);
    const rewards = await mineBlocks(node, COINBASE_MATURITY + 2, alice);
    const payments = rewards
      .slice(0, 2)
      .map((b, i) =>
        pay(
          alice,
          [outputOf(b.txs[0]!, 0, i + 1, true)],
          [{ amount: 49n * 100_000_000n, pubkey: testKey(2).pubkey }],
        ),
      );
    const time = new ManualTime();
    const { workers, createWorker } = scripted();
    const controller = controllerFor(node, { time, createWorker, mempoolDebounceMs: 500 });
    await controller.start();
    const [worker] = workers;
    for (const tx of payments) {
      expect((await node.acceptTx(tx, NOW)).ok).toBe(true);
      controller.onMempoolChange();
    }
    time.advance(499);
    expect(worker!.jobs).toHaveLength(1);
    const refreshed = next(controller, 'status');
    time.advance(1);
    await refreshed;
    expect(worker!.jobs).toHaveLength(2);

    const mined = next(controller, 'block');
    const job = worker!.lastJob;
    worker!.reply({
      type: 'found',
      job: job.job,
      nonce: worker!.solve(job),
      hashes: 1,
      kernel: 'js',
    });
    const { block, result } = await mined;
    expect(block.txs.slice(1)).toEqual(payments);
    expect(result.ok && result.mempool.confirmed).toHaveLength(2);
    expect(node.mempool.size).toBe(0);
  });

  it('splits the nonce space over 1..maxWorkers workers and re-splits when the count changes', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const { workers, createWorker } = scripted();
    const controller = controllerFor(node, { time, createWorker, maxWorkers: 3 });
    expect(controller.setWorkers(10)).toBe(3);
    await controller.start();
    const ranges = workers.map((w) => [w.lastJob.from, w.lastJob.to]);
    expect(ranges).toEqual([
      [0, 1431655765],
      [1431655765, 2863311530],
      [2863311530, 2 ** 32],
    ]);
    expect(new Set(workers.map((w) => w.lastJob.job)).size).toBe(1);
    const resplit = next(controller, 'status', () => workers[0]!.jobs.length === 2);
    expect(controller.setWorkers(0)).toBe(1);
    await resplit;
    expect(workers.map((w) => w.terminated)).toEqual([false, true, true]);
    expect(workers[0]!.lastJob.header).not.toEqual(workers[0]!.jobs[0]!.header); // new extra nonce
    expect([workers[0]!.lastJob.from, workers[0]!.lastJob.to]).toEqual([0, 2 ** 32]);
  });

  it('reports a smoothed hashrate and the expected time to a block', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const { workers, createWorker } = scripted();
    const controller = controllerFor(node, {
      time,
      createWorker,
      workers: 2,
      sampleMs: 1000,
      hashrateHalfLifeMs: 5000,
    });
    await controller.start();
    const job = workers[0]!.lastJob.job;
    for (const w of workers) w.reply({ type: 'progress', job, hashes: 1_000_000, kernel: 'js' });
    time.advance(1000);
    const work = Number(workFromBits(node.chain.nextBits()));
    expect(controller.status()).toMatchObject({ hashrate: 2_000_000, hashes: 2_000_000 });
    expect(controller.status().expectedSeconds).toBeCloseTo(work / 2_000_000, 12);
    workers[0]!.reply({ type: 'progress', job, hashes: 4_000_000, kernel: 'js' });
    time.advance(1000);
    // Half-life 5 s: a 1 s sample moves the average by 1 - 2^-0.2 of the difference.
    expect(controller.status().hashrate).toBeCloseTo(2e6 + (1 - 2 ** -0.2) * 2e6, 3);
  });

  it('renews the template as time passes, so the block time keeps up', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const { workers, createWorker } = scripted();
    const controller = controllerFor(node, { time, createWorker, templateRefreshMs: 30_000 });
    await controller.start();
    const blockTime = (w: ScriptedWorker) =>
      new DataView(w.lastJob.header.buffer).getUint32(68, true);
    const first = blockTime(workers[0]!);
    time.advance(30_000);
    await controller.onTip(); // joins the refresh the timer started
    expect(workers[0]!.jobs.length).toBeGreaterThanOrEqual(2);
    expect(blockTime(workers[0]!)).toBe(first + 30);
  });

  it('reports a block that fails validation and mines on after a pause', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const { workers, createWorker } = scripted();
    const controller = controllerFor(node, { time, createWorker, rejectBackoffMs: 1000 });
    await controller.start();
    const [worker] = workers;
    const job = worker!.lastJob;
    let bad = 0;
    while (mineRange(job.header, job.target, bad, bad + 1) === bad) bad++;
    const rejected = next(controller, 'rejected');
    worker!.reply({ type: 'found', job: job.job, nonce: bad, hashes: 1, kernel: 'js' });
    const { result } = await rejected;
    expect(result.ok ? 'accepted' : result.reason).toBe('high-hash');
    expect(worker!.jobs).toHaveLength(1); // no new template before the back-off
    const retried = next(controller, 'status', () => worker!.jobs.length === 2);
    time.advance(1000);
    await retried;
    const mined = next(controller, 'block');
    const again = worker!.lastJob;
    worker!.reply({
      type: 'found',
      job: again.job,
      nonce: worker!.solve(again),
      hashes: 1,
      kernel: 'js',
    });
    expect((await mined).height).toBe(1);
    expect(node.chain.height).toBe(1);
  });

  it('stops cleanly: workers terminated, timers cleared, late replies ignored', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const { workers, createWorker } = scripted();
    const controller = controllerFor(node, { time, createWorker, workers: 2 });
    const events: string[] = [];
    controller.on('block', () => events.push('block'));
    controller.on('stale', () => events.push('stale'));
    await controller.start();
    controller.onMempoolChange();
    controller.stop();
    expect(workers.map((w) => w.terminated)).toEqual([true, true]);
    expect(time.pending).toBe(0);
    const job = workers[0]!.lastJob;
    workers[0]!.reply({
      type: 'found',
      job: job.job,
      nonce: workers[0]!.solve(job),
      hashes: 1,
      kernel: 'js',
    });
    await node.processBlock(buildBlock(node.chain.tip), NOW); // let any stray submit run first
    expect(events).toEqual([]);
    expect(node.chain.height).toBe(1);
    expect(controller.status()).toMatchObject({ running: false, hashrate: 0 });
  });
});
