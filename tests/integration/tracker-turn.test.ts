/**
 * A tracker with TURN_URL/TURN_SECRET hands each node its own short-lived TURN credentials, and
 * the node's tracker client and mesh put them into every new connection attempt.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Mesh } from '../../client/net/mesh.js';
import { TrackerClient } from '../../client/net/tracker-client.js';
import type { PeersAnswer } from '../../core/wire/signal.js';
import { startTracker, type Tracker } from '../../tracker/server.js';
import { NET_A, closeAll, connect } from '../helpers/tracker-client.js';

let tracker: Tracker | undefined;

afterEach(async () => {
  closeAll();
  await tracker?.close();
});

const hmacOf = (secret: string, text: string) =>
  createHmac('sha1', secret).update(text).digest('base64');

describe('tracker-issued TURN credentials', () => {
  it('answers join and peers with the TURN server and credentials for that node', async () => {
    let clock = 1_700_000_000_000;
    tracker = await startTracker({
      port: 0,
      host: '127.0.0.1',
      now: () => clock,
      turn: { urls: ['turn:192.0.2.7:3478'], secret: 'classroom', ttlSeconds: 1200 },
    });
    const alice = await connect(tracker.url);
    const joined = (await alice.emitWithAck('join', {
      network: NET_A,
      nodeId: 'alice',
    })) as PeersAnswer;
    expect(joined.peers).toEqual([]);
    expect(joined.iceServers).toEqual([
      {
        urls: ['turn:192.0.2.7:3478'],
        username: '1700001200:alice',
        credential: hmacOf('classroom', '1700001200:alice'),
      },
    ]);
    clock += 60_000; // a later answer carries a fresh expiry
    const again = (await alice.emitWithAck('peers', { exclude: [] })) as PeersAnswer;
    expect(again.iceServers?.[0]?.username).toBe('1700001260:alice');
    expect(again.iceServers?.[0]?.credential).toBe(hmacOf('classroom', '1700001260:alice'));
  });

  it('adds nothing to answers when no TURN server is configured', async () => {
    tracker = await startTracker({ port: 0, host: '127.0.0.1' });
    const bob = await connect(tracker.url);
    const joined = (await bob.emitWithAck('join', {
      network: NET_A,
      nodeId: 'bob',
    })) as PeersAnswer;
    expect(joined).toEqual({ peers: [], room: 1 }); // no iceServers field
  });
});

describe('the browser node side', () => {
  it("hands the tracker's TURN credentials to every new connection attempt", async () => {
    const clock = 1_700_000_000_000;
    tracker = await startTracker({
      port: 0,
      host: '127.0.0.1',
      now: () => clock,
      turn: { urls: ['turn:192.0.2.7:3478'], secret: 'classroom', ttlSeconds: 600 },
    });
    const bob = await connect(tracker.url);
    await bob.emitWithAck('join', { network: NET_A, nodeId: 'bob' });
    const client = new TrackerClient(tracker.url, NET_A, 'alice');
    const attempts: RTCIceServer[][] = [];
    const mesh = new Mesh({
      p2p: {
        nodeId: 'alice',
        peers: new Map(),
        bans: { get: () => undefined },
        maxPeers: 16,
        addLink: () => undefined,
        on: () => () => undefined,
      } as never,
      tracker: client,
      iceServers: [{ urls: 'stun:192.0.2.8:3478' }],
      connect: (options) => {
        attempts.push(options.iceServers);
        return {
          ready: new Promise(() => undefined),
          signal: () => undefined,
          progress: () => ({ stage: 'signaling', local: {}, remote: {} }) as never,
          destroy: () => undefined,
        };
      },
    });
    try {
      await expect.poll(() => attempts.length).toBe(1); // alice joined and dialled bob
      expect(attempts[0]).toEqual([
        { urls: 'stun:192.0.2.8:3478' },
        {
          urls: ['turn:192.0.2.7:3478'],
          username: '1700000600:alice',
          credential: hmacOf('classroom', '1700000600:alice'),
        },
      ]);
    } finally {
      mesh.stop();
      client.close();
    }
  });
});
