/**
 * The mesh's link attempts with a fake tracker, fake WebRTC and an injected clock: an attempt
 * whose ICE never completes times out into a `link-failed` event naming the peer and the stage;
 * the ICE servers (with credentials) reach each connection; known nodes are counted.
 */
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../client/events.js';
import {
  noCandidates,
  type AttemptProgress,
  type LinkFailure,
  type PeerConnection,
  type PeerConnectionOptions,
} from '../../../client/net/link-attempt.js';
import type { Link } from '../../../client/net/link.js';
import {
  CONNECT_TIMEOUT_MS,
  LATE_CANDIDATE_MS,
  MAX_LATE_CANDIDATES,
  Mesh,
  type MeshTimers,
} from '../../../client/net/mesh.js';
import type { Introducer } from '../../../client/net/signaling.js';
import type { TrackerEvents } from '../../../client/net/tracker-client.js';

/** Timers driven by `advance`, on a clock starting at 1,000,000 ms. */
function fakeClock() {
  let now = 1_000_000;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void; every?: number }>();
  const timers: MeshTimers = {
    setTimeout: (fn, ms) => (due.set(nextId, { at: now + ms, fn }), nextId++),
    clearTimeout: (id) => void due.delete(id as number),
    setInterval: (fn, ms) => (due.set(nextId, { at: now + ms, fn, every: ms }), nextId++),
    clearInterval: (id) => void due.delete(id as number),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const [id, timer] = [...due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (!timer || timer.at > end) break;
      now = timer.at;
      if (timer.every) timer.at += timer.every;
      else due.delete(id!);
      timer.fn();
    }
    now = end;
  };
  return { timers, now: () => now, advance };
}

/** A WebRTC attempt the test steers: set its progress, open or fail it. */
class FakeConnection implements PeerConnection {
  state: AttemptProgress = { stage: 'signaling', local: noCandidates(), remote: noCandidates() };
  signals: unknown[] = [];
  destroyed: string | undefined;
  private resolve!: (link: Link) => void;
  private reject!: (err: Error) => void;
  readonly ready = new Promise<Link>((res, rej) => ((this.resolve = res), (this.reject = rej)));
  constructor(readonly options: PeerConnectionOptions) {
    this.ready.catch(() => undefined);
  }
  signal(data: unknown) {
    this.signals.push(data);
  }
  progress() {
    return structuredClone(this.state);
  }
  destroy(reason: string) {
    this.destroyed = reason;
    this.reject(new Error('closed'));
  }
  step(change: Partial<AttemptProgress>) {
    Object.assign(this.state, change);
    this.options.onProgress?.(this.progress());
  }
  open() {
    this.resolve({ remoteId: this.options.remoteId } as Link);
  }
  routeAnswer: 'direct' | 'relayed' | undefined = undefined;
  routeReads = 0;
  route() {
    this.routeReads++;
    return Promise.resolve(this.routeAnswer);
  }
  fail(message: string) {
    this.reject(new Error(message));
  }
}

/** A signaling source the test drives; it records what the mesh sends over it. */
function fakeSource(connected = true) {
  const source = Object.assign(new Emitter<TrackerEvents>(), {
    connected,
    answer: [] as string[],
    sent: [] as { to: string; data: unknown }[],
    requestPeers: async () => source.answer,
    signal: (to: string, data: unknown) => void source.sent.push({ to, data }),
  });
  return source;
}

