/**
 * `npm run sim:report`: the figures of docs/scale.md. Runs the simulation for N = 50, 200 and
 * 500 nodes with a transaction load, validation charged and churn, once with full-block relay
 * and once with compact relay (same seed and settings), then optionally N = 200 at several link
 * latencies, one run after another; writes the tables into docs/scale.md (between its
 * `sim-report` markers), the chart to docs/img/scale-propagation.svg and every result to
 * sim-results/. Options: `--sizes 50,200`, `--modes full,compact`, `--minutes M` (or one per
 * size: `--minutes 10,10,3`), `--tx-rate R`,
 * `--churn P`, `--seed S`, `--latencies 5,50` with `--sweep-minutes M`, and `--reuse` (take a
 * run's result from sim-results/ when it is there, e.g. after an interrupted report).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import {
  DEFAULT_CONFIG,
  RELAY_MODES,
  checkConfig,
  defaultMiners,
  type RelayMode,
  type SimConfig,
} from './config.js';
import { propagationChart } from './propagation-chart.js';
import { comparisonTable, latencyTable, reportTable, type ReportRun } from './report-table.js';
import type { SimResult } from './result.js';
import { runSimulation } from './simulation.js';
import { endProgress, formatSummary, progressLine, resultName } from './summary.js';

const DOC = 'docs/scale.md';
const CHART = 'docs/img/scale-propagation.svg';
const START = '<!-- sim-report:start -->';
const END = '<!-- sim-report:end -->';
const SWEEP_NODES = 200;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const numbers = (text: string): number[] => (text ? text.split(',').map(Number) : []);

/** `text` broken into lines of at most `width` characters (at spaces), as the docs are. */
function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

async function run(config: SimConfig, reuse: boolean): Promise<ReportRun> {
  const label = `N = ${config.nodes}, ${config.relay}, ${config.latencyMs} ms`;
  const file = join('sim-results', `${resultName({ config } as SimResult)}.json`);
  if (reuse && existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SimResult & { wallSeconds: number };
    if (JSON.stringify(saved.config) === JSON.stringify(config)) {
      console.log(`${label}: reused ${file}`);
      const { wallSeconds, ...result } = saved;
      return { result, wallSeconds };
    }
  }
  const started = performance.now();
  const result = await runSimulation(checkConfig(config), (p) =>
    progressLine(`${label}: ${p.phase.padEnd(6)} ${(p.elapsedMs / 60_000).toFixed(1)} sim min`),
  );
  const wallMs = performance.now() - started;
  endProgress();
  console.log(`${formatSummary(result, wallMs)}\n`);
  const wallSeconds = wallMs / 1000;
  writeFileSync(file, `${JSON.stringify({ ...result, wallSeconds }, null, 2)}\n`);
  return { result, wallSeconds };
}

async function main(): Promise<void> {
  const sizes = numbers(option('--sizes', '50,200,500'));
  const modes = option('--modes', RELAY_MODES.join(',')).split(',') as RelayMode[];
  const latencies = numbers(option('--latencies', ''));
  // One figure for every size, or one per size (e.g. 10,10,3: a shorter run for the largest).
  const minutesList = numbers(option('--minutes', '10'));
  const minutesOf = (i: number) => minutesList[Math.min(i, minutesList.length - 1)]!;
  const sweepMinutes = Number(option('--sweep-minutes', '30'));
  const seed = Number(option('--seed', '1'));
  const txPerSecond = Number(option('--tx-rate', '1'));
  const churnPerHour = Number(option('--churn', '0.5'));
  const reuse = process.argv.includes('--reuse');
  const base: SimConfig = { ...DEFAULT_CONFIG, seed, txPerSecond, churnPerHour };
  mkdirSync('sim-results', { recursive: true });
  const runs: ReportRun[] = [];
  for (const [i, nodes] of sizes.entries()) {
    const minutes = minutesOf(i);
    for (const relay of modes) {
      runs.push(await run({ ...base, nodes, minutes, relay, miners: defaultMiners(nodes) }, reuse));
    }
  }
  const minutes =
    [...new Set(sizes.map((_, i) => minutesOf(i)))].length === 1
      ? `${minutesOf(0)} simulated minutes`
      : `${sizes.map((n, i) => `${minutesOf(i)} (N = ${n})`).join(', ')} simulated minutes`;
  const sweep: ReportRun[] = [];
  for (const latencyMs of latencies) {
    const nodes = SWEEP_NODES;
    const config = { ...base, nodes, minutes: sweepMinutes, latencyMs };
    sweep.push(await run({ ...config, relay: 'full', miners: defaultMiners(nodes) }, reuse));
  }

  mkdirSync('docs/img', { recursive: true });
  if (runs.length > 0) writeFileSync(CHART, propagationChart(runs.map((r) => r.result)));
  const c = base.costs;
  const generated = [
    START,
    '',
    wrap(
      `Generated by \`npm run sim:report\` (\`tools/sim/report.ts\`). Each size runs twice with ` +
        `the same seed and settings, once per relay mode: ${minutes}, seed ` +
        `${seed}, ${txPerSecond} payment${txPerSecond === 1 ? '' : 's'} a second, churn ${churnPerHour} per node per hour, ` +
        `${base.latencyMs} ms mean one-way latency per link (each link 0.5–1.5× that), ` +
        `${base.bandwidthMbps} Mbit/s per link direction, a tenth of the nodes mining with equal ` +
        `hashrates, ${base.spacingSeconds} s target spacing, validation charged at ${c.blockMs} ms ` +
        `a block + ${c.blockTxMs} ms a transaction in a block, ${c.mempoolTxMs} ms a transaction ` +
        `entering the mempool, ${c.sigMs} ms a signature not in the node's cache and ` +
        `${c.shortIdMs} ms a candidate when rebuilding a compact block. Propagation cells give ` +
        'the median block / the 90th-percentile block / the worst block. Wall-clock times are ' +
        `from this machine (${process.arch}, Node ${process.versions.node}, 2 cores shared with ` +
        'other work); every other figure is exactly reproducible from the seed.',
    ),
    '',
    comparisonTable(runs),
    '',
    reportTable(runs),
    '',
    `![Share of nodes with a block against time since it was found, N = ${sizes.join(', ')}, ${modes.join(' and ')} relay](img/scale-propagation.svg)`,
    ...(sweep.length > 0
      ? [
          '',
          wrap(
            `Latency sweep: N = ${SWEEP_NODES}, full-block relay, ${sweepMinutes} simulated ` +
              'minutes, otherwise as above.',
          ),
          '',
          latencyTable(sweep),
        ]
      : []),
    '',
    END,
  ].join('\n');
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC} lacks the ${START} … ${END} markers`);
  const text = doc.slice(0, start) + generated + doc.slice(end + END.length);
  // Formatted as the repository's Prettier would (aligned tables), so `prettier --check` passes.
  const style = (await resolveConfig(DOC)) ?? {};
  writeFileSync(DOC, await format(text, { ...style, parser: 'markdown' }));
  console.log(`wrote ${DOC} and ${CHART}`);
}

await main();
