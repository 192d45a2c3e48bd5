/**
 * Tabs on different hosts, for real: a small network of Linux network namespaces
 * (tests/helpers/netns.ts), a "server" namespace where `npm run classroom` (tools/classroom.mjs:
 * the tracker serving the page, and coturn) runs on the server's own address, and two "host"
 * namespaces, each running its own Chromium with two tabs that open the server's address.
 * - Hosts that reach each other (the bare tracker, no TURN server offered): host B's tabs link
 *   directly to host A's and sync its chain, and the four agree on a mined block and a payment.
 * - Hosts isolated from each other (bridge port isolation, as on a Wi-Fi that isolates
 *   clients): the same works through the TURN relay, and the peers panel says which links are
 *   relayed.
 * - A network that drops multicast (so mDNS, which Chromium names its host candidates with)
 *   but passes unicast: with the TURN server the tabs still link (usually directly).
 * - The server stopped (no tracker): a new tab on host A, introduced to host A's other tab over
 *   BroadcastChannel (one browser), reaches host B's tabs through peer-relayed signaling and
 *   syncs their chain. The page comes from the service worker's cache, so these browsers treat
 *   the server's http:// origin as secure, as an https:// deployment would be.
 * Skipped, saying why, only where namespaces cannot be made (not root, no `ip`); the TURN cases
 * also where coturn is missing. NETNS_PREFIX (default tcnet) and NETNS_SUBNET (default
 * 10.231.0) name the namespaces and their /24, for running beside other users of the machine.
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  chromium,
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import { COINBASE_MATURITY } from '../../core/index.js';
import { ROUTE_RECHECK_MS } from '../../client/net/mesh.js';
import { CHROMIUM_ARGS } from '../helpers/chromium.js';
import {
  createNetwork,
  multicastReachable,
  netnsUnavailable,
  removeStaleNamespaces,
  tcpReachable,
  type NetnsHost,
  type NetnsNetwork,
} from '../helpers/netns.js';

const PREFIX = process.env.NETNS_PREFIX ?? 'tcnet';
const SUBNET = process.env.NETNS_SUBNET ?? '10.231.0';
const PAGE_PORT = 8080; // the namespaces are ours: no other process uses their ports
const TURN_PORT = 3478;
const hasCoturn = existsSync('/usr/bin/turnserver');
/**
 * A link's route as the peers panel shows it may change after the link opens (ICE moves to a
 * better pair; a peer-reflexive candidate turns out to be a relay): the mesh reads it again up
 * to ROUTE_RECHECK_MS after opening, so the route checks wait that long (and a little more).
 */
const ROUTE_SETTLED = { timeout: ROUTE_RECHECK_MS.at(-1)! + 5_000 };

const unavailable = netnsUnavailable(PREFIX);
test.skip(!!unavailable, `needs Linux network namespaces: ${unavailable}`);

let net: NetnsNetwork | undefined;
let server: ChildProcess | undefined;
let pageUrl = '';
/** Whether the running server offers the tabs a TURN server (coturn). */
let serverTurn = false;
const browsers: Browser[] = [];

/**
 * Start the server in the server namespace: the classroom command (tracker and coturn) when
 * `turn`, else the bare tracker. While a port of the one stopped just before is not free yet
 * (the kernel releases coturn's sockets a moment after it exits), wait and try again, up to 15 s.
 */
