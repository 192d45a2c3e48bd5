/**
 * Scale-out: two tracker processes' worth of instances sharing rooms through a real Redis. A
 * peer on instance A receives a signal from a peer on instance B. Needs Debian's redis-server:
 * CI installs it and must run this; elsewhere it is skipped with a note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalDelivery } from '../../core/wire/signal.js';
import { startTracker, type Tracker } from '../../tracker/server.js';
import { redisServerPath, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { NET_A, closeAll, connect, join, next, refused } from '../helpers/tracker-client.js';

const binary = redisServerPath();
if (!binary) {
  if (process.env.CI)
    throw new Error('redis-server is required in CI: apt-get install -y redis-server');
  console.warn(
    'Skipping the Redis scale-out test: install redis-server (apt-get install -y redis-server).',
  );
}

describe.skipIf(!binary)('two trackers sharing rooms through Redis', () => {
  let redis: RedisServer;
  let a: Tracker;
  let b: Tracker;

  beforeAll(async () => {
    redis = await startRedis(binary!);
    // One ORIGIN_SECRET for the cluster: both instances tag an address the same way.
    const originSecret = new TextEncoder().encode('cluster secret');
    a = await startTracker({ port: 0, host: '127.0.0.1', redisUrl: redis.url, originSecret });
    b = await startTracker({ port: 0, host: '127.0.0.1', redisUrl: redis.url, originSecret });
  });

  afterAll(async () => {
    closeAll();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('introduces, relays, replaces and announces leaves across instances', async () => {
    const alice = await connect(a.url);
    const bob = await connect(b.url);
    expect(await join(alice, NET_A, 'alice')).toEqual([]);
    const heard = next(alice, 'peer-joined');
    expect(await join(bob, NET_A, 'bob')).toEqual(['alice']); // room membership spans instances
    expect(await heard).toEqual({ nodeId: 'bob' });

    const received = next<SignalDelivery>(alice, 'signal');
    bob.emit('signal', { to: 'alice', data: { type: 'offer', sdp: 'v=0' } });
    const fromB = await received;
    expect(fromB).toEqual({
      from: 'bob',
      data: { type: 'offer', sdp: 'v=0' },
      origin: expect.any(String),
    });

    const answered = next<SignalDelivery>(bob, 'signal');
    alice.emit('signal', { to: 'bob', data: 'answer' });
    const fromA = await answered;
    expect(fromA).toEqual({ from: 'alice', data: 'answer', origin: expect.any(String) });
    expect(fromA.origin).toBe(fromB.origin); // same machine, different instances: one origin

    // bob reconnects through instance A: the old connection on B is replaced.
    const replaced = next(bob, 'replaced');
    const bob2 = await connect(a.url);
    expect(await join(bob2, NET_A, 'bob')).toEqual(['alice']);
    await replaced;

    expect((await refused(alice, 'signal', { to: 'nobody', data: 1 })).code).toBe('unknown-peer');
    const left = next(bob2, 'peer-left');
    const toBob2 = next<SignalDelivery>(bob2, 'signal');
    alice.emit('signal', { to: 'bob', data: 'still there?' });
    expect(await toBob2).toEqual({ from: 'alice', data: 'still there?', origin: fromA.origin });
    bob2.emit('signal', { to: 'alice', data: 'yes' });
    alice.close();
    expect(await left).toEqual({ nodeId: 'alice' });
  });
});
