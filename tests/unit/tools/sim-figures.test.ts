/**
 * The simulator's propagation figures (tools/sim/figures.ts): the time to reach a share of the
 * nodes, and the mean delay until the *other* miners have a block (what stale blocks follow),
 * as docs/scale.md's table shows them (tools/sim/report-table.ts).
 */
import { describe, expect, it } from 'vitest';
import { propagation } from '../../../tools/sim/figures.js';
import { Recorder } from '../../../tools/sim/recorder.js';
import { comparisonTable } from '../../../tools/sim/report-table.js';
import type { SimResult } from '../../../tools/sim/result.js';

/** Nodes 0-3 watched from time 0; block `b1` found by node 0 at 1,000 ms. */
function recorded(reached: Record<number, number>): Recorder {
  const recorder = new Recorder(() => 0);
  for (let index = 0; index < 4; index++) {
    recorder.lives.set(index, { joinedAt: 0, caughtUpAt: 0, leftAt: undefined });
  }
  recorder.onFound({ id: 'b1', miner: 0, height: 1, time: 1000 });
  recorder.reached.set('b1', new Map(Object.entries(reached).map(([n, at]) => [Number(n), at])));
  return recorder;
}

describe('propagation figures', () => {
  it('average the delay to the miners other than the finder', () => {
    const recorder = recorded({ 0: 1000, 1: 1100, 2: 1300, 3: 1700 });
    // Miners 0 (the finder, left out), 1 and 3: (100 + 700) / 2.
    const figures = propagation(recorder, new Set(['b1']), [0, 1, 3]);
    expect(figures.toMiners).toMatchObject({ median: 400, mean: 400 });
    expect(figures.p100.median).toBe(700);
  });

  it('leave out miners that never had the block, and give no figure without other miners', () => {
    const recorder = recorded({ 0: 1000, 1: 1250 });
    expect(propagation(recorder, new Set(['b1']), [0, 1, 2]).toMiners?.mean).toBe(250);
    expect(propagation(recorder, new Set(['b1']), [0]).toMiners).toBeUndefined();
  });
});

describe('the full-against-compact table', () => {
  /** The fields comparisonTable reads, for one run. */
  const run = (relay: string, p100: number, toMiners: number | undefined, stale: number) => ({
    wallSeconds: 1,
    result: {
      config: { nodes: 500, relay },
      propagation: {
        p100: { median: p100, p95: 2 * p100 },
        ...(toMiners === undefined ? {} : { toMiners: { mean: toMiners } }),
      },
      blocks: { stale, found: 100, staleRate: stale / 100 },
      traffic: { byType: { block: 5000 }, bytesPerNodePerBlock: 9000 },
      compact: { roundTripRate: 0, roundTrip: 0, immediate: 0 },
    } as unknown as SimResult,
  });

  it('shows the time to the other miners and its ratio, and a dash for a run without it', () => {
    const withFigure = comparisonTable([run('full', 600, 400, 4), run('compact', 300, 100, 1)]);
    expect(withFigure).toContain('| 0.40 → 0.10 (×0.25) | 4.0% (4/100) → 1.0% (1/100) |');
    const without = comparisonTable([run('full', 600, undefined, 4), run('compact', 300, 100, 1)]);
    expect(without).toContain('| — → 0.10 | 4.0%');
  });
});
