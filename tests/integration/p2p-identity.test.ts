/**
 * Identity has a cost, at the node (client/net/admission.ts): once a peer is banned, new links
 * from its origin (the tracker's tag for its address) are admitted at most 3 at once and 3 a
 * minute, whatever node ids they use; other origins, and every origin without a ban, are not
 * throttled at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ORIGIN_LINKS_BURST, ORIGIN_LINKS_PER_MINUTE } from '../../client/net/admission.js';
import { DEFAULT_BAN_MS } from '../../client/net/bans.js';
import type { RefusedEvent } from '../../client/net/p2p.js';
import { LOCAL } from '../../client/net/p2p-types.js';
import { clock, makeNode, rawPeer, stopAll, type TestNode } from '../helpers/net.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

async function victimNode(): Promise<TestNode> {
  const n = await makeNode('victim', { maxPeers: 64 });
  nodes.push(n);
  return n;
}

/** Link `name` from `origin` and get it banned (a malformed message); resolves once banned. */
async function banned(victim: TestNode, name: string, origin: string): Promise<void> {
  const raw = rawPeer(victim, name, origin);
  expect(raw.admitted).toBe(true);
  await raw.ready;
  await expect.poll(() => victim.p2p.peers.get(name)?.state).toBe('ready');
  raw.peer.link.send(Uint8Array.of(0, 0xee)); // unknown message type: consensus, 100 points
  await expect.poll(() => victim.p2p.bans.get(name, clock.ms)).toBeDefined();
}

/** How many of `count` fresh ids from `origin` the victim admits now. */
function rejoin(victim: TestNode, origin: string, prefix: string, count: number): number {
  let admitted = 0;
  for (let i = 0; i < count; i++)
    if (rawPeer(victim, `${prefix}-${i}`, origin).admitted) admitted++;
  return admitted;
}

describe('rejoining under new ids', () => {
  it('a banned attacker gets at most a few new links a minute from its origin', async () => {
    const victim = await victimNode();
    const refused: RefusedEvent[] = [];
    victim.p2p.on('refused', (r) => r.kind === 'link' && refused.push(r));
    await banned(victim, 'evil', 'attacker-machine');

    expect(rejoin(victim, 'attacker-machine', 'evil-a', 20)).toBe(ORIGIN_LINKS_BURST);
    expect(refused).toHaveLength(20 - ORIGIN_LINKS_BURST);
    expect(refused.every((r) => r.reason === 'origin-throttled' && r.score === 0)).toBe(true);
    expect(victim.p2p.refusesLink('evil-next', 'attacker-machine')).toBe('origin-throttled');

    clock.ms += 60_000 / ORIGIN_LINKS_PER_MINUTE; // one more token
    expect(rejoin(victim, 'attacker-machine', 'evil-b', 5)).toBe(1);
    // Over ten minutes of trying, about three a minute: the ban keeps most of them out.
    let total = 0;
    for (let minute = 0; minute < 10; minute++) {
      clock.ms += 60_000;
      total += rejoin(victim, 'attacker-machine', `evil-m${minute}`, 30);
    }
    expect(total).toBe(10 * ORIGIN_LINKS_PER_MINUTE);
  });

  it('does not throttle other origins, nor the origin once its ban has expired', async () => {
    const victim = await victimNode();
    await banned(victim, 'evil', 'attacker-machine');
    expect(rejoin(victim, 'attacker-machine', 'evil-a', 10)).toBe(ORIGIN_LINKS_BURST);
    expect(rejoin(victim, 'other-machine', 'honest', 30)).toBe(30);
    clock.ms += DEFAULT_BAN_MS + 1;
    expect(rejoin(victim, 'attacker-machine', 'reformed', 10)).toBe(10);
  });
});

describe('the reserved node id', () => {
  it('a peer calling itself "local" is refused: its blocks would pass for our own', async () => {
    const victim = await victimNode();
    expect(victim.p2p.refusesLink(LOCAL, 'somewhere')).toMatch(/reserved/);
    const raw = rawPeer(victim, LOCAL, 'somewhere');
    expect(raw.admitted).toBe(false);
    expect(victim.p2p.peers.has(LOCAL)).toBe(false);
    // Any other id from the same origin is welcome.
    expect(rawPeer(victim, 'locale', 'somewhere').admitted).toBe(true);
  });
});

describe('a classroom on one machine', () => {
  it('links 60 tabs from one origin without delay while nobody from it is banned', async () => {
    const victim = await victimNode();
    expect(rejoin(victim, 'classroom', 'tab', 60)).toBe(60);
  });
});
