/**
 * The signaling protocol on a socket.io server: join a network room, get a random subset of
 * peers, relay WebRTC signals to a named peer in the same room, hear peer-joined/peer-left.
 * Every payload is parsed (core/wire/signal.ts) and rate-limited; a refused payload gets a
 * `tracker-error` back and changes nothing. Joins are limited per client address group, and each
 * relayed signal carries the sender's `origin` tag (origin.ts). Membership goes through socket.io rooms, so with
 * the Redis adapter several tracker processes share them (docs/architecture.md).
 */
import type { Server, Socket } from 'socket.io';
import {
  TRACKER_CLIENT_EVENTS,
  parseJoinRequest,
  parsePeersRequest,
  parseSignalRequest,
  type IceServerGrant,
  type PeersAnswer,
  type SignalDelivery,
  type TrackerError,
  type TrackerErrorCode,
} from '../core/wire/signal.js';
import type { TrackerMetrics } from './metrics.js';
import { JoinLimiter, addressGroup, clientAddress, originTag } from './origin.js';
import { TokenBucket } from './rate-limit.js';

export interface SignalingOptions {
  subsetSize: number;
  rateLimit: { perSecond: number; burst: number };
  /** True when rooms span several processes (Redis adapter): membership is asked cluster-wide. */
  clustered: boolean;
  metrics: TrackerMetrics;
  /** Joins per client address group: per minute, and burst. */
  joinRate: { perMinute: number; burst: number };
  /** Key of the origin tags (origin.ts). */
  originSecret: Uint8Array;
  /** Client address from the last X-Forwarded-For entry. */
  trustProxy: boolean;
  /** Uniform in [0, 1); injectable so tests can seed it. */
  random?: () => number;
  /** Milliseconds; injectable for rate-limit tests. */
  now?: () => number;
  /** ICE servers (TURN with credentials) for a node, added to its join and peers answers. */
  iceServersFor?: (nodeId: string) => IceServerGrant[];
}

interface PeerData {
  network?: string;
  nodeId?: string;
  /** The origin tag of the connection's address group, sent with each signal it sends. */
  origin?: string;
  /** Peers this one was introduced to or exchanged signals with: told when it leaves. */
  contacts?: Set<string>;
}

const netRoom = (network: string) => `net:${network}`;
const nodeRoom = (network: string, nodeId: string) => `node:${network}:${nodeId}`;
const KNOWN_EVENTS: ReadonlySet<string> = new Set(TRACKER_CLIENT_EVENTS);

/** `count` distinct items of `items`, uniformly at random (partial Fisher–Yates). */
export function randomSubset<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

