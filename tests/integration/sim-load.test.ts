/**
 * The honest simulator (issue 18): a transaction load that lands in blocks, validation charged
 * in virtual time at the configured costs (and only for signatures a node has not verified), and
 * churn whose newcomers catch up. Same seed, same report.
 */
import { describe, expect, it } from 'vitest';
import { REGTEST, sighash, verifySignature } from '../../core/index.js';
import { DEFAULT_CONFIG, type SimConfig } from '../../tools/sim/config.js';
import {
  FREE_COSTS,
  SignatureOracle,
  SimSignatureCache,
  type ValidationCosts,
} from '../../tools/sim/costs.js';
import { SimMiner } from '../../tools/sim/miner.js';
import { Prng } from '../../tools/sim/prng.js';
import { Scheduler } from '../../tools/sim/scheduler.js';
import { simLinkPair } from '../../tools/sim/sim-link.js';
import { createSimNode, simEnv, type SimNode } from '../../tools/sim/sim-node.js';
import { runSimulation } from '../../tools/sim/simulation.js';
import { WALLETS, buildPreChain, copyStore, payment } from '../../tools/sim/wallets.js';

const loaded: SimConfig = {
  ...DEFAULT_CONFIG,
  nodes: 10,
  minutes: 2,
  miners: 3,
  spacingSeconds: 5,
  seed: 11,
  txPerSecond: 3,
  walletCoins: 400,
};

describe('simulator with a transaction load, validation time and churn', () => {
  it('gives the same report for the same seed; the payments land in blocks', async () => {
    const config: SimConfig = { ...loaded, churnPerHour: 20 };
    const first = await runSimulation(config);
    const again = await runSimulation(config);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    const { load, validation } = first;
    expect(load.made).toBeGreaterThan(200); // ~3 a second for 2 minutes
    expect(load.accepted).toBe(load.made);
    // All but the last block's worth are mined, by the real template, into the best chain.
    expect(load.confirmed).toBeGreaterThan(0.8 * load.accepted);
    expect(load.confirmed).toBeLessThanOrEqual(load.accepted);
    expect(load.txsPerBlock.mean).toBeGreaterThan(5);
    expect(load.blockBytes.mean).toBeGreaterThan(1000);
    // Every node verified each payment's signatures once, on mempool entry: what it was
    // charged for is what its signature cache really verified (give or take a payment that
    // reached a node before its parent's block and was charged as it waited as an orphan).
    expect(Math.abs(validation.chargedSigs - validation.verifiedSigs)).toBeLessThan(
      0.01 * validation.verifiedSigs,
    );
    expect(validation.verifiedSigs).toBeGreaterThan(load.accepted * config.nodes);
    expect(validation.busyMsPerNode).toBeGreaterThan(0);
    expect(first.propagation.incomplete).toBe(0);
    expect(first.incidents).toEqual({ refused: {}, disconnects: {} });
  }, 300_000);

  it('has newcomers under churn sync from their peers and catch up', async () => {
    const result = await runSimulation({ ...loaded, seed: 12, churnPerHour: 60 });
    const { churn } = result;
    expect(churn.leaves).toBeGreaterThan(3); // 10 nodes x 60/h x 2 min: ~20 expected
    expect(churn.newcomers).toBe(churn.leaves);
    expect(churn.caughtUp).toBe(churn.newcomers);
    // Catching up takes a sync: at least a round trip for headers and one for blocks.
    expect(churn.catchUp!.median).toBeGreaterThan(2 * loaded.latencyMs * 0.5);
    expect(result.convergence.nodesOnBestTip).toBe(loaded.nodes);
    expect(result.propagation.incomplete).toBe(0);
  }, 300_000);

  it('charges validation: a node busy validating relays blocks later', async () => {
    const base = { ...loaded, txPerSecond: 4, seed: 13 };
    const slow: ValidationCosts = { ...FREE_COSTS, blockMs: 100, sigMs: 5 };
    const free = await runSimulation({ ...base, costs: FREE_COSTS });
    const charged = await runSimulation({ ...base, costs: slow });
    expect(free.validation.busyMsPerNode).toBe(0);
    // Every ms a node was busy is a block or a signature it was charged for.
    const { blocks, chargedSigs, busyMsPerNode } = charged.validation;
    expect(busyMsPerNode * base.nodes).toBeCloseTo(blocks * 100 + chargedSigs * 5, 0);
    // A block crosses 1–3 hops after its miner's own 100 ms: the last node has it well later.
    expect(charged.propagation.p100.mean).toBeGreaterThan(free.propagation.p100.mean + 200);
  }, 300_000);
});

