/**
 * Browser tests (tests/e2e) in Debian's Chromium (CHROMIUM_PATH or /usr/bin/chromium; Playwright
 * cannot download browsers here). The tracker serves the built app on E2E_PORT.
 * WebRTC between tabs on a loopback-only machine needs --allow-loopback-in-peer-connection and
 * media permission (--use-fake-ui-for-media-stream), or Chromium gathers no ICE candidates.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/helpers/chromium.js';

const port = Number(process.env.E2E_PORT ?? 8091);

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  workers: 1,
  // One retry: the responsiveness check measures wall-clock long tasks, which a busy 2-core
  // machine can produce on its own (the OS pauses the page); a real regression fails twice.
  retries: 1,
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: 'node tools/start.mjs',
    url: `http://127.0.0.1:${port}/healthz`,
    // Every tab of every spec joins from 127.0.0.1: room for all of them in the join burst.
    env: { PORT: String(port), HOST: '127.0.0.1', JOIN_BURST: '1000' },
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
