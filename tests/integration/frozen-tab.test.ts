/**
 * A tab the browser froze (or a laptop that slept) wakes with its peers' answers still queued
 * behind its first timer tick. Measured in Chromium 156: a data channel survives a 45 s freeze
 * and delivers what was sent meanwhile on resume. The node must not close such links as dead
 * on that first tick; a peer that really went silent is still closed, `timeoutMs` later.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { clock, makeNode, stopAll, type TestNode } from '../helpers/net.js';

const PING_TIMEOUT_MS = 30_000;
const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** `a` linked to `b`; `fromB` is b's side, whose frames to `a` can be held. */
async function pair() {
  const a = await makeNode('sleeper', { pingTimeoutMs: PING_TIMEOUT_MS });
  const b = await makeNode('awake');
  nodes.push(a, b);
  const [toB, fromB] = memoryLinkPair('sleeper', 'awake');
  a.p2p.addLink(toB);
  b.p2p.addLink(fromB);
  await expect.poll(() => a.p2p.peerStats()[0]?.state).toBe('ready');
  return { a, b, fromB };
}

describe('a tab woken from a freeze', () => {
  it('keeps a link whose pong was queued behind its first tick', async () => {
    const { a, fromB } = await pair();
    a.p2p.tick(); // pings b
    fromB.stallDelivery(); // b answers, but the answer waits (a is frozen)
    await flush();
    expect(a.p2p.peerStats()[0]!.rttMs).toBeUndefined();
    clock.ms += 45_000; // the freeze
    a.p2p.tick(); // the first task after resume: the pong is still queued
    expect(a.p2p.peerStats().map((p) => p.id)).toEqual(['awake']);
    fromB.resumeDelivery();
    await expect.poll(() => a.p2p.peerStats()[0]?.rttMs).toBeDefined();
    for (let s = 0; s < 60; s++) {
      clock.ms += 1000;
      a.p2p.tick();
      await flush();
    }
    expect(a.p2p.peerStats().map((p) => p.id)).toEqual(['awake']);
    expect(a.p2p.wake.wakes).toBe(1);
    expect(a.p2p.wake.longestGapMs).toBe(45_000);
  });

  it('still closes a peer that stays silent, once the grace is over', async () => {
    const { a, fromB } = await pair();
    a.p2p.tick();
    fromB.stallDelivery(); // b never answers again
    clock.ms += 45_000;
    a.p2p.tick();
    let closedAfter: number | undefined;
    for (let s = 1; s <= 60 && closedAfter === undefined; s++) {
      clock.ms += 1000;
      a.p2p.tick();
      if (a.p2p.peerStats().length === 0) closedAfter = s;
    }
    // Its ping counts from the wake: closed once the ping timeout has passed since.
    expect(closedAfter).toBe(PING_TIMEOUT_MS / 1000 + 1);
  });

  it('a tab whose ticks come every second (hidden, throttled) gets no reprieve', async () => {
    const { a, fromB } = await pair();
    a.p2p.tick();
    fromB.stallDelivery();
    let closedAfter: number | undefined;
    for (let s = 1; s <= 60 && closedAfter === undefined; s++) {
      clock.ms += 1000;
      a.p2p.tick();
      if (a.p2p.peerStats().length === 0) closedAfter = s;
    }
    expect(closedAfter).toBe(PING_TIMEOUT_MS / 1000 + 1);
    expect(a.p2p.wake.wakes).toBe(0);
  });
});