export function attachSignaling(io: Server, options: SignalingOptions): { closing: () => void } {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const { metrics } = options;
  const joins = new JoinLimiter(options.joinRate.perMinute, options.joinRate.burst);
  let closing = false;

  /** Node ids in a network room, across every tracker instance. */
  async function membersOf(network: string): Promise<string[]> {
    const sockets = await io.in(netRoom(network)).fetchSockets();
    return [
      ...new Set(
        sockets.map((s) => (s.data as PeerData).nodeId).filter((id): id is string => !!id),
      ),
    ];
  }

  async function nodeIsPresent(network: string, nodeId: string): Promise<boolean> {
    if (io.of('/').adapter.rooms.has(nodeRoom(network, nodeId))) return true;
    if (!options.clustered) return false;
    return (await io.in(nodeRoom(network, nodeId)).fetchSockets()).length > 0;
  }

  io.on('connection', (socket: Socket) => {
    metrics.connections.inc();
    const data = socket.data as PeerData;
    const group = addressGroup(
      clientAddress(
        socket.handshake.address,
        socket.handshake.headers['x-forwarded-for'],
        options.trustProxy,
      ),
    );
    data.origin = originTag(options.originSecret, group);
    const bucket = new TokenBucket(options.rateLimit.perSecond, options.rateLimit.burst, now());
    let lastRateNotice = -Infinity;

    const refuse = (event: string, code: TrackerErrorCode, message: string) => {
      metrics.rejected.inc({ code });
      const error: TrackerError = { code, message, event };
      socket.emit('tracker-error', error);
    };

    /** Rate limit every event; one notice per second at most, so errors cannot amplify. */
    const admit = (event: string): boolean => {
      if (bucket.take(now())) return true;
      metrics.rejected.inc({ code: 'rate-limited' });
      if (now() - lastRateNotice >= 1000) {
        lastRateNotice = now();
        socket.emit('tracker-error', {
          code: 'rate-limited',
          message: `more than ${options.rateLimit.perSecond} events per second; event dropped`,
          event,
        } satisfies TrackerError);
      }
      return false;
    };

    /** Run an async handler; a failure (e.g. Redis unreachable) is reported, never thrown. */
    const guard =
      (event: string, handler: (payload: unknown, ack?: unknown) => Promise<void> | void) =>
      (payload: unknown, ack?: unknown) => {
        Promise.resolve()
          .then(() => handler(payload, ack))
          .catch((err: unknown) => {
            console.error(`tracker: ${event} failed:`, err);
            refuse(event, 'unavailable', 'the tracker could not complete this request; try again');
          });
      };

    const answer = (ack: unknown, event: string, body: PeersAnswer) => {
      if (options.iceServersFor && data.nodeId)
        body = { ...body, iceServers: options.iceServersFor(data.nodeId) };
      if (typeof ack === 'function') ack(body);
      else socket.emit(event === 'join' ? 'joined' : 'peers', body);
    };

    socket.onAny((event: string) => {
      if (!KNOWN_EVENTS.has(event) && admit(event)) {
        refuse(
          event,
          'unknown-event',
          `unknown event "${event}" (known: ${TRACKER_CLIENT_EVENTS.join(', ')})`,
        );
      }
    });

    socket.on(
      'join',
      guard('join', async (payload, ack) => {
        if (!admit('join')) return;
        const parsed = parseJoinRequest(payload);
        if (!parsed.ok) return refuse('join', parsed.reason as TrackerErrorCode, parsed.message);
        if (data.nodeId)
          return refuse(
            'join',
            'already-joined',
            `this connection already joined as ${data.nodeId}`,
          );
        if (!joins.take(group, now())) {
          return refuse(
            'join',
            'too-many-joins',
            `more than ${options.joinRate.burst} joins from this address, then ${options.joinRate.perMinute} a minute; try again later`,
          );
        }
        const { network, nodeId } = parsed.value;
        const previous = await io.in(nodeRoom(network, nodeId)).fetchSockets();
        data.network = network;
        data.nodeId = nodeId;
        data.contacts = new Set();
        await socket.join([netRoom(network), nodeRoom(network, nodeId)]);
        // A node id that rejoins (reload, reconnect) replaces its old connection, wherever it is.
        // The new one joins first, so the old one's departure is not announced as a leave.
        for (const old of previous) {
          if (old.id === socket.id) continue;
          old.emit('replaced', { nodeId });
          old.disconnect(true);
        }
        metrics.joins.inc();
        metrics.peers.inc({ network });
        const others = (await membersOf(network)).filter((id) => id !== nodeId);
        const peers = randomSubset(others, options.subsetSize, random);
        for (const peer of peers) {
          data.contacts.add(peer);
          io.to(nodeRoom(network, peer)).emit('peer-joined', { nodeId });
        }
        answer(ack, 'join', { peers, room: others.length + 1 });
      }),
    );

    socket.on(
      'peers',
      guard('peers', async (payload, ack) => {
        if (!admit('peers')) return;
        if (!data.network || !data.nodeId)
          return refuse('peers', 'not-joined', 'join a network first');
        const parsed = parsePeersRequest(payload);
        if (!parsed.ok) return refuse('peers', parsed.reason as TrackerErrorCode, parsed.message);
        const skip = new Set([data.nodeId, ...parsed.value.exclude]);
        const members = await membersOf(data.network);
        const others = members.filter((id) => !skip.has(id));
        const peers = randomSubset(others, options.subsetSize, random);
        for (const peer of peers) data.contacts?.add(peer);
        answer(ack, 'peers', { peers, room: members.length });
      }),
    );

    socket.on(
      'signal',
      guard('signal', async (payload) => {
        if (!admit('signal')) return;
        if (!data.network || !data.nodeId)
          return refuse('signal', 'not-joined', 'join a network first');
        const parsed = parseSignalRequest(payload);
        if (!parsed.ok) return refuse('signal', parsed.reason as TrackerErrorCode, parsed.message);
        const { to, data: signal } = parsed.value;
        if (to === data.nodeId)
          return refuse('signal', 'self-signal', 'a peer cannot signal itself');
        if (!(await nodeIsPresent(data.network, to))) {
          return refuse('signal', 'unknown-peer', `no peer ${to} in this network`);
        }
        data.contacts?.add(to);
        const delivery: SignalDelivery = { from: data.nodeId, data: signal, origin: data.origin };
        io.to(nodeRoom(data.network, to)).emit('signal', delivery);
        metrics.signals.inc();
      }),
    );

    socket.on('disconnect', () => {
      metrics.connections.dec();
      const { network, nodeId, contacts } = data;
      if (!network || !nodeId) return;
      metrics.peers.dec({ network });
      if (closing) return;
      guard('disconnect', async () => {
        // Replaced by a newer connection with the same id: the node has not left.
        if (await nodeIsPresent(network, nodeId)) return;
        for (const peer of contacts ?? [])
          io.to(nodeRoom(network, peer)).emit('peer-left', { nodeId });
      })(undefined);
    });
  });

  return {
    closing: () => {
      closing = true;
    },
  };
}
