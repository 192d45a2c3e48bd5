/**
 * Keepalive across a frozen or sleeping tab, with an injected clock: which tick gaps count as a
 * wake, and the reprieve each link gets (at most one per five minutes).
 */
import { describe, expect, it } from 'vitest';
import { WakeDetector, checkLinks, type KeepaliveOptions } from '../../../client/net/keepalive.js';
import type { Peer } from '../../../client/net/peer.js';

const options = (wake: WakeDetector): KeepaliveOptions => ({
  intervalMs: 10_000,
  timeoutMs: 30_000,
  isStalled: (peer, now) => [...peer.inFlight.values()].some((at) => now - at > 20_000),
  random: () => 0.5,
  wake,
});

/** A ready peer as checkLinks sees it: ping state, blocks in flight, closed or not. */
function fakePeer() {
  const peer = {
    state: 'ready',
    connectedAt: 0,
    pingNonce: undefined as bigint | undefined,
    pingSentAt: 0,
    inFlight: new Map<string, number>(),
    sent: [] as unknown[],
    closed: undefined as string | undefined,
    send: (m: unknown) => void peer.sent.push(m),
    close: (reason: string) => void (peer.closed = reason),
  };
  return peer;
}

describe('WakeDetector', () => {
  it('counts a tick over 5 s late, or the first after `resume`, as a wake; 1 s ticks never', () => {
    const wake = new WakeDetector();
    for (let t = 0; t < 600_000; t += 1000) expect(wake.tick(t)).toBe(false);
    expect(wake.tick(604_000)).toBe(false); // 5 s exactly is no gap
    expect(wake.tick(609_001)).toBe(true);
    wake.resume();
    expect(wake.tick(610_001)).toBe(true);
    expect(wake.tick(611_001)).toBe(false);
    expect(wake.wakes).toBe(2);
    expect(wake.longestGapMs).toBe(5_001);
  });

  it('gives a peer at most one reprieve per five minutes', () => {
    const wake = new WakeDetector();
    const peer = fakePeer() as unknown as Peer;
    expect(wake.reprieve(peer, 0)).toBe(true);
    expect(wake.reprieve(peer, 299_999)).toBe(false);
    expect(wake.reprieve(peer, 300_000)).toBe(true);
  });
});

describe('checkLinks after a wake', () => {
  it('restarts an outstanding ping and block requests instead of closing the link', () => {
    const wake = new WakeDetector();
    const peer = fakePeer();
    checkLinks([peer as unknown as Peer], 10_000, options(wake)); // sends a ping
    expect(peer.pingNonce).toBeDefined();
    peer.inFlight.set('block', 10_000);
    // Frozen for 45 s: the ping and the request look 45 s old on the first tick.
    checkLinks([peer as unknown as Peer], 55_000, options(wake));
    expect(peer.closed).toBeUndefined();
    expect(peer.pingSentAt).toBe(55_000);
    expect(peer.inFlight.get('block')).toBe(55_000);
    // Nothing arrives after all: judged on the restarted deadlines.
    for (let t = 56_000; t <= 75_000; t += 1000)
      checkLinks([peer as unknown as Peer], t, options(wake));
    expect(peer.closed).toBeUndefined();
    checkLinks([peer as unknown as Peer], 76_000, options(wake));
    expect(peer.closed).toBe('stalled: blocks requested but not delivered');
  });

  it('under once-a-minute ticks, a dead link is still closed (one reprieve, then judged)', () => {
    const wake = new WakeDetector();
    const peer = fakePeer();
    checkLinks([peer as unknown as Peer], 0, options(wake));
    const closedAt: number[] = [];
    for (let t = 60_000; t <= 300_000 && !peer.closed; t += 60_000) {
      checkLinks([peer as unknown as Peer], t, options(wake));
      if (peer.closed) closedAt.push(t);
    }
    expect(peer.closed).toBe('ping timeout');
    expect(closedAt).toEqual([120_000]);
  });
});
