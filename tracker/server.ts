/**
 * A tracker instance: HTTP server + socket.io with the signaling protocol, optionally joined
 * to other instances through Redis. Used by `main.ts` and by the tests.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { DEFAULT_CONFIG, type TrackerConfig } from './config.js';
import { createRequestHandler } from './http.js';
import { createMetrics, type TrackerMetrics } from './metrics.js';
import { attachSignaling } from './signaling.js';
import { turnGrant } from './turn-credentials.js';

export interface Tracker {
  http: HttpServer;
  io: Server;
  metrics: TrackerMetrics;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  close(): Promise<void>;
}

export interface TrackerOptions extends Partial<TrackerConfig> {
  random?: () => number;
  now?: () => number;
}

/** True when the WebSocket/polling request's Origin may connect. */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: string[],
): boolean {
  if (!origin) return true; // not a browser (tests, tools); CORS is a browser protection
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  if (allowed.length > 0) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export async function startTracker(options: TrackerOptions = {}): Promise<Tracker> {
  const config: TrackerConfig = { ...DEFAULT_CONFIG, ...options };
  const metrics = createMetrics();
  const http = createServer(createRequestHandler(metrics, config.staticDir));
  const io = new Server(http, {
    maxHttpBufferSize: config.maxHttpBufferSize,
    serveClient: false,
    cors: config.allowedOrigins.length > 0 ? { origin: config.allowedOrigins } : undefined,
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers.origin, req.headers.host, config.allowedOrigins);
      callback(ok ? null : 'origin not allowed', ok);
    },
  });

  const redisClients: { quit(): Promise<unknown> }[] = [];
  if (config.redisUrl) {
    const pub = createClient({ url: config.redisUrl });
    const sub = pub.duplicate();
    for (const client of [pub, sub])
      client.on('error', (err) => console.error('tracker: redis:', err.message));
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push(pub, sub);
    io.adapter(createAdapter(pub, sub));
  }

  const signaling = attachSignaling(io, {
    subsetSize: config.subsetSize,
    rateLimit: config.rateLimit,
    clustered: !!config.redisUrl,
    metrics,
    joinRate: config.joinRate,
    originSecret: config.originSecret ?? randomBytes(32),
    trustProxy: config.trustProxy,
    random: options.random,
    now: options.now,
    iceServersFor: config.turn
      ? (nodeId) => [turnGrant(config.turn!, nodeId, (options.now ?? Date.now)())]
      : undefined,
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  return {
    http,
    io,
    metrics,
    url: `http://${shownHost}:${port}`,
    async close() {
      signaling.closing();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.all(redisClients.map((c) => c.quit().catch(() => undefined)));
    },
  };
}
