/** A run's figures as the few lines `npm run sim` prints. */
import { DEFAULT_CONFIG, defaultMiners, type SimConfig } from './config.js';
import type { SimResult } from './simulation.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

export function depthsText(depths: Record<string, number>): string {
  const entries = Object.entries(depths);
  return entries.length === 0 ? 'none' : entries.map(([d, n]) => `${d}: ${n}`).join(', ');
}

/**
 * File name stem of a run's outputs: `sim-n200-m60-s1`, plus every other setting that differs
 * from the defaults (e.g. `-latencyMs100`), so different runs never overwrite each other.
 */
export function resultName(result: SimResult): string {
  const { nodes, minutes, seed } = result.config;
  const flat = (config: SimConfig): Record<string, number | string> => {
    const { costs, ...rest } = config;
    return { ...rest, ...costs };
  };
  const given = flat(result.config);
  const defaults = flat(DEFAULT_CONFIG);
  const extra = Object.keys(defaults)
    .filter((key) => !['nodes', 'minutes', 'seed'].includes(key))
    .filter((key) => key !== 'miners' || given.miners !== defaultMiners(nodes))
    .filter((key) => key === 'miners' || given[key] !== defaults[key])
    .map((key) => `-${key}${given[key]}`);
  return `sim-n${nodes}-m${minutes}-s${seed}${extra.join('')}`;
}

export function formatSummary(result: SimResult, wallMs?: number): string {
  const { config: c, blocks, propagation: p, reorgs, traffic, newNodeSync: sync } = result;
  const types = Object.entries(traffic.byType)
    .sort(([, a], [, b]) => b - a)
    .map(([type, bytes]) => `${type} ${bytes}`)
    .join(', ');
  const incidents = [
    ...Object.entries(result.incidents.refused),
    ...Object.entries(result.incidents.disconnects),
  ];
  const lines = [
    `Tabcoin network simulation: ${c.nodes} nodes, ${c.minutes} min, seed ${c.seed}, ` +
      `latency ${c.latencyMs} ms, ${c.bandwidthMbps} Mbit/s, ${c.miners} miners, ` +
      `spacing ${c.spacingSeconds} s, ${c.txPerSecond} tx/s, churn ${c.churnPerHour}/node-hour, ` +
      `${c.relay} relay`,
    `topology       ${result.network.links} links, degree ${result.network.degree.min}-` +
      `${result.network.degree.max} (mean ${result.network.degree.mean})`,
    `blocks         ${blocks.found} found, ${blocks.bestChain} in the best chain, ` +
      `${blocks.stale} stale (${percent(blocks.staleRate)}), ` +
      `${blocks.competingHeights} heights contested`,
    `propagation    p50 ${seconds(p.p50.median)}  p95 ${seconds(p.p95.median)}  ` +
      `p100 ${seconds(p.p100.median)}  (median over ${p.blocks} blocks; ` +
      `worst p100 ${seconds(p.p100.max)}${p.incomplete ? `; ${p.incomplete} never reached all` : ''})` +
      (p.toMiners
        ? `; the other miners in ${seconds(p.toMiners.median)} (mean ${seconds(p.toMiners.mean)})`
        : ''),
    `load           ${result.load.made} payments made, ${result.load.accepted} accepted, ` +
      `${result.load.confirmed} in best-chain blocks (mean ${result.load.txsPerBlock.mean} a block, ` +
      `${kb(result.load.blockBytes.mean)}); ${result.load.starved} found no usable coin`,
    `validation     ${result.validation.blocks} blocks, ${result.validation.txs} transactions, ` +
      `${result.validation.verifiedSigs} signatures verified (${result.validation.chargedSigs} charged); ` +
      `${seconds(result.validation.busyMsPerNode)} per node`,
    `compact        ${result.compact.immediate} rebuilt at once, ${result.compact.roundTrip} after ` +
      `a round trip (${percent(result.compact.roundTripRate)}), ${result.compact.fellBack} fell back, ` +
      `${result.compact.redundant} redundant`,
    `churn          ${result.churn.leaves} left, ${result.churn.newcomers} joined, ` +
      `${result.churn.caughtUp} caught up` +
      (result.churn.catchUp
        ? ` (median ${seconds(result.churn.catchUp.median)}, worst ${seconds(result.churn.catchUp.max)})`
        : ''),
    `reorgs         ${reorgs.total} (${reorgs.perNodeHour} per node-hour), depths ${depthsText(reorgs.depths)}`,
    `traffic        ${kb(traffic.bytesPerNodePerBlock)} per node per block ` +
      `(busiest node ${kb(traffic.maxNodeBytesPerBlock)}); bytes: ${types}`,
    `new node sync  ${sync.complete ? '' : 'INCOMPLETE: '}${sync.blocks} blocks in ` +
      `${seconds(sync.ms)} from ${sync.peers} peers (${kb(sync.bytesIn)} received, ` +
      `${kb(sync.bytesInByType.headers ?? 0)} of it headers)`,
    `convergence    ${result.convergence.nodesOnBestTip}/${c.nodes} nodes on the best tip, ` +
      `${seconds(result.convergence.settleMs)} after mining stopped`,
    `incidents      ${incidents.length === 0 ? 'none' : incidents.map(([k, n]) => `${k} x${n}`).join('; ')}`,
  ];
  if (wallMs !== undefined) {
    lines.push(
      `wall clock     ${(wallMs / 1000).toFixed(1)} s (${result.events.toLocaleString('en-US')} events)`,
    );
  }
  return lines.join('\n');
}

/** Progress on stderr: one line rewritten in place on a terminal, plain lines in a log. */
export function progressLine(text: string): void {
  process.stderr.write(process.stderr.isTTY ? `\r${text}   ` : `${text}\n`);
}

/** End the progress line (on a terminal). */
export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}