async function startServer(network: NetnsNetwork, turn = hasCoturn): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const url = await startServerOnce(network, turn);
      serverTurn = turn;
      return url;
    } catch (err) {
      if (attempt >= 15 || !/is not free/.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

async function startServerOnce(network: NetnsNetwork, turn: boolean): Promise<string> {
  const { ns, address } = network.server;
  const env = { ...process.env, HOST: address, PORT: String(PAGE_PORT), STATIC_DIR: 'dist' };
  server = turn
    ? network.spawnIn(ns, process.execPath, ['tools/classroom.mjs', '--no-build'], {
        env: { ...env, TURN_HOST: address, TURN_PORT: String(TURN_PORT) },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : network.spawnIn(ns, process.execPath, ['--import', 'tsx', 'tracker/main.ts'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  const ready = turn ? /Press Ctrl-C to stop both/ : /Name a node with/;
  let output = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Open (http:\/\/\S+) in several tabs/.exec(output);
      if (url && ready.test(output)) {
        clearTimeout(timer);
        resolve(url[1]!);
      }
    };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', onData);
    server!.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/** The server running, with a TURN server or without (restarted if it is the other kind). */
async function serverWith(turn: boolean): Promise<void> {
  const running = server && server.exitCode === null && server.signalCode === null;
  if (running && serverTurn === turn) return;
  await stopServer();
  pageUrl = await startServer(net!, turn);
}

async function stopServer(): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server!.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  removeStaleNamespaces(PREFIX);
  net = createNetwork({ prefix: PREFIX, subnet: SUBNET, hosts: ['a', 'b'] });
  pageUrl = await startServer(net, false);
  expect(pageUrl).toBe(`http://${net.server.address}:${PAGE_PORT}`);
  for (const host of net.hosts)
    browsers.push(await chromium.launch({ executablePath: host.chromium, args: CHROMIUM_ARGS }));
});

test.afterAll(async () => {
  await Promise.all(browsers.splice(0).map((b) => b.close()));
  await stopServer();
  net?.remove();
});

const field = (page: Page, name: string) => page.getByLabel(name, { exact: true });

/** Two tabs of host `i`'s browser, in a fresh context, named `<a|b><1|2>-<run>`. */
async function openTabs(
  i: number,
  run: string,
): Promise<{ tabs: Page[]; context: BrowserContext }> {
  const context = await browsers[i]!.newContext();
  const tabs: Page[] = [];
  for (const n of [1, 2]) {
    const name = `${'ab'[i]}${n}-${run}`;
    const page = await context.newPage();
    await page.goto(`${pageUrl}/?network=regtest&node=${name}`);
    await expect(page.getByLabel('Node id')).toHaveText(name);
    tabs.push(page);
  }
  return { tabs, context };
}

async function mine(page: Page, blocks: number): Promise<void> {
  const button = page.getByRole('button', { name: 'Mine a block' });
  for (let i = 0; i < blocks; i++) {
    const before = await field(page, 'Height').textContent();
    await button.click();
    await expect(field(page, 'Height')).not.toHaveText(before!);
    await expect(button).toBeEnabled();
  }
}

/** Every tab shows `height` and one tip. */
async function agreeOn(tabs: Page[], height: number): Promise<void> {
  for (const page of tabs)
    await expect(field(page, 'Height')).toHaveText(String(height), { timeout: 30_000 });
  const tip = await field(tabs[0]!, 'Tip').textContent();
  for (const page of tabs) await expect(field(page, 'Tip')).toHaveText(tip!);
}

/**
 * Host A's two tabs link and a1 mines until its first reward matures; then host B's two tabs
 * open, link to the other three (`checkLinks` on [a1, a2, b1, b2]) and sync that chain from
 * host A; a1 pays b1 1.5 coins, b1 sees it arrive, b2 mines it, every tab agrees on that block
 * and b1 can spend the coins.
 */
async function syncBlockAndPayment(
  run: string,
  checkLinks: (tabs: Page[]) => Promise<void>,
): Promise<void> {
  const hostA = await openTabs(0, run);
  const [a1, a2] = hostA.tabs as [Page, Page];
  await expect(field(a1, 'Peers')).toHaveText('1', { timeout: 30_000 });
  await mine(a1, COINBASE_MATURITY + 1);
  await agreeOn([a1, a2], COINBASE_MATURITY + 1);
  await expect(field(a1, 'Spendable balance')).toHaveText('100');

  const hostB = await openTabs(1, run);
  const [b1, b2] = hostB.tabs as [Page, Page];
  const tabs = [a1, a2, b1, b2];
  await checkLinks(tabs);
  await agreeOn(tabs, COINBASE_MATURITY + 1); // host B synced from host A

  const to = await b1.getByLabel('Your address').textContent();
  expect(to).toMatch(/^tcrt1/);
  await a1.getByLabel('Recipient address').fill(to!);
  await a1.getByLabel('Amount (coins)').fill('1.5');
  await a1.getByLabel('Fee rate (units per byte)').fill('5');
  await a1.getByRole('button', { name: 'Review payment' }).click();
  await a1.getByRole('button', { name: 'Confirm and send' }).click();
  await expect(a1.getByText('Sent: pending until a block includes it.')).toBeVisible();
  await expect(field(b1, 'Incoming balance')).toHaveText('1.5');
  await expect(field(b2, 'Pending transactions')).toHaveText('1');

  await mine(b2, 1);
  await agreeOn(tabs, COINBASE_MATURITY + 2);
  await expect(field(b1, 'Spendable balance')).toHaveText('1.5');
  for (const page of tabs) await expect(field(page, 'Pending transactions')).toHaveText('0');
  await Promise.all([hostA.context.close(), hostB.context.close()]);
}

test('tabs on two hosts link directly, sync across hosts, and agree on a block and a payment', async () => {
  test.setTimeout(180_000);
  // No TURN server here: with one offered, Chromium can leave one direction of a link on a
  // relay pair that succeeded first even where a direct pair works (its controlled side keeps
  // the pair data already flows on), and the panel then says "relayed", truthfully. Whether
  // hosts that reach each other link directly is what this test asks.
  await serverWith(false);
  net!.isolate(false);
  expect(tcpReachable(net!.hosts[0]!.ns, net!.hosts[1]!.address, PAGE_PORT)).toBe(true);
  const run = Date.now().toString(36);
  await syncBlockAndPayment(run, async (tabs) => {
    for (const page of tabs) {
      await expect(field(page, 'Peers')).toHaveText('3', { timeout: 30_000 });
      await expect(page.getByLabel('Link routes')).toContainText(
        '3 direct, 0 relayed through TURN',
        ROUTE_SETTLED,
      );
    }
  });
});

test('with hosts isolated from each other, tabs link through coturn and say "relayed"', async () => {
  test.skip(!hasCoturn, 'needs coturn (/usr/bin/turnserver): apt-get install -y coturn');
  test.setTimeout(180_000);
  await serverWith(true);
  net!.isolate(true);
  try {
    const [a, b] = net!.hosts as [NetnsHost, NetnsHost];
    // The network is what the test says: each host reaches the server, not the other host.
    expect(tcpReachable(a.ns, b.address, PAGE_PORT)).toBe(false);
    expect(tcpReachable(b.ns, a.address, PAGE_PORT)).toBe(false);
    expect(tcpReachable(a.ns, net!.server.address, PAGE_PORT)).toBe(true);
    const run = Date.now().toString(36);
    await syncBlockAndPayment(run, async (tabs) => {
      // Each tab: its neighbour on the same host directly, the other host's two through TURN.
      for (const [i, page] of tabs.entries()) {
        const others = i < 2 ? [`b1-${run}`, `b2-${run}`] : [`a1-${run}`, `a2-${run}`];
        await expect(field(page, 'Peers')).toHaveText('3', { timeout: 45_000 });
        const routes = page.getByLabel('Link routes');
        await expect(routes).toContainText('1 direct, 2 relayed through TURN', ROUTE_SETTLED);
        for (const other of others) await expect(routes).toContainText(other);
      }
      await expect(
        tabs[0]!.locator('tc-event-log li', { hasText: `link to b1-${run} is relayed` }),
      ).toHaveCount(1);
    });
  } finally {
    net!.isolate(false);
  }
});

test('where the network drops multicast (mDNS), tabs on two hosts still link with the TURN server, and say by which route', async () => {
  test.skip(!hasCoturn, 'needs coturn (/usr/bin/turnserver): apt-get install -y coturn');
  test.setTimeout(90_000);
  await serverWith(true);
  const [a, b] = net!.hosts as [NetnsHost, NetnsHost];
  net!.isolate(false);
  net!.dropMulticast(true);
  try {
    // Unicast between the hosts works; multicast (so mDNS, which names host candidates) not.
    // Polled: just after the previous test's isolation is lifted it failed once in CI within
    // 0.6 s, an error other than a refusal (likely a neighbour entry still marked failed).
    await expect
      .poll(() => tcpReachable(a.ns, b.address, PAGE_PORT), { timeout: 15_000 })
      .toBe(true);
    expect(await multicastReachable(a.ns, b.ns)).toBe(false);
    const run = Date.now().toString(36);
    const contexts = [await browsers[0]!.newContext(), await browsers[1]!.newContext()];
    const tabs: Page[] = [];
    for (const [i, context] of contexts.entries()) {
      const page = await context.newPage();
      await page.goto(`${pageUrl}/?network=regtest&node=m${i}-${run}`);
      tabs.push(page);
    }
    // Each side's checks reach the other through its relay address, which teaches the other
    // side a peer-reflexive (real) address: the pair Chromium keeps is usually direct, but a
    // relay pair that succeeded first can stay selected on one side (its controlled side keeps
    // the pair data already flows on). Either way the link works and the panel names its route.
    for (const page of tabs) {
      await expect(field(page, 'Peers')).toHaveText('1', { timeout: 45_000 });
      await expect(page.getByLabel('Link routes')).toContainText(
        /1 direct, 0 relayed through TURN|0 direct, 1 relayed through TURN: m[01]-/,
      );
    }
    await mine(tabs[0]!, 1);
    await agreeOn(tabs, 1);
    await Promise.all(contexts.map((c) => c.close()));
  } finally {
    net!.dropMulticast(false);
  }
});

/** The node ids `page` has an open link to. */
const linkedTo = (page: Page) =>
  page.evaluate(() =>
    [...window.tabcoin!.p2p.peers.entries()]
      .filter(([, peer]) => peer.state === 'ready')
      .map(([id]) => id)
      .sort(),
  );

test('with the tracker stopped, a new tab on host A links to host B through relayed signaling and syncs', async () => {
  test.setTimeout(180_000);
  net!.isolate(false);
  // Browsers of their own that let the service worker run on http://<server>, so a tab opens
  // with the server down (on plain http:// a LAN page has no service worker, see README).
  const secure = [`--unsafely-treat-insecure-origin-as-secure=${pageUrl}`];
  const [hostA, hostB] = await Promise.all(
    net!.hosts.map((host) =>
      chromium.launch({ executablePath: host.chromium, args: [...CHROMIUM_ARGS, ...secure] }),
    ),
  );
  try {
    const run = Date.now().toString(36);
    const [contextA, contextB] = [await hostA!.newContext(), await hostB!.newContext()];
    const open = async (context: BrowserContext, name: string) => {
      const page = await context.newPage();
      await page.goto(`${pageUrl}/?network=regtest&node=${name}-${run}`);
      await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
      return page;
    };
    const a1 = await open(contextA, 'a1');
    const [b1, b2] = [await open(contextB, 'b1'), await open(contextB, 'b2')];
    await a1.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 30_000,
    });
    for (const page of [a1, b1, b2])
      await expect(field(page, 'Peers')).toHaveText('2', { timeout: 30_000 });
    await mine(b1, 3);
    await agreeOn([a1, b1, b2], 3);

    await stopServer(); // tracker, page server and coturn all gone
    for (const page of [a1, b1, b2])
      await expect(page.getByText('Tracker unreachable, retrying.')).toBeVisible({
        timeout: 15_000,
      });
    const a2 = await open(contextA, 'a2'); // the page from the service worker's cache
    // BroadcastChannel reaches a1 only (same browser); b1 and b2 only through a1's links.
    await expect
      .poll(() => linkedTo(a2), { timeout: 60_000 })
      .toEqual([`a1-${run}`, `b1-${run}`, `b2-${run}`].sort());
    const introductions = a2.getByLabel('Link introductions');
    await expect(introductions).toContainText(`by another tab of this browser: a1-${run}`);
    await expect(introductions).toContainText(
      new RegExp(`by a peer \\(relayed signaling\\): b[12]-${run}, b[12]-${run}`),
    );
    await agreeOn([a1, a2, b1, b2], 3);
    await mine(b2, 1);
    await agreeOn([a1, a2, b1, b2], 4);
  } finally {
    await Promise.all([hostA!.close(), hostB!.close()]);
    pageUrl = await startServer(net!); // for any test after this one
  }
});