function setup(
  iceServers: RTCIceServer[] = [],
  refusesIceServers?: (servers: RTCIceServer[]) => string | undefined,
  introducers: Introducer[] = [],
) {
  const clock = fakeClock();
  const tracker = fakeSource();
  const linked: Link[] = [];
  const p2p = Object.assign(new Emitter<{ 'peer-disconnected': { id: string } }>(), {
    nodeId: 'me',
    peers: new Map<string, unknown>(),
    bans: { get: () => undefined },
    maxPeers: 16,
    refusesLink: () => undefined,
    addLink: (link: Link) => {
      linked.push(link);
      p2p.peers.set(link.remoteId, { link });
      return true;
    },
  });
  const connections: FakeConnection[] = [];
  const mesh = new Mesh({
    p2p: p2p as never,
    tracker,
    iceServers,
    connect: (options) => {
      const c = new FakeConnection(options);
      connections.push(c);
      return c;
    },
    now: clock.now,
    timers: clock.timers,
    refusesIceServers,
    introducers,
  });
  const failures: LinkFailure[] = [];
  mesh.on('link-failed', (f) => failures.push(f));
  return { clock, tracker, mesh, connections, failures, linked, p2p };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Mesh link attempts', () => {
  it('reports an attempt whose ICE never completes: peer, stage, timeout, likely cause', async () => {
    const { clock, tracker, mesh, connections, failures } = setup();
    tracker.emit('introduced', ['bob']);
    const [bob] = connections;
    expect(bob!.options).toMatchObject({ remoteId: 'bob', initiator: true });
    // Offer and answer exchanged, both sides offered LAN addresses, and then nothing.
    bob!.step({
      stage: 'ice-checking',
      local: { ...noCandidates(), host: 2 },
      remote: { ...noCandidates(), host: 1 },
    });
    expect(mesh.status().attempts).toEqual([
      { peer: 'bob', initiator: true, stage: 'ice-checking', startedAt: 1_000_000 },
    ]);
    clock.advance(CONNECT_TIMEOUT_MS - 1);
    expect(failures).toEqual([]);
    clock.advance(1);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      peer: 'bob',
      initiator: true,
      outcome: 'timed-out',
      stage: 'ice-checking',
      elapsedMs: CONNECT_TIMEOUT_MS,
    });
    expect(failures[0]!.cause).toMatch(/no route between the hosts.*TURN server is needed/);
    expect(bob!.destroyed).toBe('timed out');
    await flush(); // the destroyed connection's rejection must not report a second failure
    expect(failures).toHaveLength(1);
    expect(mesh.status()).toMatchObject({ known: 1, attempts: [], failures: [failures[0]] });
  });

  it('reports a refused connection with the browser error, and a timeout still in signaling', async () => {
    const { clock, tracker, connections, failures } = setup();
    tracker.emit('introduced', ['carol', 'dave']);
    const [carol, dave] = connections;
    carol!.step({ stage: 'refused', error: 'Both username and credential are required' });
    carol!.fail('Both username and credential are required');
    await flush();
    expect(failures[0]).toMatchObject({ peer: 'carol', outcome: 'failed', stage: 'refused' });
    expect(failures[0]!.cause).toMatch(/TURN server is configured without username and credential/);
    clock.advance(CONNECT_TIMEOUT_MS);
    expect(failures[1]).toMatchObject({ peer: 'dave', outcome: 'timed-out', stage: 'signaling' });
    expect(dave!.destroyed).toBe('timed out');
  });

  it('does not report attempts it ends on purpose or that succeed', async () => {
    const { clock, tracker, connections, failures, linked, mesh } = setup();
    tracker.emit('introduced', ['erin', 'frank']);
    const [erin, frank] = connections;
    erin!.open();
    await flush();
    expect(linked.map((l) => l.remoteId)).toEqual(['erin']);
    tracker.emit('peer-left', { nodeId: 'frank' });
    expect(frank!.destroyed).toBe('peer left the tracker');
    clock.advance(CONNECT_TIMEOUT_MS * 2);
    await flush();
    expect(failures).toEqual([]);
    expect(mesh.status().known).toBe(1); // erin; frank left
  });

  it('hands every attempt the user-given ICE servers with credentials, then the tracker-issued', () => {
    const turn = { urls: 'turn:10.0.0.1:3478', username: 'class', credential: 'p@ss' };
    const { tracker, mesh, connections } = setup([turn]);
    const issued = { urls: ['turn:t:3478'], username: '1700001200:me', credential: 'abc=' };
    tracker.emit('ice-servers', { servers: [issued], problems: [] });
    tracker.emit('introduced', ['gina']);
    expect(connections[0]!.options.iceServers).toEqual([turn, issued]);
    expect(mesh.iceServers).toEqual([turn, issued]);
  });

  it('asks the browser about tracker-issued servers only when their URLs change', () => {
    const asked: RTCIceServer[][] = [];
    const refuses = (servers: RTCIceServer[]) => {
      asked.push(servers);
      return servers.some((s) => String(s.urls).includes('bad')) ? 'Malformed URL' : undefined;
    };
    const { tracker, mesh } = setup([], refuses);
    const problems: string[] = [];
    mesh.on('ice-problem', (p) => problems.push(p));
    const grant = (username: string, urls = ['turn:t:3478']) => ({
      servers: [{ urls, username, credential: 'c' }],
      problems: [],
    });
    tracker.emit('ice-servers', grant('1:me'));
    tracker.emit('ice-servers', grant('2:me')); // fresh credentials, same URLs: no new probe
    expect(asked).toHaveLength(1);
    expect(mesh.iceServers).toEqual([{ urls: ['turn:t:3478'], username: '2:me', credential: 'c' }]);
    tracker.emit('ice-servers', grant('3:me', ['turn:bad:3478']));
    expect(mesh.iceServers).toEqual([]);
    const two = {
      servers: [
        { urls: ['turn:bad:3478'], username: '4:me', credential: 'c' },
        { urls: ['turn:t:3478'], username: '4:me', credential: 'c' },
      ],
      problems: [],
    };
    tracker.emit('ice-servers', two);
    tracker.emit('ice-servers', two);
    expect(mesh.iceServers).toEqual([two.servers[1]]); // only the refused one is left out
    expect(asked).toHaveLength(6); // 1, then 0, then 1 + 1, then the list and each of its 2
    expect(problems).toEqual([
      'the browser refused ICE server turn:bad:3478: Malformed URL; ignored',
      'the browser refused ICE server turn:bad:3478: Malformed URL; ignored',
    ]);
  });

  it("says whether each new link is direct or relayed, and forgets a link's route when it goes", async () => {
    const { tracker, mesh, connections, p2p } = setup();
    const routes: unknown[] = [];
    mesh.on('link-route', (r) => routes.push(r));
    tracker.emit('introduced', ['ivy', 'jon']);
    const [ivy, jon] = connections;
    ivy!.routeAnswer = 'relayed';
    jon!.routeAnswer = 'direct';
    ivy!.open();
    jon!.open();
    await flush();
    expect(routes).toEqual([
      { peer: 'ivy', route: 'relayed' },
      { peer: 'jon', route: 'direct' },
    ]);
    expect(mesh.status().routes).toEqual(routes);
    p2p.peers.delete('ivy');
    p2p.emit('peer-disconnected', { id: 'ivy' });
    expect(mesh.status().routes).toEqual([{ peer: 'jon', route: 'direct' }]);
  });

  it('passes candidates that come after the link opened to its connection, within bounds', async () => {
    const other = fakeSource();
    const { tracker, connections, clock, p2p } = setup([], undefined, [
      { kind: 'broadcast', source: other },
    ]);
    tracker.emit('introduced', ['ivy', 'jon']);
    const [ivy, jon] = connections;
    tracker.emit('signal', { from: 'ivy', data: { type: 'answer', sdp: 'a' }, origin: 'o1' });
    ivy!.open();
    jon!.open();
    await flush();
    const candidate = (n: number) => ({ type: 'candidate', candidate: { candidate: `c${n}` } });
    // The peer's relay candidate, trickled after a check from the relay opened the link.
    tracker.emit('signal', { from: 'ivy', data: candidate(1), origin: 'o1' });
    expect(ivy!.signals).toEqual([{ type: 'answer', sdp: 'a' }, candidate(1)]);
    // Not over another source, not from another origin, and nothing but candidates.
    other.emit('signal', { from: 'ivy', data: candidate(2) });
    tracker.emit('signal', { from: 'ivy', data: candidate(3), origin: 'o2' });
    tracker.emit('signal', { from: 'ivy', data: { type: 'renegotiate' }, origin: 'o1' });
    tracker.emit('signal', { from: 'ivy', data: null, origin: 'o1' });
    expect(ivy!.signals).toHaveLength(2);
    // At most MAX_LATE_CANDIDATES per link.
    for (let n = 0; n < MAX_LATE_CANDIDATES + 5; n++)
      tracker.emit('signal', { from: 'ivy', data: candidate(n), origin: 'o1' });
    expect(ivy!.signals).toHaveLength(1 + MAX_LATE_CANDIDATES);
    // Not after LATE_CANDIDATE_MS, and not once the link closed.
    clock.advance(LATE_CANDIDATE_MS);
    tracker.emit('signal', { from: 'jon', data: candidate(1) });
    expect(jon!.signals).toEqual([]);
    p2p.peers.delete('ivy');
    p2p.emit('peer-disconnected', { id: 'ivy' });
    tracker.emit('signal', { from: 'ivy', data: candidate(9), origin: 'o1' });
    expect(ivy!.signals).toHaveLength(1 + MAX_LATE_CANDIDATES);
  });

  it('drops a late candidate for a link that is no longer the open one', async () => {
    const { tracker, connections, p2p } = setup();
    tracker.emit('introduced', ['ivy']);
    const [ivy] = connections;
    ivy!.open();
    await flush();
    p2p.peers.set('ivy', { link: { remoteId: 'ivy' } }); // another link to ivy since
    tracker.emit('signal', { from: 'ivy', data: { type: 'candidate', candidate: {} } });
    expect(ivy!.signals).toEqual([]);
  });

  it('counts the nodes the tracker told about, not itself, forgetting those that left', () => {
    const { tracker, mesh } = setup();
    expect(mesh.status().known).toBe(0);
    tracker.emit('introduced', []);
    expect(mesh.status().known).toBe(0);
    tracker.emit('peer-joined', { nodeId: 'hal' });
    tracker.emit('peer-joined', { nodeId: 'me' });
    expect(mesh.status().known).toBe(1);
    tracker.emit('peer-left', { nodeId: 'hal' });
    expect(mesh.status().known).toBe(0);
  });
});

