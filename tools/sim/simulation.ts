/**
 * One simulation run: N real nodes join one after another over simulated links (the tracker's
 * peer-subset rule), each starting from the same funded history; a tenth of them (by default)
 * mine for the given minutes while the wallets pay each other at the configured rate and, with
 * churn, nodes leave and newcomers join and sync; then the network is given time to agree on
 * one tip, and a late node joins and syncs the whole chain. Validation is charged in virtual
 * time (costs.ts). Everything runs on the virtual clock and draws from one seeded PRNG, so a
 * config gives one result.
 */
import { REGTEST, encodeBlock, isCoinbase, type BlockEntry } from '../../core/index.js';
import { randomSubset } from '../../tracker/signaling.js';
import { Churn } from './churn.js';
import { checkConfig, type SimConfig } from './config.js';
import { propagation, propagationCurve, spread } from './figures.js';
import { SimMiner } from './miner.js';
import { SimNetwork } from './network.js';
import { Prng } from './prng.js';
import { Recorder } from './recorder.js';
import type { SimProgress, SimResult } from './result.js';
import { Scheduler } from './scheduler.js';
import { simEnv, type SimNode } from './sim-node.js';
import { TxLoad, buildPreChain } from './wallets.js';

export type { SimProgress, SimResult } from './result.js';

