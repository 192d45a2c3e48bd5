/**
 * How tests and benchmarks launch Debian's Chromium (Playwright cannot download browsers here).
 * WebRTC between tabs on a loopback-only machine needs --allow-loopback-in-peer-connection and
 * media permission (--use-fake-ui-for-media-stream), or Chromium gathers no ICE candidates; the
 * rest keep a headless browser from reaching for the network at start.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
];
