/** Tracker settings from the environment, with defaults and clear errors for bad values. */

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
}

export const DEFAULT_CONFIG: TrackerConfig = {
  port: 8080,
  host: '0.0.0.0',
  subsetSize: 8,
  allowedOrigins: [],
  redisUrl: undefined,
  staticDir: undefined,
  rateLimit: { perSecond: 20, burst: 60 },
  maxHttpBufferSize: 64 * 1024,
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

/** Read PORT, HOST, PEER_SUBSET_SIZE, ALLOWED_ORIGINS (comma-separated), REDIS_URL, STATIC_DIR,
 * RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST. */
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
  };
}