const params = REGTEST;
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

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
  const recorder = new Recorder(() => scheduler.now);
  const preChain = await buildPreChain(
    params,
    config.walletCoins,
    params.genesis.header.time + 60,
    random,
  );
  const network = new SimNetwork({ config, params, scheduler, random, env, recorder, preChain });
  const failures = network.failures;
  const progress = (phase: SimProgress['phase']) =>
    onProgress({ phase, elapsedMs: scheduler.now - startMs, found: recorder.found.size });

  // Join: one node after another, each introduced to peers already there.
  for (let i = 0; i < config.nodes; i++) {
    await scheduler.run(scheduler.now + config.joinIntervalMs);
    await network.add({ late: false, caughtUp: true });
    if (i % 50 === 49) progress('join');
  }
  const nodes = [...network.online];
  const degrees = nodes.map((n) => n.p2p.peers.size);
  await scheduler.run(scheduler.now + 1000);

  // Mine, with the transaction load and churn.
  const minerNodes = randomSubset(nodes, config.miners, () => random.next()).sort(
    (a, b) => a.index - b.index,
  );
  const miners = minerNodes.map(
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
  const load =
    config.txPerSecond > 0
      ? new TxLoad({
          preChain,
          perSecond: config.txPerSecond,
          scheduler,
          random,
          genesisHash: params.genesisHash,
          pickNode: () => network.online[random.int(network.online.length)]!,
          onError: (err) => failures.push(`tx load: ${err.message}`),
        })
      : undefined;
  const churn =
    config.churnPerHour > 0
      ? new Churn({
          network,
          recorder,
          scheduler,
          random,
          perHour: config.churnPerHour,
          nodes: config.nodes,
          stay: new Set(minerNodes),
          onError: (err) => failures.push(`churn: ${err.message}`),
        })
      : undefined;
  for (const miner of miners) miner.start();
  load?.start();
  churn?.start();
  const mineEnd = scheduler.now + config.minutes * 60_000;
  while (scheduler.now < mineEnd) {
    await scheduler.run(Math.min(scheduler.now + 60_000, mineEnd));
    progress('mine');
  }
  for (const miner of miners) miner.stop();
  load?.stop();
  churn?.stop();

  // Settle: no more mining; wait until every node has the same tip.
  const settleEnd = scheduler.now + config.settleSeconds * 1000;
  const online = network.online;
  const agreed = () => online.every((n) => n.state.chain.tip.id === online[0]!.state.chain.tip.id);
  while (scheduler.now < settleEnd && !agreed()) {
    await scheduler.run(Math.min(scheduler.now + 100, settleEnd));
  }
  const settleMs = scheduler.now - mineEnd;
  progress('settle');

  const bestTip = mostCommonTip(online);
  const bestChain = new Set<string>();
  const bestBlocks: BlockEntry[] = [];
  for (let e: BlockEntry | undefined = bestTip.entry; e && e.height > 0; e = e.parent) {
    bestChain.add(e.id);
    if (recorder.found.has(e.id)) bestBlocks.push(e);
  }
  const inBest = bestBlocks.length;
  const measured = network.all.length;
  const perBlock = (bytes: number) => Math.round(bytes / config.nodes / Math.max(1, inBest));
  const measuredOut = recorder.bytesOut.slice(0, measured).map((b) => b ?? 0);
  const traffic: SimResult['traffic'] = {
    bytesPerNodePerBlock: perBlock(measuredOut.reduce((s, b) => s + b, 0)),
    maxNodeBytesPerBlock: Math.round(Math.max(...measuredOut) / Math.max(1, inBest)),
    byType: Object.fromEntries(
      Object.entries(sortedRecord(recorder.bytesByType)).map(([t, b]) => [t, perBlock(b)]),
    ),
  };
  const bodies = await Promise.all(bestBlocks.map((e) => online[0]!.state.chain.getBlock(e.id)));
  const txCounts = bodies.map((b) => (b ? b.txs.filter((tx) => !isCoinbase(tx)).length : 0));
  const sizes = bodies.map((b) => (b ? encodeBlock(b).length : 0));
  const mean = (xs: number[]) => round(xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length), 1);

  // A late node joins and syncs the whole chain.
  const late = await network.add({ late: true });
  const joinedAt = scheduler.now;
  const synced = () => late.state.chain.tip.id === bestTip.entry.id;
  await scheduler.run(joinedAt + config.syncTimeoutSeconds * 1000, synced);
  progress('sync');
  const newNodeSync = {
    complete: synced(),
    ms: Math.round(scheduler.now - joinedAt),
    blocks: late.state.chain.height - preChain.height,
    peers: late.p2p.peers.size,
    bytesIn: recorder.bytesIn[late.index] ?? 0,
    bytesInByType: sortedRecord(recorder.lateBytesInByType),
  };

  network.stop();
  if (failures.length > 0) throw new Error(`the simulation failed:\n${failures.join('\n')}`);

  const found = recorder.found.size;
  const heights = new Map<number, number>();
  for (const f of recorder.found.values()) heights.set(f.height, (heights.get(f.height) ?? 0) + 1);
  const reorgTotal = [...recorder.reorgDepths.values()].reduce((s, n) => s + n, 0);
  const watched = network.all.filter((n) => n !== late);
  const sum = (f: (n: SimNode) => number) => watched.reduce((s, n) => s + f(n), 0);
  const caughtUp = (churn?.newcomers ?? []).flatMap((n) =>
    n.catchUpMs === undefined ? [] : [n.catchUpMs],
  );
  return {
    config,
    network: {
      links: network.links,
      degree: {
        min: Math.min(...degrees),
        mean: round(degrees.reduce((s, d) => s + d, 0) / degrees.length),
        max: Math.max(...degrees),
      },
    },
    blocks: {
      found,
      bestChain: inBest,
      stale: found - inBest,
      staleRate: round((found - inBest) / Math.max(1, found), 4),
      competingHeights: [...heights.values()].filter((n) => n > 1).length,
      height: bestTip.entry.height,
    },
    load: {
      made: load?.made ?? 0,
      accepted: load?.accepted ?? 0,
      starved: load?.starved ?? 0,
      refused: load?.refused ?? {},
      confirmed: txCounts.reduce((s, n) => s + n, 0),
      txsPerBlock: { mean: mean(txCounts), max: Math.max(0, ...txCounts) },
      blockBytes: { mean: mean(sizes), max: Math.max(0, ...sizes) },
    },
    validation: {
      costs: config.costs,
      blocks: sum((n) => n.charged?.blocks ?? 0),
      txs: sum((n) => n.charged?.txs ?? 0),
      chargedSigs: sum((n) => n.charged?.chargedSigs ?? 0),
      verifiedSigs: sum((n) => n.cache?.verified ?? 0),
      busyMsPerNode: round(sum((n) => n.cpu?.busyMs ?? 0) / Math.max(1, watched.length), 1),
    },
    compact: compactTotals(watched),
    churn: {
      leaves: churn?.leaves ?? 0,
      newcomers: churn?.newcomers.length ?? 0,
      caughtUp: caughtUp.length,
      catchUp: caughtUp.length > 0 ? spread(caughtUp) : undefined,
    },
    propagation: propagation(
      recorder,
      bestChain,
      minerNodes.map((n) => n.index),
    ),
    reorgs: {
      total: reorgTotal,
      perNodeHour: round(reorgTotal / config.nodes / (config.minutes / 60), 3),
      depths: Object.fromEntries(
        [...recorder.reorgDepths].sort(([a], [b]) => a - b).map(([d, n]) => [String(d), n]),
      ),
    },
    traffic,
    newNodeSync,
    convergence: { nodesOnBestTip: bestTip.count, settleMs: Math.round(settleMs) },
    incidents: network.incidents,
    curve: propagationCurve(recorder, bestChain),
    events: scheduler.eventsRun,
  };
}

function compactTotals(nodes: readonly SimNode[]): SimResult['compact'] {
  const total = { immediate: 0, roundTrip: 0, redundant: 0, fellBack: 0 };
  for (const node of nodes) {
    for (const key of Object.keys(total) as (keyof typeof total)[]) {
      total[key] += node.compact?.[key] ?? 0;
    }
  }
  const rebuilt = total.immediate + total.roundTrip;
  return { ...total, roundTripRate: round(total.roundTrip / Math.max(1, rebuilt), 4) };
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
