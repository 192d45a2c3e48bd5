/**
 * A tab's clock is the wall clock (Date.now), which can step back when the machine resyncs its
 * time. Rate limits measured on it must not then refuse honest peers: a message limit that
 * counted the step as negative time refused every message for an hour and banned the peer.
 */
import { afterEach, expect, it } from 'vitest';
import type { RefusedEvent } from '../../client/net/p2p.js';
import { clock, makeNode, rawPeer, receivedOf, stopAll, type TestNode } from '../helpers/net.js';

const nodes: TestNode[] = [];
const saved = clock.ms;
afterEach(() => {
  stopAll(nodes.splice(0));
  clock.ms = saved;
});

it('a clock set back an hour: a peer’s messages are still taken, none refused', async () => {
  const a = await makeNode('a');
  nodes.push(a);
  const refused: RefusedEvent[] = [];
  a.p2p.on('refused', (event) => refused.push(event));
  const raw = rawPeer(a, 'r');
  await raw.ready;
  await expect.poll(() => a.p2p.peers.get('r')?.state).toBe('ready');
  clock.ms -= 3_600_000;
  for (let nonce = 1n; nonce <= 5n; nonce++) raw.peer.send({ type: 'ping', nonce });
  await expect.poll(() => receivedOf(raw, 'pong').length).toBe(5);
  expect(refused).toEqual([]);
  expect(a.p2p.peers.get('r')?.state).toBe('ready');
});
