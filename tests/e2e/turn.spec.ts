/**
 * Tracker-issued TURN credentials against a real coturn (Debian package `coturn`): a tracker
 * started with TURN_URL/TURN_SECRET hands the tab credentials that coturn accepts (the tab
 * gathers a relay candidate, which needs an authenticated TURN Allocate), while the same
 * username with a wrong credential gets none; two tabs allowed only relayed routes link through
 * coturn and say so; with a wrong password they fail, and say coturn refused it. Skipped,
 * saying why, where coturn is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext } from '@playwright/test';
import { startTracker, type Tracker } from '../../tracker/server.js';

const TURNSERVER = '/usr/bin/turnserver';
const SECRET = 'e2e-shared-secret';
let coturn: ChildProcess | undefined;
let tracker: Tracker | undefined;
let turnPort = 0;
const scratch = (ext: string) => join(tmpdir(), `tabcoin-e2e-turn-${turnPort}.${ext}`);

/** A free TCP port (coturn listens on the same number for UDP and TCP). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test.skip(!existsSync(TURNSERVER), `needs coturn (${TURNSERVER}): apt-get install -y coturn`);

test.beforeAll(async () => {
  turnPort = await freePort();
  coturn = spawn(
    TURNSERVER,
    [
      '-n',
      '--listening-ip=127.0.0.1',
      `--listening-port=${turnPort}`,
      '--relay-ip=127.0.0.1',
      '--use-auth-secret',
      `--static-auth-secret=${SECRET}`,
      '--realm=tabcoin.test',
      '--allow-loopback-peers',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--log-file=stdout',
      '--simple-log',
      `--pidfile=${scratch('pid')}`,
      `--userdb=${scratch('sqlite')}`,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coturn did not start:\n${log}`)), 15_000);
    coturn!.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (/Total General servers/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    coturn!.once('exit', (code) => reject(new Error(`coturn exited with ${code}:\n${log}`)));
  });
  tracker = await startTracker({
    port: 0,
    host: '127.0.0.1',
    staticDir: 'dist', // built by the e2e web server (tools/start.mjs)
    turn: { urls: [`turn:127.0.0.1:${turnPort}`], secret: SECRET, ttlSeconds: 600 },
  });
});

test.afterAll(async () => {
  await tracker?.close();
  if (coturn && coturn.exitCode === null) {
    const exited = new Promise((resolve) => coturn!.once('exit', resolve));
    coturn.kill('SIGTERM');
    await exited;
  }
  for (const ext of ['pid', 'sqlite']) rmSync(scratch(ext), { force: true });
});

test('coturn accepts the credentials the tracker issued to a tab', async ({ page }) => {
  const node = `turn-${Date.now().toString(36)}`;
  await page.goto(`${tracker!.url}/?network=regtest&node=${node}`);
  await expect(page.getByLabel('Node id')).toHaveText(node);
  const servers = () =>
    page.evaluate(() => window.tabcoin?.mesh.iceServers ?? []) as Promise<RTCIceServer[]>;
  await expect.poll(async () => (await servers()).length).toBe(1);
  const [grant] = await servers();
  expect(grant).toMatchObject({ urls: [`turn:127.0.0.1:${turnPort}`] });
  expect(grant!.username).toMatch(new RegExp(`^\\d+:${node}$`));

  /** Candidate types the browser gathers with `server` (an Allocate needs valid credentials). */
  const gather = (server: RTCIceServer) =>
    page.evaluate(
      async (iceServers) => {
        const pc = new RTCPeerConnection({ iceServers });
        pc.createDataChannel('probe');
        const types: string[] = [];
        const done = new Promise<void>((resolve) => {
          pc.onicecandidate = (e) =>
            e.candidate ? types.push(e.candidate.type ?? '?') : resolve();
          setTimeout(resolve, 10_000);
        });
        await pc.setLocalDescription(await pc.createOffer());
        await done;
        pc.close();
        return types;
      },
      [server],
    );
  expect(await gather(grant!)).toContain('relay');
  expect(await gather({ ...grant!, credential: 'd3Jvbmc=' })).not.toContain('relay');
});

/** As on a Wi-Fi that isolates clients: no direct route, only the TURN relay. */
async function relayOnly(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Original {
      constructor(config?: RTCConfiguration) {
        super({ ...config, iceTransportPolicy: 'relay' });
      }
    };
  });
}

test('two tabs that may only use relayed routes link through coturn and say so', async ({
  context,
}) => {
  await relayOnly(context);
  const run = Date.now().toString(36);
  const pages = [];
  for (const name of ['kim', 'lee']) {
    const page = await context.newPage();
    await page.goto(`${tracker!.url}/?network=regtest&node=${name}-${run}`);
    pages.push(page);
  }
  // The tabs also meet over BroadcastChannel, possibly before the tracker's TURN credentials
  // arrive: that first relay-only attempt has no relay and fails, and the retry (30 s later,
  // mesh.ts RETRY_AFTER_MS) links. Known issue, in the closing note of issue 19.
  for (const page of pages) {
    await expect(page.getByLabel('Peers', { exact: true })).toHaveText('1', { timeout: 75_000 });
    await expect(page.getByLabel('Link routes')).toContainText('0 direct, 1 relayed through TURN');
  }
  await expect(
    pages[0]!.locator('tc-event-log li', { hasText: `link to lee-${run} is relayed` }),
  ).toHaveCount(1);
});

test('with a password coturn refuses, relay-only tabs fail and say TURN refused them', async ({
  context,
}) => {
  await relayOnly(context);
  const run = Date.now().toString(36);
  const turn = `&turn=turn:127.0.0.1:${turnPort}&turnUser=1:nobody&turnPass=wrong`;
  const pages = [];
  for (const name of ['max', 'ned']) {
    const page = await context.newPage();
    await page.goto(`/?network=regtest&node=${name}-${run}${turn}`); // the tracker without TURN
    pages.push(page);
  }
  const entry = pages[1]!.locator('tc-event-log li.link', { hasText: `link to max-${run}` });
  await expect(entry).toContainText(
    `the TURN server gave no relay address (turn:127.0.0.1:${turnPort}`,
    { timeout: 30_000 },
  );
  await expect(entry).toContainText('401');
  await expect(pages[1]!.getByLabel('Peers', { exact: true })).toHaveText('0');
});
