/** What a simulation run is given: network size, duration, seed, links and mining. */

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
}

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
};

/** Default miners: a tenth of the nodes, at least one. */
export function defaultMiners(nodes: number): number {
  return Math.max(1, Math.round(nodes / 10));
}

/** Throws `RangeError` naming the first field out of range. */
export function checkConfig(config: SimConfig): SimConfig {
  const positive: (keyof SimConfig)[] = [
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
  return config;
}
