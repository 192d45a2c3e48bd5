/** The tracker over real socket.io-client connections: join, subsets, relay, rejoin, leave, bad input. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SIGNAL_BYTES, type SignalDelivery } from '../../core/wire/signal.js';
import { startTracker, type Tracker } from '../../tracker/server.js';
import {
  NET_A,
  NET_B,
  closeAll,
  connect,
  join,
  next,
  refused,
  seeded,
} from '../helpers/tracker-client.js';

let tracker: Tracker;
let clock = 0;

beforeEach(async () => {
  clock = 1_000_000;
  tracker = await startTracker({
    port: 0,
    host: '127.0.0.1',
    random: seeded(7),
    now: () => clock,
    rateLimit: { perSecond: 20, burst: 30 },
  });
});

afterEach(async () => {
  closeAll();
  await tracker.close();
});

describe('join and subsets', () => {
  it('introduces a newcomer to the peers already in its network, who hear it joined', async () => {
    const alice = await connect(tracker.url);
    expect(await join(alice, NET_A, 'alice')).toEqual([]);
    const bob = await connect(tracker.url);
    const heard = next(alice, 'peer-joined');
    expect(await join(bob, NET_A, 'bob')).toEqual(['alice']);
    expect(await heard).toEqual({ nodeId: 'bob' });
    const carol = await connect(tracker.url);
    expect(await join(carol, NET_B, 'carol')).toEqual([]); // another network is another room
  });

  it('answers at most 8 distinct other peers, chosen at random', async () => {
    for (let i = 0; i < 12; i++) await join(await connect(tracker.url), NET_A, `p${i}`);
    const me = await connect(tracker.url);
    const peers = await join(me, NET_A, 'me');
    expect(peers).toHaveLength(8);
    expect(new Set(peers).size).toBe(8);
    expect(peers).not.toContain('me');
    const seen = new Set(peers);
    for (let i = 0; i < 10; i++) {
      const answer = (await me.emitWithAck('peers', { exclude: [] })) as { peers: string[] };
      expect(answer.peers).toHaveLength(8);
      answer.peers.forEach((p) => seen.add(p));
    }
    expect(seen.size).toBe(12); // different subsets over time reach everyone
    const excluded = (await me.emitWithAck('peers', {
      exclude: ['p0', 'p1', 'p2', 'p3', 'p4'],
    })) as {
      peers: string[];
    };
    expect(excluded.peers).toHaveLength(7);
    expect(excluded.peers.some((p) => ['p0', 'p1', 'p2', 'p3', 'p4'].includes(p))).toBe(false);
  });
});

describe('relay', () => {
  it('relays a signal to the named peer in the same network only', async () => {
    const [alice, bob, carol, dave] = await Promise.all(
      [1, 2, 3, 4].map(() => connect(tracker.url)),
    );
    await join(alice!, NET_A, 'alice');
    await join(bob!, NET_A, 'bob');
    await join(carol!, NET_B, 'carol');
    await join(dave!, NET_B, 'dave');
    const offer = { type: 'offer', sdp: 'v=0 fake' };
    const received = next<SignalDelivery>(bob!, 'signal');
    alice!.emit('signal', { to: 'bob', data: offer });
    expect(await received).toEqual({ from: 'alice', data: offer, origin: expect.any(String) });

    const carolReceives = next<SignalDelivery>(carol!, 'signal');
    const error = await refused(alice!, 'signal', { to: 'carol', data: offer });
    expect(error.code).toBe('unknown-peer');
    dave!.emit('signal', { to: 'carol', data: 'from dave' });
    expect(await carolReceives).toEqual({
      from: 'dave',
      data: 'from dave',
      origin: expect.any(String),
    }); // alice's never arrived
  });

  it('lets a rejoining node id replace its old connection without announcing a leave', async () => {
    const alice1 = await connect(tracker.url);
    const bob = await connect(tracker.url);
    await join(alice1, NET_A, 'alice');
    await join(bob, NET_A, 'bob');
    bob.emit('signal', { to: 'alice', data: 'hello' });
    await next(alice1, 'signal');
    const replaced = next(alice1, 'replaced');
    const gone = next(alice1, 'disconnect');
    const alice2 = await connect(tracker.url);
    const leftEvents: unknown[] = [];
    bob.on('peer-left', (p) => leftEvents.push(p));
    expect(await join(alice2, NET_A, 'alice')).toEqual(['bob']);
    expect(await replaced).toEqual({ nodeId: 'alice' });
    await gone;
    const delivered = next<SignalDelivery>(alice2, 'signal');
    bob.emit('signal', { to: 'alice', data: 'again' });
    expect(await delivered).toEqual({ from: 'bob', data: 'again', origin: expect.any(String) });
    const bobPeers = (await bob.emitWithAck('peers', {})) as { peers: string[] };
    expect(bobPeers.peers).toEqual(['alice']); // one alice, not two
    expect(leftEvents).toEqual([]);
  });

  it('tells the peers a node exchanged signals with when it leaves', async () => {
    const alice = await connect(tracker.url);
    const bob = await connect(tracker.url);
    await join(alice, NET_A, 'alice');
    await join(bob, NET_A, 'bob');
    alice.emit('signal', { to: 'bob', data: 'x' });
    await next(bob, 'signal');
    const left = next(bob, 'peer-left');
    alice.close();
    expect(await left).toEqual({ nodeId: 'alice' });
    const error = await refused(bob, 'signal', { to: 'alice', data: 'y' });
    expect(error.code).toBe('unknown-peer');
  });
});

describe('bad input', () => {
  it('answers each kind of malformed payload with a clear error and keeps serving', async () => {
    const socket = await connect(tracker.url);
    const cases: [string, unknown[], string][] = [
      ['signal', [{ to: 'bob', data: 1 }], 'not-joined'],
      ['peers', [{}], 'not-joined'],
      ['join', ['not an object'], 'bad-payload'],
      ['join', [{ network: 'main', nodeId: 'x' }], 'bad-network'],
      ['join', [{ network: NET_A.toUpperCase(), nodeId: 'x' }], 'bad-network'],
      ['join', [{ network: NET_A, nodeId: 'has space' }], 'bad-node-id'],
      ['join', [{ network: NET_A, nodeId: 'x'.repeat(65) }], 'bad-node-id'],
      ['join', [{ network: NET_A, nodeId: 42 }], 'bad-node-id'],
      ['launch-missiles', [{}], 'unknown-event'],
    ];
    for (const [event, args, code] of cases) {
      const error = await refused(socket, event, ...args);
      expect([event, error.code]).toEqual([event, code]);
      expect(error.event).toBe(event);
      expect(error.message.length).toBeGreaterThan(5);
    }
    await join(socket, NET_A, 'me');
    const afterJoin: [string, unknown[], string][] = [
      ['join', [{ network: NET_A, nodeId: 'again' }], 'already-joined'],
      ['signal', [{ to: 'bob' }], 'bad-payload'],
      ['signal', [null], 'bad-payload'],
      ['signal', [{ to: '../../etc', data: 1 }], 'bad-node-id'],
      ['signal', [{ to: 'me', data: 1 }], 'self-signal'],
      ['signal', [{ to: 'nobody', data: 1 }], 'unknown-peer'],
      ['signal', [{ to: 'bob', data: 'x'.repeat(MAX_SIGNAL_BYTES) }], 'payload-too-large'],
      ['peers', [{ exclude: 'everyone' }], 'bad-payload'],
      ['peers', [{ exclude: Array.from({ length: 65 }, (_, i) => `n${i}`) }], 'bad-payload'],
    ];
    for (const [event, args, code] of afterJoin) {
      expect([event, (await refused(socket, event, ...args)).code]).toEqual([event, code]);
    }
    // Nothing changed: the room still has exactly one "me", and relaying still works.
    const other = await connect(tracker.url);
    expect(await join(other, NET_A, 'other')).toEqual(['me']);
    const got = next<SignalDelivery>(socket, 'signal');
    other.emit('signal', { to: 'me', data: { ok: true } });
    expect(await got).toEqual({ from: 'other', data: { ok: true }, origin: expect.any(String) });
  });

  it('drops a connection that sends more than maxHttpBufferSize, and serves the others', async () => {
    const big = await connect(tracker.url);
    const closed = next(big, 'disconnect');
    big.emit('signal', { to: 'x', data: 'y'.repeat(200 * 1024) });
    await closed;
    const fine = await connect(tracker.url);
    expect(await join(fine, NET_A, 'fine')).toEqual([]);
  });

  it('rate-limits each socket, tells it once, and recovers as tokens refill', async () => {
    const alice = await connect(tracker.url);
    const bob = await connect(tracker.url);
    await join(alice, NET_A, 'alice');
    await join(bob, NET_A, 'bob');
    const received: unknown[] = [];
    bob.on('signal', (s: SignalDelivery) => received.push(s.data));
    const errors: string[] = [];
    alice.on('tracker-error', (e: { code: string }) => errors.push(e.code));
    for (let i = 0; i < 40; i++) alice.emit('signal', { to: 'bob', data: i });
    const dropped = async () =>
      (await tracker.metrics.rejected.get()).values.find((v) => v.labels.code === 'rate-limited')
        ?.value;
    await expect.poll(dropped).toBe(11); // the server has handled all 40
    clock += 1000; // 20 tokens back
    alice.emit('signal', { to: 'bob', data: 'after' });
    await expect.poll(() => received.includes('after')).toBe(true);
    // Burst 30, minus the join: 29 of the 40 got through, then the rest were dropped.
    expect(received.filter((d) => typeof d === 'number')).toHaveLength(29);
    expect(errors).toEqual(['rate-limited']);
  });

  it('refuses browser connections from other origins', async () => {
    await expect(connect(tracker.url, { origin: 'http://evil.example' })).rejects.toThrow();
    const same = await connect(tracker.url, { origin: tracker.url });
    expect(await join(same, NET_A, 'ok')).toEqual([]);
  });
});

describe('resources', () => {
  it('leaves no rooms or peers behind after many connections come and go', async () => {
    for (let round = 0; round < 5; round++) {
      const sockets = await Promise.all(Array.from({ length: 10 }, () => connect(tracker.url)));
      await Promise.all(sockets.map((s, i) => join(s, NET_A, `r${round}n${i}`)));
      sockets[0]!.emit('signal', { to: `r${round}n1`, data: 'x' });
      await next(sockets[1]!, 'signal');
      closeAll();
    }
    const rooms = tracker.io.of('/').adapter.rooms;
    await expect.poll(() => rooms.size).toBe(0);
    expect(tracker.io.engine.clientsCount).toBe(0);
    expect((await tracker.metrics.peers.get()).values.every((v) => v.value === 0)).toBe(true);
  });
});

describe('HTTP', () => {
  it('serves /healthz and Prometheus /metrics', async () => {
    const health = await fetch(`${tracker.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    const alice = await connect(tracker.url);
    const bob = await connect(tracker.url);
    await join(alice, NET_A, 'alice');
    await join(bob, NET_A, 'bob');
    const got = next(bob, 'signal');
    alice.emit('signal', { to: 'bob', data: 1 });
    await got;
    await refused(alice, 'bogus');
    const text = await (await fetch(`${tracker.url}/metrics`)).text();
    expect(text).toMatch(/^tracker_connections 2$/m);
    expect(text).toContain(`tracker_peers{network="${NET_A}"} 2`);
    expect(text).toMatch(/^tracker_signals_relayed_total 1$/m);
    expect(text).toContain('tracker_payloads_rejected_total{code="unknown-event"} 1');
    expect(text).toContain('process_resident_memory_bytes');
  });
});
