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

const kb = (bytes: number): string => (bytes / 1000).toFixed(1);
const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;

export function reportTable(runs: readonly ReportRun[]): string {
  const rows: [string, (r: ReportRun) => string][] = [
    ['simulated minutes of mining', ({ result }) => String(result.config.minutes)],
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
      'payments made / in best-chain blocks (transactions a block: mean, max)',
      ({ result: { load: l } }) =>
        `${l.made} / ${l.confirmed} (${l.txsPerBlock.mean}, ${l.txsPerBlock.max})`,
    ],
    [
      'block size, kB (mean, max)',
      ({ result: { load: l } }) => `${kb(l.blockBytes.mean)}, ${kb(l.blockBytes.max)}`,
    ],
    [
      'propagation to 50% of nodes, s (median / p90 / worst block)',
      ({ result }) => spreadText(result.propagation.p50),
    ],
    ['propagation to 95% of nodes, s', ({ result }) => spreadText(result.propagation.p95)],
    ['propagation to 100% of nodes, s', ({ result }) => spreadText(result.propagation.p100)],
    [
      'propagation to 100% of nodes, s: median block / p95 block / mean',
      ({ result: { propagation: p } }) =>
        `${s(p.p100.median)} / ${s(p.p100.p95)} / ${s(p.p100.mean)}`,
    ],
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
      '… of which transactions (tx, inv) / blocks (block, cmpctblock, blocktxn) / headers / getblocktxn / ping+pong',
      ({ result: { traffic: t } }) => {
        const b = (type: string) => t.byType[type] ?? 0;
        const blocks = b('block') + b('cmpctblock') + b('blocktxn');
        return (
          `${b('tx') + b('inv')} / ${blocks} / ${b('headers')} / ${b('getblocktxn')} / ` +
          `${b('ping') + b('pong')}`
        );
      },
    ],
    [
      'compact blocks rebuilt at once / after a round trip (round-trip rate) / redundant',
      ({ result: { compact: c, config } }) =>
        config.relay === 'compact'
          ? `${c.immediate} / ${c.roundTrip} (${pct(c.roundTripRate)}) / ${c.redundant}`
          : '—',
    ],
    [
      'validation time per node, s (signatures verified per node)',
      ({ result: { validation: v, config } }) =>
        `${s(v.busyMsPerNode)} (${Math.round(v.verifiedSigs / config.nodes)})`,
    ],
    [
      'churn: left / newcomers caught up (catch-up s: median, worst)',
      ({ result: { churn: c } }) =>
        `${c.leaves} / ${c.caughtUp}` +
        (c.catchUp ? ` (${s(c.catchUp.median)}, ${s(c.catchUp.max)})` : ''),
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
  const header = `| figure | ${runs.map((r) => `N = ${r.result.config.nodes}, ${r.result.config.relay}`).join(' | ')} |`;
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

/** Full-block against compact relay at each network size, from runs of both modes. */
export function comparisonTable(runs: readonly ReportRun[]): string {
  const header =
    '| N | time to 100% of nodes, s: median block (p95 block), full → compact | time to the other miners, s: mean over blocks of the mean over miners, full → compact | stale-block rate (stale / found), full → compact | bytes per node per block for blocks (headers, block, cmpctblock, getblocktxn, blocktxn), full → compact | all bytes per node per block, full → compact | compact blocks that needed a round trip |';
  const rule = '| --- | --- | --- | --- | --- | --- | --- |';
  const sizes = [...new Set(runs.map((r) => r.result.config.nodes))];
  const body = sizes.flatMap((nodes) => {
    const of = (relay: string) =>
      runs.find((r) => r.result.config.nodes === nodes && r.result.config.relay === relay)?.result;
    const full = of('full');
    const compact = of('compact');
    if (!full || !compact) return [];
    const ratio = (a: number, b: number) => (a > 0 ? ` (×${(b / a).toFixed(2)})` : '');
    const p = (r: typeof full) => `${s(r.propagation.p100.median)} (${s(r.propagation.p100.p95)})`;
    // Runs saved before the figure existed have none.
    const miners = (r: typeof full) =>
      r.propagation.toMiners ? s(r.propagation.toMiners.mean) : '—';
    const minersRatio =
      full.propagation.toMiners && compact.propagation.toMiners
        ? ratio(full.propagation.toMiners.mean, compact.propagation.toMiners.mean)
        : '';
    const stale = (r: typeof full) =>
      `${pct(r.blocks.staleRate)} (${r.blocks.stale}/${r.blocks.found})`;
    const bytes = (r: typeof full) => r.traffic.bytesPerNodePerBlock.toLocaleString('en-US');
    const blockBytes = (r: typeof full) =>
      ['headers', 'block', 'cmpctblock', 'getblocktxn', 'blocktxn'].reduce(
        (sum, type) => sum + (r.traffic.byType[type] ?? 0),
        0,
      );
    return [
      `| ${nodes} | ${p(full)} → ${p(compact)}${ratio(full.propagation.p100.median, compact.propagation.p100.median)} ` +
        `| ${miners(full)} → ${miners(compact)}${minersRatio} ` +
        `| ${stale(full)} → ${stale(compact)} ` +
        `| ${blockBytes(full).toLocaleString('en-US')} → ${blockBytes(compact).toLocaleString('en-US')}${ratio(blockBytes(full), blockBytes(compact))} ` +
        `| ${bytes(full)} → ${bytes(compact)}${ratio(full.traffic.bytesPerNodePerBlock, compact.traffic.bytesPerNodePerBlock)} ` +
        `| ${pct(compact.compact.roundTripRate)} (${compact.compact.roundTrip} of ${compact.compact.immediate + compact.compact.roundTrip}) |`,
    ];
  });
  return [header, rule, ...body].join('\n');
}
