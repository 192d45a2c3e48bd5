/**
 * The status protocol between in-process nodes over in-memory links: a 40-node network where
 * one node's classroom model converges to every node with the right heights and peer counts;
 * a lying node that cannot make the view show a block it does not have; a status flood that is
 * penalised, and a newer status version that is ignored without penalty.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hexToHash, type StatusReport } from '../../core/index.js';
import { STATUS_MIN_INTERVAL_MS } from '../../client/net/status-relay.js';
import { ClassroomModel } from '../../client/ui/classroom/classroom-model.js';
import { buildBlock } from '../helpers/regtest.js';
import { clock, link, makeNode, stopAll, type TestNode } from '../helpers/net.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

const flush = async (rounds = 6) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** Advance the clock one second and let every node run its once-a-second work. */
async function second(all: readonly TestNode[]): Promise<void> {
  clock.ms += 1000;
  for (const n of all) n.p2p.tick();
  await flush();
}

async function mine(n: TestNode, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const result = await n.p2p.submitBlock(buildBlock(n.state.chain.tip), 'local');
    if (!result.ok) throw new Error(result.reason);
  }
}

const readyCount = (n: TestNode) =>
  [...n.p2p.peers.values()].filter((p) => p.state === 'ready').length;

describe('classroom status over 40 nodes', () => {
  it('the view model converges to all 40 nodes with their heights and peer counts', async () => {
    for (let i = 0; i < 40; i++) nodes.push(await makeNode(`n${i}`));
    // A circulant graph: every node linked to i±1, i±5 and i±13 (6 links; diameter 4).
    for (let i = 0; i < 40; i++) {
      for (const step of [1, 5, 13]) link(nodes[i]!, nodes[(i + step) % 40]!);
    }
    await mine(nodes[7]!, 3);
    const view = nodes[0]!;
    const model = new ClassroomModel(view.name, () => clock.ms);
    let snapshot = model.update(view.p2p.status.table.list(), view.state.chain);
    let seconds = 0;
    const done = () =>
      snapshot.nodes.length === 40 &&
      snapshot.nodes.every((n) => n.claim === 'verified' && n.height === 3 && n.peerCount === 6);
    while (!done() && seconds < 60) {
      await second(nodes);
      seconds++;
      snapshot = model.update(view.p2p.status.table.list(), view.state.chain);
    }
    expect(snapshot.nodes.map((n) => n.id).sort()).toEqual(nodes.map((n) => n.name).sort());
    for (const n of snapshot.nodes) {
      const real = nodes.find((x) => x.name === n.id)!;
      expect(n.peerCount).toBe(readyCount(real));
      expect(n.height).toBe(real.state.chain.height);
      expect(n.claim).toBe('verified');
    }
    expect(snapshot.links).toHaveLength(120);
    // Who had the third block when: n7 mined it, so it had it first.
    const third = view.state.chain.tip.id;
    const spread = snapshot.spreads.find((s) => s.id === third)!;
    expect(spread.steps).toHaveLength(40);
    expect(spread.steps[0]!.node).toBe('n7');
    // Reports crossed at most 4 relays, and converged well within the hop limit's reach.
    expect(Math.max(...view.p2p.status.table.list().map((e) => e.distance))).toBeLessThanOrEqual(5);
    expect(seconds).toBeLessThan(60);

    // A node that goes away disappears from the view.
    const gone = nodes[20]!;
    gone.p2p.stop();
    for (let s = 0; s < 30 && snapshot.nodes.some((n) => n.id === gone.name); s++) {
      await second(nodes.filter((n) => n !== gone));
      snapshot = model.update(view.p2p.status.table.list(), view.state.chain);
    }
    expect(snapshot.nodes.map((n) => n.id)).not.toContain(gone.name);
    expect(snapshot.nodes).toHaveLength(39);
  }, 120_000);
});

