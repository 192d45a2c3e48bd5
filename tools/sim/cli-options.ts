/** `npm run sim -- --nodes 200 --minutes 60 --seed 1 …`: the command line into a `SimConfig`. */
import {
  DEFAULT_CONFIG,
  RELAY_MODES,
  checkConfig,
  defaultMiners,
  type NumericKey,
  type RelayMode,
  type SimConfig,
} from './config.js';
import type { ValidationCosts } from './costs.js';

export interface CliOptions {
  config: SimConfig;
  /** Folder for the JSON result and the SVG chart. */
  out: string;
}

const C = DEFAULT_CONFIG;
export const USAGE = `usage: npm run sim -- [options]
  --nodes N            nodes in the network (default ${C.nodes})
  --minutes M          simulated minutes of mining (default ${C.minutes})
  --seed S             PRNG seed, a u32 (default ${C.seed})
  --latency-ms L       mean one-way link latency; each link gets 0.5-1.5x (default ${C.latencyMs})
  --bandwidth-mbps B   bandwidth of each link direction (default ${C.bandwidthMbps})
  --spacing S          target block spacing, seconds (default ${C.spacingSeconds})
  --miners K           nodes that mine, equal hashrates (default: a tenth of the nodes)
  --tx-rate R          payments per second, network-wide (default ${C.txPerSecond})
  --wallet-coins C     coins the sim wallets start with (default ${C.walletCoins})
  --churn P            nodes leaving (and replaced) per node per hour (default ${C.churnPerHour})
  --relay MODE         block relay: ${RELAY_MODES.join(' or ')} (default ${C.relay})
  --block-ms X         virtual ms to validate a block, besides its transactions (default ${C.costs.blockMs})
  --block-tx-ms X      … per transaction in a block, signatures apart (default ${C.costs.blockTxMs})
  --mempool-tx-ms X    … per transaction entering the mempool, signatures apart (default ${C.costs.mempoolTxMs})
  --sig-ms X           … per signature not in the node's signature cache (default ${C.costs.sigMs})
  --short-id-ms X      … per candidate transaction rebuilding a compact block (default ${C.costs.shortIdMs})
  --out DIR            where to write result JSON and chart (default sim-results)`;

const FLAGS: Record<string, NumericKey> = {
  '--nodes': 'nodes',
  '--minutes': 'minutes',
  '--seed': 'seed',
  '--latency-ms': 'latencyMs',
  '--bandwidth-mbps': 'bandwidthMbps',
  '--spacing': 'spacingSeconds',
  '--miners': 'miners',
  '--tx-rate': 'txPerSecond',
  '--wallet-coins': 'walletCoins',
  '--churn': 'churnPerHour',
};

const COST_FLAGS: Record<string, keyof ValidationCosts> = {
  '--block-ms': 'blockMs',
  '--block-tx-ms': 'blockTxMs',
  '--mempool-tx-ms': 'mempoolTxMs',
  '--sig-ms': 'sigMs',
  '--short-id-ms': 'shortIdMs',
};

/** Parse `argv` (without node and script). Throws `RangeError` with a message for the user. */
export function parseCli(argv: readonly string[]): CliOptions {
  const given: Partial<Record<NumericKey, number>> = {};
  const costs: Partial<ValidationCosts> = {};
  let relay: RelayMode = C.relay;
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
    if (name === '--relay') {
      if (!(RELAY_MODES as readonly string[]).includes(value)) {
        throw new RangeError(`--relay must be one of ${RELAY_MODES.join(', ')}, got ${value}`);
      }
      relay = value as RelayMode;
      continue;
    }
    const key = FLAGS[name!];
    const cost = COST_FLAGS[name!];
    if (!key && !cost) throw new RangeError(`unknown option ${name}`);
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) {
      throw new RangeError(`${name} must be a number, got ${value}`);
    }
    if (key) given[key] = number;
    else costs[cost!] = number;
  }
  const nodes = given.nodes ?? C.nodes;
  const config: SimConfig = {
    ...C,
    miners: defaultMiners(nodes),
    ...given,
    costs: { ...C.costs, ...costs },
    relay,
  };
  return { config: checkConfig(config), out };
}
