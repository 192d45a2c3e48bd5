/** The sync meter: counts since the sync began, the recent rate, and time left from it. */
import { describe, expect, it } from 'vitest';
import { SAMPLE_INTERVAL_MS, SyncMeter } from '../../../client/ui/explain/sync-meter.js';
import { signaturesIn } from '../../../client/ui/sync-progress.js';
import { alice, buildBlock, fundedNode, pay } from '../../helpers/regtest.js';

const at = (ms: number, connected: number, headers = 1000, signatures = 0, bytes = 0) => ({
  at: ms,
  connected,
  headers,
  signatures,
  bytes,
});

describe('SyncMeter', () => {
  it('says nothing of rate or time left until two samples a moment apart', () => {
    const meter = new SyncMeter();
    expect(meter.view()).toBeUndefined();
    meter.begin(at(0, 100));
    expect(meter.view()).toMatchObject({ have: 0, of: 900, blocksPerSecond: undefined });
    expect(meter.view()!.etaSeconds).toBeUndefined();
  });

  it('begun after the first blocks connected, counts the blocks from where the sync began', () => {
    const meter = new SyncMeter();
    // The node started syncing at height 0; the meter saw it first at height 3.
    meter.begin(at(0, 3, 460, 7, 500), 0);
    expect(meter.view()).toMatchObject({ have: 3, of: 460, signatures: 0, bytes: 0 });
    meter.record(at(1_000, 103, 460, 9, 900));
    expect(meter.view()).toMatchObject({ have: 103, of: 460, signatures: 2, bytes: 400 });
    expect(meter.view()!.blocksPerSecond).toBeCloseTo(100, 0);
    // A start height above what is connected (a reorg) changes nothing.
    meter.begin(at(0, 3, 460), 5);
    expect(meter.view()).toMatchObject({ have: 0, of: 457 });
  });

  it('begun after the first bodies came in, counts the bytes from where the sync began', () => {
    const meter = new SyncMeter();
    // The node had received 200 bytes when the sync began; the meter first saw it at 500.
    meter.begin(at(0, 3, 460, 0, 500), 0, 200);
    expect(meter.view()).toMatchObject({ have: 3, bytes: 300 });
    meter.record(at(1_000, 10, 460, 0, 900));
    expect(meter.view()).toMatchObject({ have: 10, bytes: 700 });
    // A byte count from after the sample (another counter) is not trusted: counts from here.
    meter.begin(at(0, 3, 460, 0, 500), 0, 800);
    expect(meter.view()).toMatchObject({ bytes: 0 });
  });

  it('counts from the start of the sync and estimates from the recent rate', () => {
    const meter = new SyncMeter(10_000);
    meter.begin(at(0, 100, 1000, 50, 1_000));
    // 20 s at 10 blocks/s, then 10 s at 40 blocks/s: the estimate follows the last 10 s.
    for (let t = 250; t <= 20_000; t += 250)
      meter.record(at(t, 100 + t / 100, 1000, 50, 1_000 + t));
    for (let t = 20_250; t <= 30_000; t += 250)
      meter.record(at(t, 300 + ((t - 20_000) / 1000) * 40, 1000, 90, 1_000 + t));
    const view = meter.view()!;
    expect(view.have).toBe(600);
    expect(view.of).toBe(900);
    expect(view.signatures).toBe(40);
    expect(view.bytes).toBe(30_000);
    expect(view.blocksPerSecond).toBeCloseTo(40, 0);
    expect(view.etaSeconds).toBeCloseTo(300 / 40, 0);
    expect(view.bytesPerSecond).toBeCloseTo(1000, 0);
  });

  it(`keeps one sample per ${SAMPLE_INTERVAL_MS} ms however many events arrive`, () => {
    const meter = new SyncMeter(10_000);
    meter.begin(at(0, 0));
    for (let i = 1; i <= 100_000; i++) meter.record(at(i / 10, i / 10)); // 10 events per ms
    const kept = (meter as unknown as { samples: unknown[] }).samples.length;
    expect(kept).toBeLessThanOrEqual(10_000 / SAMPLE_INTERVAL_MS + 2);
    expect(meter.view()!.blocksPerSecond).toBeCloseTo(1000, 0);
  });
});

describe('signaturesIn', () => {
  it('counts one signature per input after the coinbase', async () => {
    const funded = await fundedNode(2);
    const tx = pay(
      alice,
      [funded.reward(1), funded.reward(2)],
      [{ amount: 1n, pubkey: alice.pubkey }],
    );
    expect(signaturesIn(buildBlock(funded.node.chain.tip, { txs: [tx, tx] }))).toBe(4);
    expect(signaturesIn(buildBlock(funded.node.chain.tip))).toBe(0);
  });
});
