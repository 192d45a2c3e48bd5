/**
 * The network simulator (tools/sim): real nodes on a virtual clock. A run is a function of its
 * config and seed, and its figures move the way the network's physics says they should.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type SimConfig } from '../../tools/sim/config.js';
import { runSimulation } from '../../tools/sim/simulation.js';

const small: SimConfig = {
  ...DEFAULT_CONFIG,
  nodes: 16,
  minutes: 2,
  miners: 4,
  spacingSeconds: 5,
  seed: 7,
};

describe('simulator', () => {
  it('gives the same result JSON for the same seed, and another for another seed', async () => {
    const first = await runSimulation(small);
    const again = await runSimulation(small);
    const other = await runSimulation({ ...small, seed: 8 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(first));
    // And the run did what it says: blocks were mined, reached everyone, and a late node synced.
    expect(first.blocks.found).toBeGreaterThan(5);
    expect(first.propagation.incomplete).toBe(0);
    expect(first.convergence.nodesOnBestTip).toBe(small.nodes);
    expect(first.newNodeSync).toMatchObject({ complete: true, blocks: first.blocks.height });
    expect(first.incidents).toEqual({ refused: {}, disconnects: {} });
  });

  it('has more stale blocks and slower propagation with more latency', async () => {
    const busy: SimConfig = { ...small, nodes: 20, miners: 8, spacingSeconds: 2, seed: 3 };
    const near = await runSimulation({ ...busy, latencyMs: 10 });
    const far = await runSimulation({ ...busy, latencyMs: 300 });
    expect(far.propagation.p95.median).toBeGreaterThan(5 * near.propagation.p95.median);
    expect(far.blocks.staleRate).toBeGreaterThan(near.blocks.staleRate + 0.1);
    expect(Object.keys(far.reorgs.depths).length).toBeGreaterThan(0);
  });

  it('takes longer to sync a new node over slower links', async () => {
    const fast = await runSimulation({ ...small, bandwidthMbps: 100 });
    const slow = await runSimulation({ ...small, bandwidthMbps: 0.05 });
    expect(slow.newNodeSync.complete).toBe(true);
    expect(slow.newNodeSync.ms).toBeGreaterThan(fast.newNodeSync.ms);
  });
});
