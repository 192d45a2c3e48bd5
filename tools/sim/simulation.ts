/**
 * One simulation run: N real nodes join one after another over simulated links (the tracker's
 * peer-subset rule), a tenth of them (by default) mine for the given minutes, the network is
 * given time to agree on one tip, and a late node joins and syncs the whole chain. Everything
 * runs on the virtual clock and draws from one seeded PRNG, so a config gives one result.
 */
import { REGTEST, type BlockEntry, type ChainParams } from '../../core/index.js';
import { randomSubset } from '../../tracker/signaling.js';
import { checkConfig, type SimConfig } from './config.js';
import { propagation, propagationCurve, type PropagationFigures } from './figures.js';
import { SimMiner } from './miner.js';
import { Prng } from './prng.js';
import { Recorder } from './recorder.js';
import { Scheduler } from './scheduler.js';
import { simLinkPair } from './sim-link.js';
import { createSimNode, simEnv, type SimNode } from './sim-node.js';
import { joinNetwork } from './topology.js';

export interface SimResult {
  config: SimConfig;
  network: {
    links: number;
    degree: { min: number; mean: number; max: number };
  };
  blocks: {
    found: number;
    /** Found blocks on the final best chain. */
    bestChain: number;
    stale: number;
    /** stale / found. */
    staleRate: number;
    /** Heights at which more than one block was found. */
    competingHeights: number;
    height: number;
  };
  propagation: PropagationFigures;
  reorgs: {
    total: number;
    perNodeHour: number;
    /** Depth (blocks disconnected) -> count over all nodes. */
    depths: Record<string, number>;
  };
  traffic: {
    /** Bytes each node sent (= received, on average) per block of the best chain. */
    bytesPerNodePerBlock: number;
    /** The busiest node's bytes sent per block. */
    maxNodeBytesPerBlock: number;
    /** Bytes per node per block, by message type. */
    byType: Record<string, number>;
  };
  newNodeSync: {
    complete: boolean;
    ms: number;
    blocks: number;
    peers: number;
    bytesIn: number;
    /** Bytes received by message type. */
    bytesInByType: Record<string, number>;
  };
  convergence: { nodesOnBestTip: number; settleMs: number };
  /** Refusals and disconnects the nodes reported (an honest network should have none). */
  incidents: { refused: Record<string, number>; disconnects: Record<string, number> };
  /** [ms since found, share of nodes with the block], averaged over best-chain blocks. */
  curve: [number, number][];
  /** Scheduler events run. */
  events: number;
}

export interface SimProgress {
  phase: 'join' | 'mine' | 'settle' | 'sync';
  /** Virtual ms since the run began. */
  elapsedMs: number;
  found: number;
}

const params: ChainParams = REGTEST;

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Run the simulation described by `config`.
 *
 * @example
 * const result = await runSimulation({ ...DEFAULT_CONFIG, nodes: 50, minutes: 10 });
 * result.propagation.p95.median; // ms for a block to reach 95% of the nodes
 */
