/** `npm run sim -- --nodes 200 --minutes 60 --seed 1 …`: the command line into a `SimConfig`. */
import { DEFAULT_CONFIG, checkConfig, defaultMiners, type SimConfig } from './config.js';

export interface CliOptions {
  config: SimConfig;
  /** Folder for the JSON result and the SVG chart. */
  out: string;
}

export const USAGE = `usage: npm run sim -- [options]
  --nodes N            nodes in the network (default ${DEFAULT_CONFIG.nodes})
  --minutes M          simulated minutes of mining (default ${DEFAULT_CONFIG.minutes})
  --seed S             PRNG seed, a u32 (default ${DEFAULT_CONFIG.seed})
  --latency-ms L       mean one-way link latency; each link gets 0.5-1.5x (default ${DEFAULT_CONFIG.latencyMs})
  --bandwidth-mbps B   bandwidth of each link direction (default ${DEFAULT_CONFIG.bandwidthMbps})
  --spacing S          target block spacing, seconds (default ${DEFAULT_CONFIG.spacingSeconds})
  --miners K           nodes that mine, equal hashrates (default: a tenth of the nodes)
  --out DIR            where to write result JSON and chart (default sim-results)`;

const FLAGS: Record<string, keyof SimConfig> = {
  '--nodes': 'nodes',
  '--minutes': 'minutes',
  '--seed': 'seed',
  '--latency-ms': 'latencyMs',
  '--bandwidth-mbps': 'bandwidthMbps',
  '--spacing': 'spacingSeconds',
  '--miners': 'miners',
};

/** Parse `argv` (without node and script). Throws `RangeError` with a message for the user. */
export function parseCli(argv: readonly string[]): CliOptions {
  const given: Partial<Record<keyof SimConfig, number>> = {};
  let out = 'sim-results';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes('=') ? flag.split('=', 2) : [flag, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new RangeError(`${name} needs a value`);
    if (name === '--out') {
      out = value;
      continue;
    }
    const key = FLAGS[name!];
    if (!key) throw new RangeError(`unknown option ${name}`);
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) {
      throw new RangeError(`${name} must be a number, got ${value}`);
    }
    given[key] = number;
  }
  const nodes = given.nodes ?? DEFAULT_CONFIG.nodes;
  const config = { ...DEFAULT_CONFIG, miners: defaultMiners(nodes), ...given };
  return { config: checkConfig(config), out };
}
