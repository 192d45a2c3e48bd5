/**
 * Future-time-limit griefing, simulated: a miner with a share of the hashrate stamps each of its
 * blocks as far in the future as nodes accept (`now + ftl`); everyone else stamps the real time
 * (at least median time past + 1, as templates do). Difficulty follows `nextBitsLwma` with
 * main's parameters, block finds are exponential (seeded), and the figure is the mean real
 * time between blocks relative to the same run without the attacker. docs/consensus.md quotes
 * it; tests/unit/consensus/future-time.test.ts reruns it.
 *
 * `npx tsx tools/ftl-griefing.ts` prints the table for 120 s (the old limit) and main's limit.
 */
import { pathToFileURL } from 'node:url';
import { MEDIAN_TIME_SPAN } from '../core/primitives/constants.js';
import { nextBitsLwma, workFromBits, type TimedBits } from '../core/consensus/difficulty.js';
import { MAIN } from '../core/consensus/params.js';
import { Prng } from './sim/prng.js';

export interface GriefingRun {
  /** Future-time limit the nodes enforce, seconds. */
  ftl: number;
  /** The attacker's share of the hashrate, 0–1. */
  attackerShare: number;
  blocks: number;
  seed: number;
}

export interface GriefingResult {
  /** Mean real seconds between blocks after the warm-up. */
  meanInterval: number;
  /** The same with no attacker (same seed): the honest baseline. */
  baseline: number;
  /** meanInterval / baseline. */
  stretch: number;
}

const WARM_UP = 1_000;

/** Mean real block interval of one simulated chain (main's spacing, window and powLimit). */
function meanInterval(ftl: number, attackerShare: number, blocks: number, seed: number): number {
  const random = new Prng(seed);
  const retarget = {
    targetSpacing: MAIN.targetSpacing,
    window: MAIN.retargetWindow,
    powLimit: MAIN.powLimit,
  };
  // Hashrate set so that the genesis difficulty is exactly one spacing per block.
  const hashrate = Number(workFromBits(MAIN.genesis.header.bits)) / MAIN.targetSpacing;
  const chain: TimedBits[] = [{ time: 0, bits: MAIN.genesis.header.bits }];
  let now = 0;
  let measuredFrom = 0;
  for (let height = 1; height <= blocks; height++) {
    const bits = nextBitsLwma(chain.slice(-(MAIN.retargetWindow + 1)), retarget);
    const work = Number(workFromBits(bits));
    now += random.exponential(hashrate / work);
    const recent = chain.slice(-MEDIAN_TIME_SPAN).map((b) => b.time);
    recent.sort((a, b) => a - b);
    const mtp = recent[Math.floor(recent.length / 2)]!;
    const attacker = random.next() < attackerShare;
    const stamp = Math.max(Math.floor(now) + (attacker ? ftl : 0), mtp + 1);
    chain.push({ time: stamp, bits });
    if (height === WARM_UP) measuredFrom = now;
  }
  return (now - measuredFrom) / (blocks - WARM_UP);
}

/** Block-time stretch caused by a future-stamping miner (deterministic for a seed). */
export function simulateFtlGriefing(run: GriefingRun): GriefingResult {
  if (run.blocks <= WARM_UP) throw new RangeError(`blocks must exceed ${WARM_UP}`);
  const attacked = meanInterval(run.ftl, run.attackerShare, run.blocks, run.seed);
  const baseline = meanInterval(run.ftl, 0, run.blocks, run.seed);
  return { meanInterval: attacked, baseline, stretch: attacked / baseline };
}

/** The runs docs/consensus.md quotes: a 10% miner, the old 120 s limit and main's. */
export const DOCUMENTED_RUNS: readonly GriefingRun[] = [
  { ftl: 120, attackerShare: 0.1, blocks: 20_000, seed: 1 },
  { ftl: MAIN.maxFutureBlockTime, attackerShare: 0.1, blocks: 20_000, seed: 1 },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const run of DOCUMENTED_RUNS) {
    const result = simulateFtlGriefing(run);
    console.log(
      `ftl ${run.ftl} s, attacker ${run.attackerShare * 100}%: mean block time ` +
        `${result.meanInterval.toFixed(2)} s vs ${result.baseline.toFixed(2)} s honest ` +
        `(+${((result.stretch - 1) * 100).toFixed(1)}%)`,
    );
  }
}
