/**
 * The network simulator (tools/sim): real nodes on a virtual clock. A run is a function of its
 * config and seed, and its figures move the way the network's physics says they should.
 */
import { describe, expect, it } from 'vitest';
import { REGTEST } from '../../core/index.js';
import { DEFAULT_CONFIG, type SimConfig } from '../../tools/sim/config.js';
import { SimMiner } from '../../tools/sim/miner.js';
import { Prng } from '../../tools/sim/prng.js';
import { Scheduler } from '../../tools/sim/scheduler.js';
import { simLinkPair } from '../../tools/sim/sim-link.js';
import { createSimNode, simEnv, type SimNode } from '../../tools/sim/sim-node.js';
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
    expect(first.newNodeSync).toMatchObject({ complete: true, blocks: first.blocks.bestChain });
    expect(first.incidents).toEqual({ refused: {}, disconnects: {} });
  }, 120_000);

  it('has more stale blocks and slower propagation with more latency', async () => {
    const busy: SimConfig = { ...small, nodes: 20, miners: 8, spacingSeconds: 2, seed: 3 };
    const near = await runSimulation({ ...busy, latencyMs: 10 });
    const far = await runSimulation({ ...busy, latencyMs: 300 });
    expect(far.propagation.p95.median).toBeGreaterThan(5 * near.propagation.p95.median);
    expect(far.blocks.staleRate).toBeGreaterThan(near.blocks.staleRate + 0.1);
    expect(Object.keys(far.reorgs.depths).length).toBeGreaterThan(0);
  }, 120_000);

  it('takes longer to sync a new node over slower links', async () => {
    const fast = await runSimulation({ ...small, bandwidthMbps: 100 });
    const slow = await runSimulation({ ...small, bandwidthMbps: 0.05 });
    expect(slow.newNodeSync.complete).toBe(true);
    expect(slow.newNodeSync.ms).toBeGreaterThan(fast.newNodeSync.ms);
  }, 120_000);
});

describe('a block crossing simulated links', () => {
  it('takes three trips per hop (headers, getdata, block), each at its link latency', async () => {
    const scheduler = new Scheduler((REGTEST.genesis.header.time + 3600) * 1000);
    const random = new Prng(1);
    const env = simEnv(scheduler, random);
    const nodes: SimNode[] = [];
    for (let i = 0; i < 4; i++) nodes.push(await createSimNode(i, REGTEST, env));
    const latencies = [10, 20, 40];
    latencies.forEach((latencyMs, i) => {
      const [ab, ba] = simLinkPair(
        scheduler,
        nodes[i]!,
        nodes[i + 1]!,
        { latencyMs, bytesPerMs: 1e9 },
        () => undefined,
      );
      nodes[i]!.p2p.addLink(ab);
      nodes[i + 1]!.p2p.addLink(ba);
    });
    const reached: number[] = [];
    for (const node of nodes) node.p2p.on('chain-changed', () => reached.push(scheduler.now));
    await scheduler.run(scheduler.now + 1000);
    const miner = new SimMiner({
      node: nodes[0]!,
      hashrate: 1,
      expectedWork: 1, // a block within about a second
      scheduler,
      random,
      onFound: () => undefined,
      onError: (err) => {
        throw err;
      },
    });
    miner.start();
    await scheduler.run(scheduler.now + 60_000, () => reached.length > 0);
    miner.stop();
    await scheduler.run(scheduler.now + 1000);
    for (const node of nodes) node.p2p.stop();
    const delays = reached.map((t) => t - reached[0]!);
    expect(delays).toHaveLength(4);
    expect(delays[1]).toBeCloseTo(3 * 10, 3);
    expect(delays[2]).toBeCloseTo(3 * (10 + 20), 3);
    expect(delays[3]).toBeCloseTo(3 * (10 + 20 + 40), 3);
  });
});