export async function runSimulation(
  config: SimConfig,
  onProgress: (progress: SimProgress) => void = () => undefined,
): Promise<SimResult> {
  checkConfig(config);
  const random = new Prng(config.seed);
  const startMs = (params.genesis.header.time + 3600) * 1000;
  const scheduler = new Scheduler(startMs);
  const env = simEnv(scheduler, random);
  const recorder = new Recorder(config.nodes, () => scheduler.now);
  const incidents: SimResult['incidents'] = { refused: {}, disconnects: {} };
  const failures: string[] = [];
  const progress = (phase: SimProgress['phase']) =>
    onProgress({ phase, elapsedMs: scheduler.now - startMs, found: recorder.found.size });

  let links = 0;
  const connect = (a: SimNode, b: SimNode): void => {
    const profile = {
      latencyMs: config.latencyMs * (0.5 + random.next()),
      bytesPerMs: (config.bandwidthMbps * 1_000_000) / 8 / 1000,
    };
    const [ab, ba] = simLinkPair(scheduler, a, b, profile, recorder.countTraffic);
    a.p2p.addLink(ab);
    b.p2p.addLink(ba);
    links++;
  };
  const addNode = async (index: number, members: SimNode[]): Promise<SimNode> => {
    const node = await createSimNode(index, params, env);
    recorder.watch(node);
    node.p2p.on('failure', ({ message }) => failures.push(`${node.id}: ${message}`));
    if (index < config.nodes) {
      node.p2p.on('refused', (r) => bump(incidents.refused, `${r.kind} ${r.reason}`));
      node.p2p.on('peer-disconnected', ({ reason }) => {
        if (!reason.startsWith('closed by peer') && reason !== 'node stopped')
          bump(incidents.disconnects, reason);
      });
    }
    joinNetwork(node, members, random, connect);
    return node;
  };

  // Join: one node after another, each introduced to peers already there.
  const nodes: SimNode[] = [];
  for (let i = 0; i < config.nodes; i++) {
    await scheduler.run(scheduler.now + config.joinIntervalMs);
    nodes.push(await addNode(i, nodes));
    if (i % 50 === 49) progress('join');
  }
  const degrees = nodes.map((n) => n.p2p.peers.size);
  await scheduler.run(scheduler.now + 1000);

  // Mine.
  const miners = randomSubset(nodes, config.miners, () => random.next())
    .sort((a, b) => a.index - b.index)
    .map(
      (node) =>
        new SimMiner({
          node,
          hashrate: config.minerHashrate,
          expectedWork: config.miners * config.minerHashrate * config.spacingSeconds,
          scheduler,
          random,
          onFound: (found) => recorder.onFound(found),
          onError: (err) => failures.push(`${node.id} miner: ${err.message}`),
        }),
    );
  for (const miner of miners) miner.start();
  const mineEnd = scheduler.now + config.minutes * 60_000;
  while (scheduler.now < mineEnd) {
    await scheduler.run(Math.min(scheduler.now + 60_000, mineEnd));
    progress('mine');
  }
  for (const miner of miners) miner.stop();

  // Settle: no more mining; wait until every node has the same tip.
  const settleEnd = scheduler.now + config.settleSeconds * 1000;
  const agreed = () => nodes.every((n) => n.state.chain.tip.id === nodes[0]!.state.chain.tip.id);
  while (scheduler.now < settleEnd && !agreed()) {
    await scheduler.run(Math.min(scheduler.now + 100, settleEnd));
  }
  const settleMs = scheduler.now - mineEnd;
  progress('settle');

  const bestTip = mostCommonTip(nodes);
  const bestChain = new Set<string>();
  for (let e: BlockEntry | undefined = bestTip.entry; e && e.height > 0; e = e.parent)
    bestChain.add(e.id);
  const inBest = [...recorder.found.values()].filter((f) => bestChain.has(f.id)).length;
  const perBlock = (bytes: number) => Math.round(bytes / config.nodes / Math.max(1, inBest));
  const measuredOut = recorder.bytesOut.slice(0, config.nodes);
  const traffic: SimResult['traffic'] = {
    bytesPerNodePerBlock: perBlock(measuredOut.reduce((s, b) => s + b, 0)),
    maxNodeBytesPerBlock: Math.round(Math.max(...measuredOut) / Math.max(1, inBest)),
    byType: Object.fromEntries(
      Object.entries(sortedRecord(recorder.bytesByType)).map(([t, b]) => [t, perBlock(b)]),
    ),
  };

  // A late node joins and syncs the whole chain.
  const late = await addNode(config.nodes, nodes);
  const joinedAt = scheduler.now;
  const synced = () => late.state.chain.tip.id === bestTip.entry.id;
  await scheduler.run(joinedAt + config.syncTimeoutSeconds * 1000, synced);
  progress('sync');
  const newNodeSync = {
    complete: synced(),
    ms: Math.round(scheduler.now - joinedAt),
    blocks: late.state.chain.height,
    peers: late.p2p.peers.size,
    bytesIn: recorder.bytesIn[config.nodes] ?? 0,
    bytesInByType: sortedRecord(recorder.lateBytesInByType),
  };

  for (const node of [...nodes, late]) node.p2p.stop();
  if (failures.length > 0) throw new Error(`the simulation failed:\n${failures.join('\n')}`);

  const found = recorder.found.size;
  const heights = new Map<number, number>();
  for (const f of recorder.found.values()) heights.set(f.height, (heights.get(f.height) ?? 0) + 1);
  const reorgTotal = [...recorder.reorgDepths.values()].reduce((s, n) => s + n, 0);
  return {
    config,
    network: {
      links,
      degree: {
        min: Math.min(...degrees),
        mean: Math.round((degrees.reduce((s, d) => s + d, 0) / degrees.length) * 100) / 100,
        max: Math.max(...degrees),
      },
    },
    blocks: {
      found,
      bestChain: inBest,
      stale: found - inBest,
      staleRate: Math.round(((found - inBest) / Math.max(1, found)) * 10_000) / 10_000,
      competingHeights: [...heights.values()].filter((n) => n > 1).length,
      height: bestTip.entry.height,
    },
    propagation: propagation(recorder, bestChain, config.nodes),
    reorgs: {
      total: reorgTotal,
      perNodeHour: Math.round((reorgTotal / config.nodes / (config.minutes / 60)) * 1000) / 1000,
      depths: Object.fromEntries(
        [...recorder.reorgDepths].sort(([a], [b]) => a - b).map(([d, n]) => [String(d), n]),
      ),
    },
    traffic,
    newNodeSync,
    convergence: { nodesOnBestTip: bestTip.count, settleMs: Math.round(settleMs) },
    incidents,
    curve: propagationCurve(recorder, bestChain, config.nodes),
    events: scheduler.eventsRun,
  };
}

/** A map as a plain object with sorted keys (stable JSON). */
function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
}

/** The tip most nodes are on (ties: more work, then the lower id). */
function mostCommonTip(nodes: readonly SimNode[]): { entry: BlockEntry; count: number } {
  const tally = new Map<string, { entry: BlockEntry; count: number }>();
  for (const node of nodes) {
    const tip = node.state.chain.tip;
    const seen = tally.get(tip.id);
    if (seen) seen.count++;
    else tally.set(tip.id, { entry: tip, count: 1 });
  }
  return [...tally.values()].sort(
    (a, b) =>
      b.count - a.count ||
      (b.entry.chainWork > a.entry.chainWork
        ? 1
        : b.entry.chainWork < a.entry.chainWork
          ? -1
          : 0) ||
      a.entry.id.localeCompare(b.entry.id),
  )[0]!;
}
