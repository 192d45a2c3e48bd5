/** What a simulation run reports (the JSON `npm run sim` writes). */
import type { SimConfig } from './config.js';
import type { CompactStats } from './compact-charge.js';
import type { ValidationCosts } from './costs.js';
import type { PropagationFigures, Spread } from './figures.js';
import type { Incidents } from './network.js';

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
  /** The transaction load and what of it was mined. */
  load: {
    /** Payments handed to nodes, accepted by them, and attempts that found no coin. */
    made: number;
    accepted: number;
    starved: number;
    refused: Record<string, number>;
    /** Non-coinbase transactions in the best chain's blocks found in the run. */
    confirmed: number;
    /** Per best-chain block: transactions (coinbase excluded) and bytes, mean and max. */
    txsPerBlock: { mean: number; max: number };
    blockBytes: { mean: number; max: number };
  };
  /** Validation charged in virtual time, over all nodes. */
  validation: {
    costs: ValidationCosts;
    blocks: number;
    txs: number;
    /** Signatures charged for (predicted from each node's cache before the work ran)… */
    chargedSigs: number;
    /** …and signatures the nodes' caches actually verified (equal in an honest run). */
    verifiedSigs: number;
    /** Mean virtual ms a measured node spent validating. */
    busyMsPerNode: number;
  };
  /** How the compact blocks the nodes received went (all zero with full-block relay). */
  compact: CompactStats & {
    /** roundTrip / (immediate + roundTrip): rebuilt blocks that needed a getblocktxn. */
    roundTripRate: number;
  };
  churn: {
    leaves: number;
    newcomers: number;
    caughtUp: number;
    /** Virtual ms from joining to caught up, over the newcomers that did. */
    catchUp: Spread | undefined;
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
  incidents: Incidents;
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