describe('Mesh with several introducers', () => {
  it('with the tracker down, dials the tabs another source introduces, and signals over it', async () => {
    const tabs = fakeSource();
    const { tracker, mesh, connections, p2p } = setup([], undefined, [
      { kind: 'broadcast', source: tabs },
    ]);
    tracker.connected = false;
    tabs.emit('introduced', ['kim']);
    const [kim] = connections;
    kim!.options.sendSignal({ type: 'offer', sdp: 'o' });
    expect(tabs.sent).toEqual([{ to: 'kim', data: { type: 'offer', sdp: 'o' } }]);
    expect(tracker.sent).toEqual([]);
    // The answer comes back over the same source; the link says who introduced it.
    tabs.emit('signal', { from: 'kim', data: { type: 'answer' } });
    expect(kim!.signals).toEqual([{ type: 'answer' }]);
    kim!.routeAnswer = 'direct';
    kim!.open();
    await flush();
    expect(mesh.status().introductions).toEqual([{ peer: 'kim', via: 'broadcast' }]);
    p2p.peers.delete('kim');
    p2p.emit('peer-disconnected', { id: 'kim' });
    expect(mesh.status()).toMatchObject({ introductions: [], routes: [] });
  });

  it('prefers the tracker for a node it knows while connected, else the source last heard on', () => {
    const tabs = fakeSource();
    const { tracker, connections, clock, failures } = setup([], undefined, [
      { kind: 'broadcast', source: tabs },
    ]);
    tracker.emit('peer-joined', { nodeId: 'lea' });
    tabs.emit('introduced', ['lea']);
    connections[0]!.options.sendSignal('to-lea');
    expect(tracker.sent).toEqual([{ to: 'lea', data: 'to-lea' }]);
    tracker.connected = false;
    tabs.emit('introduced', ['max']);
    tracker.emit('peer-joined', { nodeId: 'max' }); // heard on the tracker, which is down
    connections[1]!.options.sendSignal('to-max');
    expect(tabs.sent).toEqual([{ to: 'max', data: 'to-max' }]);
    // Neither answers: each failure names the route its signals took.
    clock.advance(CONNECT_TIMEOUT_MS);
    expect(failures.map((f) => [f.peer, f.cause.split(' (')[0]])).toEqual([
      ['lea', 'the peer never answered through the tracker'],
      ['max', 'the peer never answered through this browser'],
    ]);
  });

  it('ignores signals for an attempt that come over another source or from another origin', () => {
    const relay = fakeSource();
    const { tracker, connections } = setup([], undefined, [{ kind: 'peers', source: relay }]);
    tracker.emit('introduced', ['ned']);
    const [ned] = connections;
    relay.emit('signal', {
      from: 'ned',
      data: { type: 'answer', sdp: 'forged' },
      origin: 'peer:x',
    });
    tracker.emit('signal', { from: 'ned', data: { type: 'answer' }, origin: 'o1' });
    tracker.emit('signal', { from: 'ned', data: { type: 'candidate' }, origin: 'o2' });
    expect(ned!.signals).toEqual([{ type: 'answer' }]);
  });

  it('asks every source for peers in order while under target, skipping those that are down', async () => {
    const tabs = fakeSource(false);
    const relay = fakeSource();
    const { tracker, mesh, connections } = setup([], undefined, [
      { kind: 'broadcast', source: tabs },
      { kind: 'peers', source: relay },
    ]);
    tracker.answer = ['t1'];
    tabs.answer = ['b1'];
    relay.answer = ['p1', 't1'];
    await mesh.topUp();
    expect(connections.map((c) => c.options.remoteId)).toEqual(['t1', 'p1']);
  });
});
