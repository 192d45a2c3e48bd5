/** The docs/scale.md table: one column per network size, one row per figure. */
import type { Spread } from './figures.js';
import type { SimResult } from './simulation.js';
import { depthsText } from './summary.js';

export interface ReportRun {
  result: SimResult;
  /** Wall-clock seconds the run took on the machine that made the report. */
  wallSeconds: number;
}

const s = (ms: number): string => (ms / 1000).toFixed(2);
const spreadText = (x: Spread): string => `${s(x.median)} / ${s(x.p90)} / ${s(x.max)}`;

export function reportTable(runs: readonly ReportRun[]): string {
  const rows: [string, (r: ReportRun) => string][] = [
    [
      'links (degree min–max, mean)',
      ({ result: { network: n } }) =>
        `${n.links} (${n.degree.min}–${n.degree.max}, ${n.degree.mean})`,
    ],
    [
      'blocks found / in the best chain',
      ({ result: { blocks: b } }) => `${b.found} / ${b.bestChain}`,
    ],
    [
      'propagation to 50% of nodes, s (median / p90 / worst block)',
      ({ result }) => spreadText(result.propagation.p50),
    ],
    ['propagation to 95% of nodes, s', ({ result }) => spreadText(result.propagation.p95)],
    ['propagation to 100% of nodes, s', ({ result }) => spreadText(result.propagation.p100)],
    [
      'stale-block rate',
      ({ result: { blocks: b } }) => `${(b.staleRate * 100).toFixed(1)}% (${b.stale})`,
    ],
    ['reorgs per node-hour', ({ result }) => String(result.reorgs.perNodeHour)],
    ['reorg depths (depth: count, all nodes)', ({ result }) => depthsText(result.reorgs.depths)],
    [
      'bytes sent per node per block (busiest node)',
      ({ result: { traffic: t } }) =>
        `${t.bytesPerNodePerBlock.toLocaleString('en-US')} (${t.maxNodeBytesPerBlock.toLocaleString('en-US')})`,
    ],
    [
      '… of which headers / block / getdata / ping+pong',
      ({ result: { traffic: t } }) => {
        const b = (type: string) => t.byType[type] ?? 0;
        return `${b('headers')} / ${b('block')} / ${b('getdata')} / ${b('ping') + b('pong')}`;
      },
    ],
    [
      'new node: sync time, s (blocks, peers; kB received, of which headers)',
      ({ result: { newNodeSync: n } }) =>
        `${n.complete ? '' : 'incomplete '}${s(n.ms)} (${n.blocks}, ${n.peers}; ` +
        `${Math.round(n.bytesIn / 1000)}, ${Math.round((n.bytesInByType.headers ?? 0) / 1000)})`,
    ],
    ['scheduler events', ({ result }) => result.events.toLocaleString('en-US')],
    ['wall-clock time of the run, s', ({ wallSeconds }) => wallSeconds.toFixed(0)],
  ];
  const header = `| figure | ${runs.map((r) => `N = ${r.result.config.nodes}`).join(' | ')} |`;
  const rule = `| --- | ${runs.map(() => '---').join(' | ')} |`;
  const body = rows.map(([name, cell]) => `| ${name} | ${runs.map(cell).join(' | ')} |`);
  return [header, rule, ...body].join('\n');
}

/** One row per run of a latency sweep: how propagation and forks follow link latency. */
export function latencyTable(runs: readonly ReportRun[]): string {
  const header =
    '| mean one-way latency, ms | propagation to 50% / 95% / 100%, s (median block) | stale-block rate | reorgs per node-hour (deepest) |';
  const rule = '| --- | --- | --- | --- |';
  const body = runs.map(({ result: r }) => {
    const p = r.propagation;
    const deepest = Math.max(0, ...Object.keys(r.reorgs.depths).map(Number));
    return (
      `| ${r.config.latencyMs} | ${s(p.p50.median)} / ${s(p.p95.median)} / ${s(p.p100.median)} ` +
      `| ${(r.blocks.staleRate * 100).toFixed(1)}% (${r.blocks.stale} of ${r.blocks.found}) ` +
      `| ${r.reorgs.perNodeHour} (${deepest}) |`
    );
  });
  return [header, rule, ...body].join('\n');
}
