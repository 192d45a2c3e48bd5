/**
 * Introductions over the peers (client/net/peer-exchange.ts, signal-relay.ts; docs/protocol.md
 * "Peer exchange and relayed signaling"): what a peer list holds and how often it is answered,
 * which signals a relay forwards (only its neighbour's own, once, one hop, within its rates),
 * and two meshes with the tracker down that link through a peer they share.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalDelivery, SignalMessage } from '../../core/index.js';
import { Mesh } from '../../client/net/mesh.js';
import {
  PEX_ANSWERS_BURST,
  PEX_ANSWER_TIMEOUT_MS,
  PEX_ASK_INTERVAL_MS,
  PEX_FLOOD_SCORE,
} from '../../client/net/peer-exchange.js';
import type { RefusedEvent } from '../../client/net/p2p.js';
import {
  RELAYED_OFFERS_BURST,
  SIGNALS_BURST,
  SIGNAL_FLOOD_SCORE,
  relayOrigin,
} from '../../client/net/signal-relay.js';
import { downTracker, fakeConnect } from '../helpers/fake-webrtc.js';
import {
  clock,
  link,
  makeNode,
  rawPeer,
  receivedOf,
  stopAll,
  type RawPeer,
  type TestNode,
} from '../helpers/net.js';

const nodes: TestNode[] = [];
const meshes: Mesh[] = [];
afterEach(() => {
  for (const mesh of meshes.splice(0)) mesh.stop();
  stopAll(nodes.splice(0));
});

async function node(name: string): Promise<TestNode> {
  const n = await makeNode(name);
  nodes.push(n);
  return n;
}

const ready = (a: TestNode, b: string) =>
  expect.poll(() => a.p2p.peers.get(b)?.state, { timeout: 5_000 }).toBe('ready');

function refusals(n: TestNode): RefusedEvent[] {
  const out: RefusedEvent[] = [];
  n.p2p.on('refused', (event) => out.push(event));
  return out;
}

function signalsAt(n: TestNode): SignalDelivery[] {
  const out: SignalDelivery[] = [];
  n.p2p.relay.on('signal', (s) => out.push(s));
  return out;
}

let nonce = 0;
const offer = (from: string, to: string, ttl = 1, data = '{"type":"offer","sdp":"x"}') =>
  ({ type: 'signal', from, to, ttl, nonce: ++nonce, data }) as SignalMessage;

/** Raw peer `name` linked to `n`, handshake done, its peer list request answered as `ids`. */
async function neighbour(n: TestNode, name: string, ids: string[] = []): Promise<RawPeer> {
  const raw = rawPeer(n, name);
  await raw.ready;
  await ready(n, name);
  await expect.poll(() => receivedOf(raw, 'getpeers').length).toBe(1);
  raw.peer.send({ type: 'peers', ids });
  return raw;
}

