/**
 * What a simulation run is given: network size, duration, seed, links, mining, the transaction
 * load, what validation costs in virtual time, churn, and how blocks are relayed.
 */
import { MEASURED_COSTS, type ValidationCosts } from './costs.js';

/**
 * How blocks travel between nodes: `full` = headers, getdata, block on every hop (the node's
 * `compactBlocks: false`); `compact` = compact block relay with high-bandwidth peers (BIP152).
 */
export const RELAY_MODES = ['full', 'compact'] as const;
export type RelayMode = (typeof RELAY_MODES)[number];

export interface SimConfig {
  /** Nodes in the network (not counting the late node that syncs at the end). */
  nodes: number;
  /** Simulated minutes of mining. */
  minutes: number;
  /** Seed of the one PRNG: same seed, same run. */
  seed: number;
  /** Mean one-way latency of a link, ms; each link gets uniform(0.5, 1.5) times this. */
  latencyMs: number;
  /** Bandwidth of each direction of each link, megabits per second. */
  bandwidthMbps: number;
  /** Target block spacing, seconds (sets the simulated difficulty). */
  spacingSeconds: number;
  /** How many nodes mine, each with the same hashrate. */
  miners: number;
  /** Hashrate of each miner, hashes per second (only the ratio to the difficulty matters). */
  minerHashrate: number;
  /** Virtual time between two nodes joining, ms. */
  joinIntervalMs: number;
  /** After mining stops, at most this long for the network to agree on one tip, seconds. */
  settleSeconds: number;
  /** At most this long for the late node to sync, seconds. */
  syncTimeoutSeconds: number;
  /** Transactions made per second (network-wide), each at a random node; 0 for none. */
  txPerSecond: number;
  /** Coins the sim wallets start with (split from pre-mined coinbases). */
  walletCoins: number;
  /** Virtual milliseconds validation takes (see costs.ts; measured by `npm run sim:calibrate`). */
  costs: ValidationCosts;
  /** Nodes leaving per node per hour (each replaced at once by a newcomer); 0 for none. */
  churnPerHour: number;
  /** How blocks are relayed. */
  relay: RelayMode;
}

/** The fields of a config that are plain numbers. */
export type NumericKey = {
  [K in keyof SimConfig]: SimConfig[K] extends number ? K : never;
}[keyof SimConfig];

export const DEFAULT_CONFIG: SimConfig = {
  nodes: 200,
  minutes: 60,
  seed: 1,
  latencyMs: 50,
  bandwidthMbps: 10,
  spacingSeconds: 10,
  miners: 20,
  minerHashrate: 1_000_000,
  joinIntervalMs: 20,
  settleSeconds: 120,
  syncTimeoutSeconds: 600,
  txPerSecond: 0,
  walletCoins: 1000,
  costs: MEASURED_COSTS,
  churnPerHour: 0,
  relay: 'full',
};

/** Default miners: a tenth of the nodes, at least one. */
export function defaultMiners(nodes: number): number {
  return Math.max(1, Math.round(nodes / 10));
}

/** Throws `RangeError` naming the first field out of range. */
export function checkConfig(config: SimConfig): SimConfig {
  const positive: NumericKey[] = [
    'minutes',
    'bandwidthMbps',
    'spacingSeconds',
    'minerHashrate',
    'settleSeconds',
    'syncTimeoutSeconds',
  ];
  for (const key of positive) {
    if (!(config[key] > 0) || !Number.isFinite(config[key])) {
      throw new RangeError(`${key} must be a positive number, got ${config[key]}`);
    }
  }
  if (!Number.isInteger(config.nodes) || config.nodes < 2) {
    throw new RangeError(`nodes must be an integer >= 2, got ${config.nodes}`);
  }
  if (!Number.isInteger(config.miners) || config.miners < 1 || config.miners > config.nodes) {
    throw new RangeError(`miners must be an integer in 1..nodes, got ${config.miners}`);
  }
  if (!Number.isInteger(config.seed) || config.seed < 0 || config.seed > 0xffffffff) {
    throw new RangeError(`seed must be a u32, got ${config.seed}`);
  }
  if (!(config.latencyMs >= 0) || !(config.joinIntervalMs >= 0)) {
    throw new RangeError('latencyMs and joinIntervalMs must be >= 0');
  }
  for (const key of ['txPerSecond', 'churnPerHour'] as const) {
    if (!(config[key] >= 0) || !Number.isFinite(config[key])) {
      throw new RangeError(`${key} must be a number >= 0, got ${config[key]}`);
    }
  }
  if (!Number.isInteger(config.walletCoins) || config.walletCoins < 10) {
    throw new RangeError(`walletCoins must be an integer >= 10, got ${config.walletCoins}`);
  }
  for (const [key, ms] of Object.entries(config.costs)) {
    if (!(ms >= 0) || !Number.isFinite(ms)) {
      throw new RangeError(`costs.${key} must be a number >= 0, got ${ms}`);
    }
  }
  if (!(RELAY_MODES as readonly string[]).includes(config.relay)) {
    throw new RangeError(`relay must be one of ${RELAY_MODES.join(', ')}, got ${config.relay}`);
  }
  return config;
}
