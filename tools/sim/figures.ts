/**
 * The figures of a run, computed from what the recorder saw: block propagation (time from a
 * find until 50%, 95% and 100% of the nodes have the block on their active chain), stale
 * blocks, reorg depths, bytes per node per block, and the propagation curve for the chart.
 */
import type { Recorder } from './recorder.js';

/** Distribution of one per-block figure over the blocks, milliseconds. */
export interface Spread {
  median: number;
  mean: number;
  p90: number;
  p95: number;
  max: number;
}

export interface PropagationFigures {
  /** Blocks of the best chain measured. */
  blocks: number;
  /** Blocks that some node never had (they count as not reaching 100%). */
  incomplete: number;
  p50: Spread;
  p95: Spread;
  p100: Spread;
  /**
   * Per block, the mean time until the *other* miners had it on their active chain: the delay
   * in which they still mine on its parent, which is what makes blocks go stale (a block is
   * lost when another miner finds one in that window). Undefined when there is one miner.
   */
  toMiners?: Spread;
}

/** Nearest-rank quantile of ascending `sorted` (q in (0, 1]). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length);
  return {
    median: round1(quantile(sorted, 0.5)),
    mean: round1(mean),
    p90: round1(quantile(sorted, 0.9)),
    p95: round1(quantile(sorted, 0.95)),
    max: round1(sorted[sorted.length - 1] ?? NaN),
  };
}

/** Blocks of `bestChain` that were found in the run, with their find times. */
function measuredBlocks(recorder: Recorder, bestChain: ReadonlySet<string>): string[] {
  return [...recorder.found.values()].filter((f) => bestChain.has(f.id)).map((f) => f.id);
}

/** Time for a block to reach `q` of the nodes it should reach, or undefined if it never did. */
function reachTime(recorder: Recorder, id: string, q: number): number | undefined {
  const { nodes, delays } = recorder.delays(id);
  return delays[Math.max(1, Math.ceil(q * nodes)) - 1];
}

export function propagation(
  recorder: Recorder,
  bestChain: ReadonlySet<string>,
  miners: readonly number[] = [],
): PropagationFigures {
  const ids = measuredBlocks(recorder, bestChain);
  const figure = (q: number) =>
    spread(ids.map((id) => reachTime(recorder, id, q)).filter((t) => t !== undefined));
  const toMiners = ids
    .map((id) => meanDelayToMiners(recorder, id, miners))
    .filter((t) => t !== undefined);
  return {
    blocks: ids.length,
    incomplete: ids.filter((id) => reachTime(recorder, id, 1) === undefined).length,
    p50: figure(0.5),
    p95: figure(0.95),
    p100: figure(1),
    ...(toMiners.length > 0 ? { toMiners: spread(toMiners) } : {}),
  };
}

/**
 * Mean delay from block `id`'s find until each miner but its finder had it on its active chain
 * (undefined if no other miner ever had it: it then went stale or was never measured).
 */
function meanDelayToMiners(
  recorder: Recorder,
  id: string,
  miners: readonly number[],
): number | undefined {
  const found = recorder.found.get(id)!;
  const by = recorder.reached.get(id);
  const delays = miners
    .filter((m) => m !== found.miner)
    .map((m) => by?.get(m))
    .filter((at) => at !== undefined)
    .map((at) => at - found.time);
  if (delays.length === 0) return undefined;
  return delays.reduce((s, d) => s + d, 0) / delays.length;
}

/**
 * The propagation curve: at `points` times from 0, the share of nodes that have a block
 * (averaged over the best chain's blocks). Pairs of [ms, share].
 */
export function propagationCurve(
  recorder: Recorder,
  bestChain: ReadonlySet<string>,
  points = 120,
): [number, number][] {
  const ids = measuredBlocks(recorder, bestChain);
  const blocks = ids.map((id) => recorder.delays(id));
  const delays = blocks.map((b) => b.delays);
  // Up to 1.5x the 100% time of the 90th-percentile block: the few blocks that lost a race
  // at some nodes and reached them only with the next block would stretch the axis tenfold.
  const full = delays.map((d) => d[d.length - 1] ?? 0).sort((a, b) => a - b);
  const end = Math.max(1, 1.5 * quantile(full, 0.9));
  const curve: [number, number][] = [];
  for (let i = 0; i <= points; i++) {
    const x = (end * i) / points;
    let share = 0;
    for (const b of blocks) share += countAtMost(b.delays, x) / Math.max(1, b.nodes);
    curve.push([round1(x), Math.round((share / Math.max(1, delays.length)) * 10_000) / 10_000]);
  }
  return curve;
}

/** How many of ascending `sorted` are <= x. */
function countAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