describe('peer exchange', () => {
  it('a node asks each new peer for its peers; the answer names its ready peers but the asker', async () => {
    const [a, r, c, d] = await Promise.all([node('a'), node('r'), node('c'), node('d')]);
    const introduced: string[][] = [];
    a.p2p.relay.on('introduced', (ids) => introduced.push(ids));
    link(r, c);
    link(r, d);
    await ready(r, 'c');
    await ready(r, 'd');
    link(a, r);
    await expect.poll(() => a.p2p.relay.exchange.candidates([]).sort()).toEqual(['c', 'd']);
    expect(introduced.flat().sort()).toEqual(['c', 'd']);
    expect(a.p2p.relay.exchange.relayersOf('c').map((p) => p.id)).toEqual(['r']);
    // The list goes with the link.
    r.p2p.peers.get('a')!.close('test');
    await expect.poll(() => a.p2p.relay.exchange.candidates([])).toEqual([]);
  });

  it('a peer whose link to us closes is struck from the other lists (they may predate it)', async () => {
    const [a, r, c] = await Promise.all([node('a'), node('r'), node('c')]);
    link(r, c);
    await ready(r, 'c');
    link(a, c);
    await ready(a, 'c');
    link(a, r);
    await expect.poll(() => a.p2p.relay.exchange.relayersOf('c').map((p) => p.id)).toEqual(['r']);
    expect(a.p2p.relay.exchange.candidates([])).toEqual([]); // c is our own peer
    a.p2p.peers.get('c')!.close('test');
    await expect.poll(() => a.p2p.peers.has('c')).toBe(false);
    // c left us: not redialled through r's old list (a reloading tab would be a new session).
    expect(a.p2p.relay.exchange.candidates([])).toEqual([]);
    expect(a.p2p.relay.exchange.relayersOf('c')).toEqual([]);
  });

  it(`answers ${PEX_ANSWERS_BURST} getpeers at once, then one a minute; each over costs ${PEX_FLOOD_SCORE} points`, async () => {
    const r = await node('r');
    const refused = refusals(r);
    const raw = await neighbour(r, 'asker');
    for (let i = 0; i < PEX_ANSWERS_BURST + 1; i++) raw.peer.send({ type: 'getpeers' });
    await expect.poll(() => refused.map((e) => e.reason)).toEqual(['getpeers-too-frequent']);
    expect(receivedOf(raw, 'peers')).toHaveLength(PEX_ANSWERS_BURST);
    expect(refused[0]!.score).toBe(PEX_FLOOD_SCORE);
    clock.ms += PEX_ASK_INTERVAL_MS;
    raw.peer.send({ type: 'getpeers' });
    await expect.poll(() => receivedOf(raw, 'peers')).toHaveLength(PEX_ANSWERS_BURST + 1);
  });

  it('asks each peer again once a minute, so its list follows the mesh after the link opened', async () => {
    // Pings never time the hand-driven peer out in this test's minutes.
    const a = await makeNode('a', { pingTimeoutMs: 10 * PEX_ANSWER_TIMEOUT_MS });
    nodes.push(a);
    const introduced: string[][] = [];
    a.p2p.relay.on('introduced', (ids) => introduced.push(ids));
    const raw = await neighbour(a, 'r', ['x']);
    await expect.poll(() => a.p2p.relay.exchange.linksOf('r')).toEqual(['x']);
    expect(introduced).toEqual([['x']]); // the link's first answer introduces
    let pings = 0;
    /** Move the clock on, tick, and wait until everything `a` sent has reached `r`. */
    const tickAfter = async (ms: number) => {
      clock.ms += ms;
      a.p2p.tick();
      raw.peer.send({ type: 'ping', nonce: BigInt(++pings) });
      await expect.poll(() => receivedOf(raw, 'pong').length).toBe(pings);
    };
    const asked = () => receivedOf(raw, 'getpeers').length;
    await tickAfter(PEX_ASK_INTERVAL_MS - 1);
    expect(asked(), 'within the minute: not asked again').toBe(1);
    await tickAfter(1);
    expect(asked()).toBe(2);
    // Never a second request while one is unanswered, until it is given up.
    await tickAfter(PEX_ANSWER_TIMEOUT_MS - 1);
    expect(asked()).toBe(2);
    await tickAfter(1);
    expect(asked(), 'an unanswered request is given up').toBe(3);
    raw.peer.send({ type: 'peers', ids: ['x', 'y'] }); // r linked to y meanwhile
    await expect.poll(() => a.p2p.relay.exchange.linksOf('r')).toEqual(['x', 'y']);
    // The mesh wanted no links: the refreshed list updates what we know of r, introduces no one.
    expect(introduced).toEqual([['x']]);
    // While the mesh wants links, new ids in an answer are introduced.
    await tickAfter(PEX_ASK_INTERVAL_MS);
    expect(asked()).toBe(4);
    await a.p2p.relay.requestPeers([]);
    raw.peer.send({ type: 'peers', ids: ['x', 'y', 'z'] });
    await expect.poll(() => introduced).toEqual([['x'], ['z']]);
  });

  it('a clock set back does not stop the requests', async () => {
    const a = await makeNode('a', { pingTimeoutMs: 10 * PEX_ANSWER_TIMEOUT_MS });
    nodes.push(a);
    const raw = await neighbour(a, 'r', ['x']);
    await expect.poll(() => a.p2p.relay.exchange.linksOf('r')).toEqual(['x']);
    const saved = clock.ms;
    try {
      clock.ms -= 3_600_000; // an hour back: the last request is now "in the future"
      a.p2p.tick();
      await expect.poll(() => receivedOf(raw, 'getpeers').length).toBe(2);
    } finally {
      clock.ms = saved;
    }
  });

  it('keeps only the answer it asked for, without its own id or the sender', async () => {
    const a = await node('a');
    const raw = await neighbour(a, 'r', ['a', 'r', 'x']);
    await expect.poll(() => a.p2p.relay.exchange.candidates([])).toEqual(['x']);
    raw.peer.send({ type: 'peers', ids: ['y', 'z'] }); // not asked: ignored
    raw.peer.send({ type: 'ping', nonce: 1n });
    await expect.poll(() => receivedOf(raw, 'pong').length).toBe(1);
    expect(a.p2p.relay.exchange.candidates([])).toEqual(['x']);
  });

  it('a peer whose link does not speak version 3 is neither asked nor answered', async () => {
    const r = await node('r');
    const heard = signalsAt(r);
    const raw = rawPeer(r, 'old', undefined, 2);
    await raw.ready;
    await ready(r, 'old');
    raw.peer.send({ type: 'getpeers' });
    raw.peer.send(offer('old', 'r'));
    raw.peer.send({ type: 'ping', nonce: 2n });
    await expect.poll(() => receivedOf(raw, 'pong').length).toBe(1);
    // A version-2 link is offered compact blocks (`sendcmpct`), never peers or signals.
    const types = raw.received.map((m) => m.type).filter((t) => t !== 'sendcmpct');
    expect(types).toEqual(['hello', 'pong']);
    expect(heard).toEqual([]);
  });
});

