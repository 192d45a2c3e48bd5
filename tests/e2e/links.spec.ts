/**
 * ICE settings and failed links in real tabs: a `turn:` server with credentials reaches every
 * RTCPeerConnection; a bare one is reported and dropped, and the tab still links directly; a
 * tab whose ICE can never complete sees the failed attempt, its stage and cause, in the event
 * log and the peers panel.
 */
import { expect, test, type Page } from '@playwright/test';

const run = `${Date.now().toString(36)}`;
const url = (name: string, extra = '') => `/?network=regtest&node=${name}-${run}${extra}`;
const peers = (page: Page) => page.getByLabel('Peers', { exact: true });

async function open(page: Page, name: string, extra = ''): Promise<Page> {
  await page.goto(url(name, extra));
  await expect(page.getByLabel('Node id')).toHaveText(`${name}-${run}`);
  return page;
}

/** Record the configuration of every RTCPeerConnection the page creates. */
async function recordConfigs(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    const seen: RTCConfiguration[] = [];
    (window as unknown as { pcConfigs: RTCConfiguration[] }).pcConfigs = seen;
    window.RTCPeerConnection = class extends Original {
      constructor(config?: RTCConfiguration) {
        seen.push(JSON.parse(JSON.stringify(config ?? {})));
        super(config);
      }
    };
  });
}

const configs = (page: Page) =>
  page.evaluate(() => (window as unknown as { pcConfigs: RTCConfiguration[] }).pcConfigs);

test('a turn: server with credentials reaches the RTCPeerConnection configuration', async ({
  context,
}) => {
  const carol = await context.newPage();
  await recordConfigs(carol);
  await open(carol, 'carol', '&turn=turn:127.0.0.1:9&turnUser=class&turnPass=s3cret');
  const dave = await open(await context.newPage(), 'dave');
  await expect(peers(carol)).toHaveText('1', { timeout: 30_000 });
  await expect(peers(dave)).toHaveText('1');
  await expect(dave.getByLabel('Link routes')).toContainText('1 direct, 0 relayed through TURN');
  const turn = { urls: 'turn:127.0.0.1:9', username: 'class', credential: 's3cret' };
  // The start-up check and the link's own connection both carry it.
  const withTurn = (await configs(carol)).filter((c) =>
    c.iceServers?.some((s) => JSON.stringify(s) === JSON.stringify(turn)),
  );
  expect(withTurn.length).toBeGreaterThanOrEqual(2);
  await expect(carol.getByText('ICE setting:')).toHaveCount(0);
});

test('a bare turn: URL is reported and dropped, and the tab still links directly', async ({
  context,
}) => {
  const alice = await context.newPage();
  await recordConfigs(alice);
  await open(alice, 'alice', '&turn=turn:127.0.0.1:3478');
  const bob = await open(await context.newPage(), 'bob');
  const notice = alice.getByRole('status').filter({ hasText: 'ICE setting:' });
  await expect(notice).toContainText('TURN server turn:127.0.0.1:3478 has no username');
  await expect(
    alice.locator('tc-event-log li.notice', { hasText: 'turn:127.0.0.1:3478' }),
  ).toHaveCount(1);
  await expect(peers(alice)).toHaveText('1', { timeout: 30_000 });
  await expect(peers(bob)).toHaveText('1');
  expect(JSON.stringify(await configs(alice))).not.toContain('3478');
});

test('a link whose ICE never completes is shown with its peer, stage and cause', async ({
  context,
}) => {
  const eve = await context.newPage();
  // Eve's browser neither shares nor uses network addresses: ICE can never find a pair.
  await eve.addInitScript(() => {
    const proto = RTCPeerConnection.prototype;
    proto.addIceCandidate = () => Promise.resolve();
    Object.defineProperty(proto, 'onicecandidate', { set() {}, get: () => null });
    const local = Object.getOwnPropertyDescriptor(proto, 'localDescription')!;
    Object.defineProperty(proto, 'localDescription', {
      get() {
        const d = local.get!.call(this) as RTCSessionDescription | null;
        return d && { type: d.type, sdp: d.sdp.replace(/a=candidate:.*\r\n/g, '') };
      },
    });
  });
  await open(eve, 'eve');
  // Alone on the tracker: the panel says so, and only then.
  await expect(eve.getByLabel('Link status')).toHaveText(
    'No peers yet: open this page in another tab.',
  );
  const frank = await open(await context.newPage(), 'frank');
  const status = frank.getByLabel('Link status');
  await expect(status).toContainText('1 node known, 0 links: connecting to 1', { timeout: 10_000 });
  // The attempt times out after 15 s.
  const entry = frank.locator('tc-event-log li.link', { hasText: `link to eve-${run}` });
  await expect(entry).toContainText(/timed out at ICE (checking|failed)/, { timeout: 30_000 });
  await expect(entry).toContainText('the peer sent no network addresses');
  await expect(status).toContainText(`1 attempt failed; latest, eve-${run} at ICE`);
  await expect(
    frank.getByRole('table', { name: 'Link attempts' }).getByRole('row', { name: /eve-/ }),
  ).toContainText('timed out');
  await expect(eve.getByLabel('Link status')).toContainText('1 node known, 0 links');
  await expect(peers(frank)).toHaveText('0');
});
