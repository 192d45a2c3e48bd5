/** The propagation chart: share of nodes with a block against time since it was found. */
import { lineChart } from './chart-svg.js';
import type { SimResult } from './simulation.js';

/** One curve per result, e.g. one run, or the N = 50 / 200 / 500 runs of the report. */
export function propagationChart(results: readonly SimResult[], title?: string): string {
  const first = results[0];
  if (!first) throw new RangeError('results must not be empty');
  const { latencyMs, bandwidthMbps } = first.config;
  return lineChart({
    title:
      title ?? `Block propagation (${latencyMs} ms mean latency, ${bandwidthMbps} Mbit/s links)`,
    xLabel: 'seconds since the block was found',
    yLabel: 'nodes with the block on their active chain (mean over blocks)',
    yPercent: true,
    guides: [0.5, 0.95],
    series: results.map((result) => ({
      name: `N = ${result.config.nodes}, ${result.config.relay} (${result.propagation.blocks} blocks)`,
      points: result.curve.map(([ms, share]) => [ms / 1000, share] as const),
    })),
  });
}
