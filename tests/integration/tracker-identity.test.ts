/**
 * Identity has a cost, at the tracker: joins are rate-limited per client address group, and
 * every relayed signal carries the sender's origin tag (the same for every node id from one
 * address, opaque, different for other addresses). A classroom of 60 tabs on one machine joins
 * within the burst.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalDelivery } from '../../core/wire/signal.js';
import { TrackerClient } from '../../client/net/tracker-client.js';
import { addressGroup, clientAddress, originTag } from '../../tracker/origin.js';
import { startTracker, type Tracker } from '../../tracker/server.js';
import {
  NET_A,
  closeAll,
  connect,
  join,
  next,
  refused,
  seeded,
} from '../helpers/tracker-client.js';

let tracker: Tracker | undefined;
let clock = 1_000_000;

afterEach(async () => {
  closeAll();
  await tracker?.close();
  tracker = undefined;
});

async function start(options: Parameters<typeof startTracker>[0] = {}): Promise<Tracker> {
  clock = 1_000_000;
  tracker = await startTracker({
    port: 0,
    host: '127.0.0.1',
    random: seeded(3),
    now: () => clock,
    ...options,
  });
  return tracker;
}

describe('joins per address', () => {
  it('lets a classroom of 60 tabs on one machine join at once', async () => {
    const t = await start();
    const sockets = await Promise.all(Array.from({ length: 60 }, () => connect(t.url)));
    const answers = await Promise.all(sockets.map((s, i) => join(s, NET_A, `tab${i}`)));
    expect(answers.every((peers) => Array.isArray(peers))).toBe(true);
    const last = await connect(t.url);
    expect(await join(last, NET_A, 'tab60')).toHaveLength(8);
  });

  it('refuses joins past the burst with too-many-joins, then allows the refill rate', async () => {
    const t = await start({ joinRate: { perMinute: 6, burst: 5 } });
    for (let i = 0; i < 5; i++) await join(await connect(t.url), NET_A, `sybil${i}`);
    const sixth = await connect(t.url);
    const error = await refused(sixth, 'join', { network: NET_A, nodeId: 'sybil5' });
    expect(error.code).toBe('too-many-joins');
    clock += 10_000; // one join per 10 s
    expect(await join(sixth, NET_A, 'sybil5')).toHaveLength(5);
    const again = await connect(t.url);
    expect((await refused(again, 'join', { network: NET_A, nodeId: 'sybil6' })).code).toBe(
      'too-many-joins',
    );
  });

  it('counts addresses behind a trusted proxy separately', async () => {
    const t = await start({ joinRate: { perMinute: 1, burst: 1 }, trustProxy: true });
    const a = await connect(t.url, { 'x-forwarded-for': '203.0.113.7' });
    const b = await connect(t.url, { 'x-forwarded-for': '198.51.100.1, 203.0.113.8' });
    expect(await join(a, NET_A, 'a')).toEqual([]);
    expect(await join(b, NET_A, 'b')).toEqual(['a']);
    const c = await connect(t.url, { 'x-forwarded-for': '203.0.113.7' });
    expect((await refused(c, 'join', { network: NET_A, nodeId: 'c' })).code).toBe('too-many-joins');
  });
});

describe('origin tags', () => {
  it('tags every relayed signal with the same opaque origin per address', async () => {
    const t = await start({ trustProxy: true });
    const victim = await connect(t.url, { 'x-forwarded-for': '192.0.2.1' });
    await join(victim, NET_A, 'victim');
    const got: SignalDelivery[] = [];
    victim.on('signal', (s: SignalDelivery) => got.push(s));
    const sybils = await Promise.all(
      [1, 2].map(() => connect(t.url, { 'x-forwarded-for': '203.0.113.9' })),
    );
    const other = await connect(t.url, { 'x-forwarded-for': '198.51.100.4' });
    await join(sybils[0]!, NET_A, 'sybil-a');
    await join(sybils[1]!, NET_A, 'sybil-b');
    await join(other, NET_A, 'other');
    const arrived = next(victim, 'signal');
    sybils[0]!.emit('signal', { to: 'victim', data: 1 });
    await arrived;
    sybils[1]!.emit('signal', { to: 'victim', data: 2 });
    other.emit('signal', { to: 'victim', data: 3 });
    await expect.poll(() => got.length).toBe(3);
    const [a, b, c] = got.map((s) => s.origin);
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(b).toBe(a); // a new node id from the same address: the same origin
    expect(c).not.toBe(a);
    expect(JSON.stringify(got)).not.toContain('203.0.113.9'); // the address is not revealed
  });
});

describe('address groups', () => {
  it('groups IPv6 addresses by /64 and unwraps IPv4-mapped ones', () => {
    expect(addressGroup('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8:1:2:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('::ffff:192.0.2.5')).toBe('192.0.2.5');
    expect(addressGroup('192.0.2.5')).toBe('192.0.2.5');
    expect(clientAddress('10.0.0.1', '1.2.3.4, 5.6.7.8', false)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '1.2.3.4, 5.6.7.8', true)).toBe('5.6.7.8');
    const key = new Uint8Array(32);
    expect(originTag(key, '2001:db8:1:2::/64')).toBe(
      originTag(key, addressGroup('2001:db8:1:2:9::9')),
    );
    expect(originTag(key, 'x')).not.toBe(originTag(new Uint8Array(32).fill(1), 'x'));
  });
});

describe('the node side', () => {
  it('a tab refused for too many joins joins by itself once the tracker refills', async () => {
    const t = await start({ joinRate: { perMinute: 6, burst: 1 } });
    const first = new TrackerClient(t.url, NET_A, 'first', 50);
    const late = new TrackerClient(t.url, NET_A, 'late', 50);
    try {
      const introduced: string[][] = [];
      const errors: string[] = [];
      first.on('introduced', (peers) => introduced.push(peers));
      await expect.poll(() => introduced).toEqual([[]]);
      late.on('introduced', (peers) => introduced.push(peers));
      late.on('error', (e) => errors.push(e.code));
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      expect(new Set(errors)).toEqual(new Set(['too-many-joins']));
      expect(introduced).toEqual([[]]); // still refused, retrying
      clock += 10_000; // one join's worth
      await expect.poll(() => introduced).toEqual([[], ['first']]);
    } finally {
      first.close();
      late.close();
    }
  });
});
