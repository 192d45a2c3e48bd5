/**
 * `npm run sim -- --nodes 200 --minutes 60 --seed 1`: run one simulation, print its summary,
 * and write `<out>/sim-n<N>-m<M>-s<S>….json` (the result; other non-default options are added to
 * the name) and `.svg` (the propagation curve).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { USAGE, parseCli } from './cli-options.js';
import { propagationChart } from './propagation-chart.js';
import { runSimulation } from './simulation.js';
import { endProgress, formatSummary, progressLine, resultName } from './summary.js';

async function main(): Promise<void> {
  let options;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const started = performance.now();
  const result = await runSimulation(options.config, (p) =>
    progressLine(
      `${p.phase.padEnd(6)} ${(p.elapsedMs / 60_000).toFixed(1)} simulated min, ` +
        `${p.found} blocks found, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    ),
  );
  const wallMs = performance.now() - started;
  endProgress();
  mkdirSync(options.out, { recursive: true });
  const stem = join(options.out, resultName(result));
  writeFileSync(`${stem}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${stem}.svg`, propagationChart([result]));
  console.log(formatSummary(result, wallMs));
  console.log(`wrote ${stem}.json and ${stem}.svg`);
}

await main();
