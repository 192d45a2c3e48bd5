#!/usr/bin/env node
/**
 * `npm test`: unit and integration tests (vitest), then browser tests (Playwright) when there
 * are any, and a closing line `N passed, N failed` adding both up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium, CHROMIUM_HELP } from './chromium.mjs';
import { tally } from './test-tally.mjs';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'tabcoin-test-'));

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

const vitestJson = join(work, 'vitest.json');
const vitestStatus = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
const vitest = { status: vitestStatus, report: readJson(vitestJson) };

const e2eDir = join(root, 'tests', 'e2e');
const hasE2e = existsSync(e2eDir) && readdirSync(e2eDir).some((f) => f.endsWith('.spec.ts'));
let e2e;
let chromiumMissing = false;
if (hasE2e) {
  const chromium = findChromium();
  if (!chromium) {
    console.error(CHROMIUM_HELP);
    chromiumMissing = true;
  } else {
    const e2eJson = join(work, 'e2e.json');
    const status = run('npx', ['playwright', 'test', '--reporter=list,json'], {
      CHROMIUM_PATH: chromium,
      PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson,
    });
    e2e = { status, report: readJson(e2eJson) };
  }
}

const result = tally(vitest, e2e);
for (const problem of result.problems) console.error(problem);
const failed = result.failed + (chromiumMissing ? 1 : 0);
console.log(`${result.passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
