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

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'tabcoin-test-'));
let passed = 0;
let failed = 0;

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
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}
if (vitestStatus !== 0 && failed === 0) failed += 1; // a crash before any test ran still fails

const e2eDir = join(root, 'tests', 'e2e');
const hasE2e = existsSync(e2eDir) && readdirSync(e2eDir).some((f) => f.endsWith('.spec.ts'));
if (hasE2e) {
  const chromium = findChromium();
  if (!chromium) {
    console.error(CHROMIUM_HELP);
    failed += 1;
  } else {
    const e2eJson = join(work, 'e2e.json');
    const status = run('npx', ['playwright', 'test', '--reporter=list,json'], {
      CHROMIUM_PATH: chromium,
      PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson,
    });
    if (existsSync(e2eJson)) {
      const stats = JSON.parse(readFileSync(e2eJson, 'utf8')).stats;
      passed += stats.expected + stats.flaky;
      failed += stats.unexpected;
    }
    if (status !== 0 && !existsSync(e2eJson)) failed += 1;
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && vitestStatus === 0 ? 0 : 1);
