/** Tracker settings from the environment, with defaults and clear errors for bad values. */
import type { TurnSettings } from './turn-credentials.js';

export interface TrackerConfig {
  port: number;
  host: string;
  /** Peers returned per join (a random subset of the room). */
  subsetSize: number;
  /** Origins allowed to connect; empty = only the page's own origin (same host). */
  allowedOrigins: string[];
  /** Enables the Redis adapter so several tracker processes share rooms. */
  redisUrl: string | undefined;
  /** Built client to serve; undefined serves no page. */
  staticDir: string | undefined;
  /** Token bucket per socket: events per second and burst. */
  rateLimit: { perSecond: number; burst: number };
  /** Largest socket.io message in bytes (bounds memory per message). */
  maxHttpBufferSize: number;
  /** Joins per client address group (IPv4 address or IPv6 /64): per minute, and burst. */
  joinRate: { perMinute: number; burst: number };
  /** Key of the origin tags on relayed signals; random per process unless ORIGIN_SECRET is set. */
  originSecret: Uint8Array | undefined;
  /** Take the client address from the last X-Forwarded-For entry (behind one reverse proxy). */
  trustProxy: boolean;
  /** A TURN server to hand out with short-lived credentials (TURN_URL + TURN_SECRET). */
  turn: TurnSettings | undefined;
}

export const DEFAULT_TURN_TTL_SECONDS = 3600;
/** URLs a node accepts in one ICE server entry (docs/protocol.md): more would void the grant. */
export const MAX_TURN_URLS = 4;

export const DEFAULT_CONFIG: TrackerConfig = {
  port: 8080,
  host: '0.0.0.0',
  subsetSize: 8,
  allowedOrigins: [],
  redisUrl: undefined,
  staticDir: undefined,
  rateLimit: { perSecond: 20, burst: 60 },
  maxHttpBufferSize: 64 * 1024,
  joinRate: { perMinute: 30, burst: 120 },
  originSecret: undefined,
  trustProxy: false,
  turn: undefined,
};

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** TURN_URL (comma-separated turn:/turns: URLs), TURN_SECRET, TURN_TTL (seconds): all or none. */
function turnFromEnv(env: NodeJS.ProcessEnv): TurnSettings | undefined {
  const urls = (env.TURN_URL ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const secret = env.TURN_SECRET ?? '';
  if (urls.length === 0 && !secret) return undefined;
  if (urls.length === 0 || !secret)
    throw new RangeError('TURN_URL and TURN_SECRET go together: set both, or neither');
  if (urls.length > MAX_TURN_URLS)
    throw new RangeError(
      `TURN_URL lists ${urls.length} URLs; a page takes at most ${MAX_TURN_URLS} per TURN server`,
    );
  const bad = urls.find((u) => !/^turns?:[^\s]+$/.test(u));
  if (bad) throw new RangeError(`TURN_URL entries must be turn: or turns: URLs, got "${bad}"`);
  const ttlSeconds = integer(env, 'TURN_TTL', DEFAULT_TURN_TTL_SECONDS, 60, 7 * 86_400);
  return { urls, secret, ttlSeconds };
}

/**
 * Read PORT, HOST, PEER_SUBSET_SIZE, ALLOWED_ORIGINS (comma-separated), REDIS_URL, STATIC_DIR,
 * RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST, JOIN_RATE_PER_MINUTE, JOIN_BURST, ORIGIN_SECRET,
 * TRUST_PROXY (1 or 0), TURN_URL, TURN_SECRET, TURN_TTL.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): TrackerConfig {
  return {
    port: integer(env, 'PORT', DEFAULT_CONFIG.port, 0, 65535),
    host: env.HOST || DEFAULT_CONFIG.host,
    subsetSize: integer(env, 'PEER_SUBSET_SIZE', DEFAULT_CONFIG.subsetSize, 1, 64),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    redisUrl: env.REDIS_URL || undefined,
    staticDir: env.STATIC_DIR || undefined,
    rateLimit: {
      perSecond: integer(
        env,
        'RATE_LIMIT_PER_SECOND',
        DEFAULT_CONFIG.rateLimit.perSecond,
        1,
        10_000,
      ),
      burst: integer(env, 'RATE_LIMIT_BURST', DEFAULT_CONFIG.rateLimit.burst, 1, 100_000),
    },
    maxHttpBufferSize: DEFAULT_CONFIG.maxHttpBufferSize,
    joinRate: {
      perMinute: integer(
        env,
        'JOIN_RATE_PER_MINUTE',
        DEFAULT_CONFIG.joinRate.perMinute,
        1,
        1_000_000,
      ),
      burst: integer(env, 'JOIN_BURST', DEFAULT_CONFIG.joinRate.burst, 1, 1_000_000),
    },
    originSecret: env.ORIGIN_SECRET ? new TextEncoder().encode(env.ORIGIN_SECRET) : undefined,
    trustProxy: integer(env, 'TRUST_PROXY', 0, 0, 1) === 1,
    turn: turnFromEnv(env),
  };
}