describe('relayed signals', () => {
  it("forwards a neighbour's own signal once to its peer, tagged with the relay as origin", async () => {
    const [r, t] = await Promise.all([node('r'), node('t')]);
    const heard = signalsAt(t);
    link(r, t);
    await ready(r, 't');
    const s = await neighbour(r, 's');
    const signal = offer('s', 't');
    s.peer.send(signal);
    s.peer.send(signal); // the same (from, to, nonce): dropped
    await expect.poll(() => heard).toHaveLength(1);
    expect(heard[0]).toEqual({
      from: 's',
      data: { type: 'offer', sdp: 'x' },
      origin: relayOrigin('r'),
    });
    s.peer.send(offer('s', 't'));
    await expect.poll(() => heard).toHaveLength(2);
  });

  it('does not forward a signal whose from is not the neighbour: the sender is banned', async () => {
    const [r, t] = await Promise.all([node('r'), node('t')]);
    const heard = signalsAt(t);
    const refused = refusals(r);
    link(r, t);
    await ready(r, 't');
    const mallory = await neighbour(r, 'mallory');
    mallory.peer.send(offer('alice', 't'));
    await expect.poll(() => r.p2p.bans.get('mallory', clock.ms)).toBeDefined();
    expect(refused.map((e) => e.reason)).toEqual(['bad-relay-signal']);
    expect(heard).toEqual([]);
  });

  it('one hop only: a signal with no hop left is not forwarded again, and costs its sender', async () => {
    const [r, t] = await Promise.all([node('r'), node('t')]);
    const heard = signalsAt(t);
    link(r, t);
    await ready(r, 't');
    const s = await neighbour(r, 's');
    s.peer.send(offer('s', 't', 0));
    await expect.poll(() => r.p2p.bans.get('s', clock.ms)).toBeDefined();
    expect(heard).toEqual([]);
  });

  it('drops a signal for a node the relay is not linked to, without penalty', async () => {
    const r = await node('r');
    const refused = refusals(r);
    const s = await neighbour(r, 's');
    s.peer.send(offer('s', 'nobody'));
    s.peer.send({ type: 'ping', nonce: 3n });
    await expect.poll(() => receivedOf(s, 'pong').length).toBe(1);
    expect(refused).toEqual([]);
  });

  it(`takes ${SIGNALS_BURST} signals from one link at once; each over costs ${SIGNAL_FLOOD_SCORE} points`, async () => {
    const [r, t] = await Promise.all([node('r'), node('t')]);
    const heard = signalsAt(t);
    const refused = refusals(r);
    link(r, t);
    await ready(r, 't');
    const s = await neighbour(r, 's');
    const candidate = '{"type":"candidate","candidate":{}}';
    for (let i = 0; i < SIGNALS_BURST + 3; i++) s.peer.send(offer('s', 't', 1, candidate));
    await expect.poll(() => refused.length).toBe(3);
    expect(refused.every((e) => e.reason === 'signal-too-frequent' && e.score === 10)).toBe(true);
    await expect.poll(() => heard.length).toBe(SIGNALS_BURST);
  });

  it(`accepts ${RELAYED_OFFERS_BURST} new offers through one relay at once`, async () => {
    const t = await node('t');
    const heard = signalsAt(t);
    const r = await neighbour(t, 'r');
    for (let i = 0; i < RELAYED_OFFERS_BURST + 2; i++) r.peer.send(offer(`n${i}`, 't', 0));
    r.peer.send({ type: 'ping', nonce: 4n });
    await expect.poll(() => receivedOf(r, 'pong').length).toBe(1);
    expect(heard.map((s) => s.from)).toEqual(['n0', 'n1', 'n2', 'n3']);
  });
});

describe('meshes with the tracker down', () => {
  function meshOf(n: TestNode): Mesh {
    const mesh = new Mesh({
      p2p: n.p2p,
      tracker: downTracker(),
      introducers: [{ kind: 'peers', source: n.p2p.relay }],
      connect: fakeConnect(n.name),
      iceServers: [],
    });
    meshes.push(mesh);
    return mesh;
  }

  it('a node adds a link to a peer of its peer through relayed signaling', async () => {
    const [a, r, c] = await Promise.all([node('a'), node('r'), node('c')]);
    const [meshA] = [meshOf(a), meshOf(r), meshOf(c)];
    link(r, c);
    await ready(r, 'c');
    link(a, r);
    await ready(a, 'c');
    await ready(c, 'a');
    expect(meshA.status().introductions).toEqual([{ peer: 'c', via: 'peers' }]);
    // The link is tagged with the relay: a ban on c would throttle links relayed by r.
    expect(c.p2p.peers.get('a')!.origin).toBe(relayOrigin('r'));
  });

  it('a spoofed from through an honest relay produces no attempt and no link', async () => {
    const [r, t] = await Promise.all([node('r'), node('t')]);
    const meshT = meshOf(t);
    link(r, t);
    await ready(r, 't');
    const mallory = await neighbour(r, 'mallory');
    mallory.peer.send(offer('alice', 't'));
    await expect.poll(() => r.p2p.bans.get('mallory', clock.ms)).toBeDefined();
    expect(meshT.status().attempts).toEqual([]);
    expect(t.p2p.peers.has('alice')).toBe(false);
  });
});