/** Nodes 0–3 in a line (links of 10, 20, 40 ms), funded; node 0 holds `txs` in its mempool. */
async function lineWithPayments(costs: ValidationCosts, payments: number) {
  const scheduler = new Scheduler((REGTEST.genesis.header.time + 3600) * 1000);
  const random = new Prng(5);
  const env = simEnv(scheduler, random);
  const pre = await buildPreChain(REGTEST, 2 * payments, REGTEST.genesis.header.time + 60, random);
  const oracle = new SignatureOracle();
  const nodes: SimNode[] = [];
  for (let i = 0; i < 4; i++) {
    const validation = { scheduler, costs, oracle };
    nodes.push(await createSimNode(i, REGTEST, env, { store: copyStore(pre.store), validation }));
  }
  const submitted: Promise<unknown>[] = [];
  for (let i = 0; i < payments; i++) {
    const inputs = [pre.coins[2 * i]!, pre.coins[2 * i + 1]!];
    const tx = payment(inputs, [i % WALLETS], 1n, pre.wallets, random, REGTEST.genesisHash);
    submitted.push(nodes[0]!.p2p.submitTx(tx, 'local')); // resolves once its check is charged
  }
  await scheduler.run(scheduler.now + 1000);
  expect(await Promise.all(submitted)).toEqual(submitted.map(() => undefined));
  [10, 20, 40].forEach((latencyMs, i) => {
    const profile = { latencyMs, bytesPerMs: 1e9 };
    const [ab, ba] = simLinkPair(scheduler, nodes[i]!, nodes[i + 1]!, profile, () => undefined);
    nodes[i]!.p2p.addLink(ab);
    nodes[i + 1]!.p2p.addLink(ba);
  });
  const reached: number[] = [];
  for (const node of nodes) node.p2p.on('chain-changed', () => reached.push(scheduler.now));
  await scheduler.run(scheduler.now + 1000);
  const miner = new SimMiner({
    node: nodes[0]!,
    hashrate: 1,
    expectedWork: 1,
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
  await scheduler.run(scheduler.now + 10_000);
  for (const node of nodes) node.p2p.stop();
  return { delays: reached.map((t) => t - reached[0]!), nodes };
}

describe('simulated relay modes', () => {
  it('relays with compact blocks: rebuilt from mempools, fewer bytes, faster', async () => {
    const full = await runSimulation({ ...loaded, seed: 14 });
    const compact = await runSimulation({ ...loaded, seed: 14, relay: 'compact' });
    expect(full.compact).toEqual({
      immediate: 0,
      roundTrip: 0,
      redundant: 0,
      fellBack: 0,
      roundTripRate: 0,
    });
    expect(full.traffic.byType.cmpctblock).toBeUndefined();
    // Nearly every node rebuilt nearly every block from its mempool.
    const { immediate, roundTrip, fellBack } = compact.compact;
    const deliveries = compact.blocks.bestChain * (loaded.nodes - 1);
    expect(immediate + roundTrip).toBeGreaterThan(0.8 * deliveries);
    expect(roundTrip).toBeLessThan(immediate);
    expect(fellBack).toBeLessThan(0.05 * deliveries);
    // Blocks cost fewer bytes than whole ones, and arrive sooner (one trip a hop, not three).
    const blockBytes = (r: typeof full) =>
      (r.traffic.byType.block ?? 0) + (r.traffic.byType.cmpctblock ?? 0);
    expect(blockBytes(compact)).toBeLessThan(0.5 * blockBytes(full));
    expect(compact.propagation.p100.median).toBeLessThan(0.6 * full.propagation.p100.median);
    // The other miners, who make blocks go stale while they mine on the parent, hear sooner.
    expect(compact.propagation.toMiners!.mean).toBeLessThan(0.6 * full.propagation.toMiners!.mean);
    expect(compact.propagation.incomplete).toBe(0);
    expect(compact.incidents.disconnects).toEqual({});
  }, 300_000);
});

describe('signature caches of simulated nodes', () => {
  it('verify as core does, remember successes only, and count the checks of each node', async () => {
    const random = new Prng(9);
    const pre = await buildPreChain(REGTEST, 4, REGTEST.genesis.header.time + 60, random);
    const [a, b] = pre.coins;
    const tx = payment([a!, b!], [0], 1n, pre.wallets, random, REGTEST.genesisHash);
    const message = sighash(tx, REGTEST.genesisHash);
    const checks = tx.inputs.map((input, i) => ({
      signature: input.witness,
      key: pre.wallets[[a!, b!][i]!.owner]!.pubkey,
    }));
    const forged = { signature: checks[0]!.signature.slice(), key: checks[0]!.key };
    forged.signature[5]! ^= 1;
    for (const c of [...checks, forged]) {
      expect(verifySignature(c.signature, message, c.key)).toBe(c !== forged);
    }
    const oracle = new SignatureOracle();
    const one = new SimSignatureCache(oracle);
    const two = new SimSignatureCache(oracle);
    for (const cache of [one, one, two]) {
      for (const c of checks) expect(cache.verify(c.signature, message, c.key)).toBe(true);
    }
    expect([one.verified, two.verified, oracle.realVerifies]).toEqual([2, 2, 2]);
    expect(one.knows(checks[0]!.signature)).toBe(true);
    for (let i = 0; i < 2; i++)
      expect(one.verify(forged.signature, message, forged.key)).toBe(false);
    expect([one.verified, one.size, one.knows(forged.signature), oracle.realVerifies]).toEqual([
      4,
      2,
      false,
      3,
    ]);
  });
});

describe('a loaded block crossing simulated links', () => {
  it('costs each hop three trips plus its validation: block, transactions, new signatures', async () => {
    const costs: ValidationCosts = {
      blockMs: 3,
      blockTxMs: 0.5,
      mempoolTxMs: 0.25,
      sigMs: 2,
      shortIdMs: 0,
    };
    const k = 10; // payments, 2 signatures each, known to node 0 only
    const { delays, nodes } = await lineWithPayments(costs, k);
    const hop = costs.blockMs + k * costs.blockTxMs + 2 * k * costs.sigMs;
    expect(delays).toHaveLength(4);
    expect(delays[1]).toBeCloseTo(3 * 10 + hop, 3);
    expect(delays[2]).toBeCloseTo(3 * (10 + 20) + 2 * hop, 3);
    expect(delays[3]).toBeCloseTo(3 * (10 + 20 + 40) + 3 * hop, 3);
    // Node 0 had verified the signatures on mempool entry and was not charged for them again.
    expect(nodes[0]!.charged).toEqual({ blocks: 1, txs: k, chargedSigs: 2 * k });
    expect(nodes[3]!.charged).toEqual({ blocks: 1, txs: 0, chargedSigs: 2 * k });
    // Doubling the cost of a signature adds exactly that much per hop.
    const slower = await lineWithPayments({ ...costs, sigMs: 2 * costs.sigMs }, k);
    expect(slower.delays[3]! - delays[3]!).toBeCloseTo(3 * 2 * k * costs.sigMs, 3);
  });
});