describe('status rate', () => {
  it('sends a peer at most one status per 2 s while blocks pour in, and a heartbeat when idle', async () => {
    const [a, b] = [await makeNode('a'), await makeNode('b')];
    nodes.push(a, b);
    link(a, b);
    await flush(20);
    const received: number[] = [];
    const receive = b.p2p.status.receive.bind(b.p2p.status);
    b.p2p.status.receive = (peer, message) => {
      received.push(clock.ms);
      receive(peer, message);
    };
    // 20 s with a block every half second: a's tip changes 40 times.
    for (let i = 0; i < 40; i++) {
      clock.ms += 500;
      await mine(a, 1);
      if (i % 2 === 1) for (const n of nodes) n.p2p.tick();
      await flush();
    }
    const gaps = received.slice(1).map((t, i) => t - received[i]!);
    expect(received.length).toBeGreaterThanOrEqual(8);
    expect(received.length).toBeLessThanOrEqual(11);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(STATUS_MIN_INTERVAL_MS);
    expect(b.p2p.status.table.get('a')?.report.height).toBeGreaterThanOrEqual(36);
    // Idle: only heartbeats, one per 10 s.
    const idleFrom = received.length;
    for (let s = 0; s < 30; s++) await second(nodes);
    expect(received.length - idleFrom).toBeGreaterThanOrEqual(2);
    expect(received.length - idleFrom).toBeLessThanOrEqual(4);
    expect(b.p2p.peers.get('a')?.misbehaviour).toBe(0);
  });
});

describe('a node that lies or floods', () => {
  const lie = (origin: string, extra: Partial<StatusReport>): StatusReport => ({
    origin,
    seq: 1,
    ageMs: 0,
    hops: 0,
    mining: true,
    anonymous: false,
    name: origin,
    tip: new Uint8Array(32).fill(0xee),
    height: 999,
    hashrate: 0xffffffff,
    peerCount: 255,
    links: [],
    arrivals: [],
    ...extra,
  });

  it('cannot make the view show a block it does not have, nor speak for a direct peer', async () => {
    const [view, honest, liar] = [
      await makeNode('view'),
      await makeNode('honest'),
      await makeNode('liar'),
    ];
    nodes.push(view, honest, liar);
    link(view, honest);
    link(view, liar);
    await mine(honest, 2);
    await flush(20);
    for (let s = 0; s < 10 && view.p2p.status.table.get('honest')?.report.height !== 2; s++)
      await second(nodes);
    const fake = new Uint8Array(32).fill(0xee);
    clock.ms += STATUS_MIN_INTERVAL_MS;
    liar.p2p.peers.get('view')!.send({
      type: 'status',
      version: 1,
      opaque: new Uint8Array(0),
      reports: [
        lie('liar', { arrivals: [{ block: fake, agoMs: 1 }] }),
        // A relayed "report" about honest, which speaks for itself: ignored.
        lie('honest', { hops: 1, seq: 0x7fff_ffff, tip: fake }),
      ],
    });
    await flush();
    const snap = new ClassroomModel('view', () => clock.ms).update(
      view.p2p.status.table.list(),
      view.state.chain,
    );
    const byId = new Map(snap.nodes.map((n) => [n.id, n]));
    expect(byId.get('liar')).toMatchObject({ claim: 'unverified', claimedHeight: 999 });
    expect(byId.get('honest')).toMatchObject({ claim: 'verified', height: 2 });
    expect(view.state.chain.height).toBe(2);
    expect(view.state.chain.getEntry('ee'.repeat(32))).toBeUndefined();
    expect(snap.spreads.every((s) => s.id !== 'ee'.repeat(32))).toBe(true);
    // Its claim is wrong but well-formed: no penalty for saying it.
    expect(view.p2p.peers.get('liar')?.misbehaviour).toBe(0);
    expect(hexToHash(byId.get('honest')!.tip)).toEqual(hexToHash(honest.state.chain.tip.id));
  });

  it('ignores a newer status version and bans a peer that floods status messages', async () => {
    const [view, flooder] = [await makeNode('view'), await makeNode('flooder')];
    nodes.push(view, flooder);
    link(view, flooder);
    await flush(20);
    const refused: string[] = [];
    view.p2p.on('refused', (e) => refused.push(e.reason));
    const peer = flooder.p2p.peers.get('view')!;
    clock.ms += 10_000;
    peer.send({ type: 'status', version: 9, reports: [], opaque: Uint8Array.of(1, 2, 3) });
    await flush();
    expect(refused).toEqual([]);
    expect(view.p2p.peers.has('flooder')).toBe(true);
    // Burst of 3 allowed (one just used), then 10 points for each extra message in that second.
    for (let i = 0; i < 12; i++) {
      peer.send({ type: 'status', version: 1, reports: [], opaque: new Uint8Array(0) });
    }
    await flush(10);
    expect(refused.filter((r) => r === 'status-too-frequent')).toHaveLength(10);
    expect(view.p2p.bans.get('flooder', clock.ms)).toBeDefined();
    expect(view.p2p.peers.has('flooder')).toBe(false);
  });
});
