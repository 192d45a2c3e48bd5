/**
 * The mining controller feeds the live proof-of-work view (client/mining/pow-sampler.ts): each
 * new template, the current job's sampled hashes, and its find; replies about older jobs leave
 * the view alone. Scripted workers and a manual clock keep it deterministic.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bitsToTarget, decodeHeader, encodeHeader, hashToHex, sha256d } from '../../core/index.js';
import { MiningController } from '../../client/mining/mining-controller.js';
import { PowSampler, SAMPLE_MS, type PowView } from '../../client/mining/pow-sampler.js';
import { ManualTime, next, scripted } from '../helpers/mining.js';
import { buildBlock, NOW, openNode, testKey } from '../helpers/regtest.js';

const controllers: MiningController[] = [];
afterEach(() => {
  for (const c of controllers.splice(0)) c.stop();
});

function hashOf(header: Uint8Array, nonce: number): Uint8Array {
  const copy = Uint8Array.from(header);
  new DataView(copy.buffer).setUint32(76, nonce, true);
  return sha256d(copy);
}

describe('MiningController and the live proof-of-work view', () => {
  it('shows the job being hashed, its samples, and stops at the find', async () => {
    const { node } = await openNode();
    const time = new ManualTime();
    const pow = new PowSampler(time.now);
    const { workers, createWorker } = scripted();
    const controller = new MiningController({
      node,
      payTo: testKey(7).pubkey,
      createWorker,
      maxWorkers: 1,
      now: time.now,
      timers: time.timers,
      pow,
    });
    controllers.push(controller);
    await controller.start();
    const worker = workers[0]!;
    const oldJob = worker.lastJob;
    const header = decodeHeader(oldJob.header);
    expect(header.ok).toBe(true);
    expect(pow.view()).toMatchObject({
      source: 'workers',
      active: true,
      template: { height: 1, bits: 0x207fffff, target: bitsToTarget(0x207fffff) },
    });

    // A peer's block: a new job. Replies about the old one no longer reach the view.
    expect((await node.processBlock(buildBlock(node.chain.tip), NOW)).ok).toBe(true);
    await controller.onTip();
    const job = worker.lastJob;
    expect(pow.view()!.template.height).toBe(2);
    const sample = { nonce: 41, hash: hashOf(oldJob.header, 41) };
    worker.reply({ type: 'progress', job: oldJob.job, hashes: 42, kernel: 'js', sample });
    expect(pow.view()).toMatchObject({ hashes: 0, samples: [] });

    time.advance(SAMPLE_MS);
    const hash = hashOf(job.header, 99);
    worker.reply({
      type: 'progress',
      job: job.job,
      hashes: 100,
      kernel: 'js',
      sample: { nonce: 99, hash },
    });
    expect(pow.view()).toMatchObject({ hashes: 100, nonce: 99 });
    expect(pow.view()!.samples.map((s) => s.hash)).toEqual([hashToHex(hash)]);
    // A second sample before SAMPLE_MS has passed is counted but not shown.
    worker.reply({
      type: 'progress',
      job: job.job,
      hashes: 100,
      kernel: 'js',
      sample: { nonce: 199, hash: hashOf(job.header, 199) },
    });
    expect(pow.view()).toMatchObject({ hashes: 200, nonce: 99 });

    const views: PowView[] = [];
    pow.on('change', (v) => views.push(v));
    const mined = next(controller, 'block');
    const nonce = worker.solve(job);
    worker.reply({ type: 'found', job: job.job, nonce, hashes: 1, kernel: 'js' });
    const { block } = await mined;
    // The find stops the view on this template; mining then goes on with the next one.
    expect(views[0]).toMatchObject({ active: false, nonce, template: { height: 2 } });
    expect(views[0]!.found).toMatchObject({ nonce, meets: true });
    expect(views.slice(1).every((v) => v.template.height === 3 && v.active)).toBe(true);
    expect(hashToHex(sha256d(encodeHeader(block.header)))).toBe(
      hashToHex(hashOf(job.header, nonce)),
    );
  });
});
