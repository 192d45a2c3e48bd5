/**
 * Issue 19's churn test in real tabs: a node linked to two other tabs sees 300 light peers come
 * and go through the real tracker, each a real RTCPeerConnection from a helper page
 * (tests/helpers/churn-peers.ts, bundled here with Vite). The node stays under its connection
 * budget (counted where connections are created, simple-peer-link.ts), answers only what the
 * budget allows, and keeps its two long-lived links. The in-process version with 20 simulated
 * minutes and flapping peers is tests/integration/churn.test.ts. Measured here: 15 of 300
 * visits answered, 28 connections created by the node in 2 minutes (the rest its own dials),
 * all but 2 of its 30 garbage-collected; the helper page created 300, the browser collected 274.
 */
import { expect, test, type Page } from '@playwright/test';
import { build, type Rollup } from 'vite';
import { DEFAULT_BUDGET } from '../../client/net/connection-budget.js';

const run = Date.now().toString(36);
const VISITS = 300;

async function open(page: Page, name: string): Promise<Page> {
  await page.goto(`/?network=regtest&node=${name}-${run}`);
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
  return page;
}

/** The light peers' code as one browser script. */
async function bundle(): Promise<string> {
  const result = (await build({
    configFile: false,
    logLevel: 'warn',
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: false,
      lib: { entry: 'tests/helpers/churn-peers.ts', formats: ['iife'], name: 'churnPeersBundle' },
    },
  })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
  return [result].flat()[0]!.output[0].code;
}

const linkTimes = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(window.tabcoin!.p2p.peerStats().map((p) => [p.id, p.connectedAt])),
  );
const budgetOf = (page: Page) => page.evaluate(() => window.tabcoin!.mesh.status().budget);

test('a tab that sees 300 peers come and go stays under its budget and keeps its links', async ({
  context,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const code = await bundle();
  const node = await open(await context.newPage(), 'churn-node');
  await open(await context.newPage(), 'churn-b');
  await open(await context.newPage(), 'churn-c');
  await expect(node.getByLabel('Peers', { exact: true })).toHaveText('2', { timeout: 30_000 });
  const before = await budgetOf(node);
  const links = await linkTimes(node);
  const helper = await context.newPage();
  helper.on('pageerror', (e) => console.log('helper page error:', e.message));
  await helper.goto('/healthz');
  await helper.addScriptTag({ content: code });
  const network = await node.evaluate(() => window.tabcoin!.params.genesisId);
  const started = Date.now();
  // Ids that sort before the node's: their offer wins a simultaneous dial (mesh.ts).
  const results = await helper.evaluate(
    ([trackerUrl, network, target, count]) =>
      window.churnPeers!.churn(
        { trackerUrl, network, target, holdMs: 300, timeoutMs: 3_000 },
        '0churn-',
        count,
        10,
      ),
    [baseURL!, network, `churn-node-${run}`, VISITS] as const,
  );
  const minutes = Math.ceil((Date.now() - started) / 60_000);
  const after = await budgetOf(node);
  const made = after.created - before.created;
  console.log(
    `churn: ${JSON.stringify(results)} in ${minutes} min; node created ${made} connections ` +
      `(${after.created} in all, ${after.uncollected} not yet collected); helper page held ` +
      `${JSON.stringify(await helper.evaluate(() => window.churnPeers!.peerConnections))}`,
  );
  expect(results['no-tracker']).toBe(0);
  expect(results.linked + results.unanswered).toBe(VISITS);
  // Some were answered, the rest refused by the budget's rate: never all 300.
  expect(results.linked).toBeGreaterThan(0);
  expect(results.unanswered).toBeGreaterThan(0);
  expect(made).toBeLessThanOrEqual(DEFAULT_BUDGET.burst + DEFAULT_BUDGET.perMinute * minutes);
  expect(after.level).toBe('ok');
  expect(after.refused['rate-limited']).toBeGreaterThan(0);
  // The two long-lived links were never dropped or replaced.
  const now = await linkTimes(node);
  for (const [id, at] of Object.entries(links)) expect(now[id]).toBe(at);
  await expect(node.getByLabel('Connection budget')).toContainText(
    `WebRTC connections: ${after.created} created`,
  );
});
