/**
 * ICE servers (STUN and TURN) for WebRTC: from the page URL and from the tracker. Every entry is
 * checked here, and a bad one is dropped with a problem in words for the user, never handed to
 * the browser: Chromium refuses a whole RTCPeerConnection configuration because of one `turn:`
 * server without credentials, which would stop every link, even those that need no TURN.
 *
 * Page URL (README, "Playing with more than one machine"):
 *   &stun=stun:host:3478                               a STUN server (repeatable)
 *   &turn=turn:host:3478&turnUser=NAME&turnPass=SECRET a TURN server (`turn` repeatable; the
 *                                                      user and password apply to each)
 *   &ice=[{"urls":"turns:host:5349","username":"u","credential":"p"}]
 *                                                      RTCIceServer objects as JSON
 */

/** More servers than this slow every connection attempt for nothing. */
export const MAX_ICE_SERVERS = 8;
/** URLs per server entry. */
export const MAX_ICE_URLS = 4;
/** Characters in a URL, a username or a credential. */
export const MAX_ICE_TEXT = 512;

const ICE_URL = /^(stuns?|turns?):[^\s]+$/;

export interface IceConfig {
  servers: RTCIceServer[];
  /** Why entries were dropped, in words. */
  problems: string[];
}

const isText = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_ICE_TEXT;

/**
 * Check RTCIceServer-like values from `source` ("page URL", "tracker"): keeps each valid entry
 * (with `username`/`credential` only when given), drops the rest with a problem each.
 */
export function checkIceServers(entries: readonly unknown[], source: string): IceConfig {
  const servers: RTCIceServer[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    if (servers.length === MAX_ICE_SERVERS) {
      problems.push(`${source}: more than ${MAX_ICE_SERVERS} ICE servers; the rest are ignored`);
      break;
    }
    const problem = iceServerProblem(entry);
    if (problem) {
      problems.push(`${source}: ${problem}; ignored`);
      continue;
    }
    const { urls, username, credential } = entry as RTCIceServer;
    servers.push(
      username === undefined ? { urls } : { urls, username, credential: credential as string },
    );
  }
  return { servers, problems };
}

function iceServerProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return 'an ICE server must be an object { urls, username?, credential? }';
  const { urls, username, credential } = entry as Record<string, unknown>;
  const list = typeof urls === 'string' ? [urls] : urls;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ICE_URLS)
    return `an ICE server needs 1 to ${MAX_ICE_URLS} URLs`;
  for (const url of list) {
    if (!isText(url) || !ICE_URL.test(url))
      return `"${String(url).slice(0, 80)}" is not a stun:, stuns:, turn: or turns: URL`;
  }
  const turn = (list as string[]).filter((u) => u.startsWith('turn'));
  if (
    (username !== undefined || credential !== undefined) &&
    !(isText(username) && isText(credential))
  )
    return `${list[0]}: username and credential must both be given (1-${MAX_ICE_TEXT} characters)`;
  if (turn.length > 0 && username === undefined)
    return `TURN server ${turn[0]} has no username and credential (give &turnUser=…&turnPass=…, or let the tracker issue them)`;
  return undefined;
}

/** ICE servers from the page's query string (see the file header). */
export function iceConfigFromParams(params: URLSearchParams): IceConfig {
  const entries: unknown[] = params.getAll('stun').map((urls) => ({ urls }));
  const user = params.get('turnUser') ?? undefined;
  const pass = params.get('turnPass') ?? undefined;
  for (const urls of params.getAll('turn'))
    entries.push(
      user === undefined && pass === undefined
        ? { urls }
        : { urls, username: user, credential: pass },
    );
  const problems: string[] = [];
  for (const json of params.getAll('ice')) {
    try {
      const parsed: unknown = JSON.parse(json);
      entries.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    } catch {
      problems.push(
        'page URL: &ice= is not JSON (expected [{"urls":…,"username":…,"credential":…}]); ignored',
      );
    }
  }
  const checked = checkIceServers(entries, 'page URL');
  return { servers: checked.servers, problems: [...problems, ...checked.problems] };
}

/**
 * Keep only the servers the browser accepts. `refuses(servers)` returns the browser's error for
 * a configuration, or undefined (simple-peer-link.ts: `browserRefusesIceServers`). One probe for
 * the whole list; only when that fails is each server probed on its own.
 */
export function keepAcceptedIceServers(
  config: IceConfig,
  refuses: (servers: RTCIceServer[]) => string | undefined,
): IceConfig {
  if (config.servers.length === 0 || refuses(config.servers) === undefined) return config;
  const servers: RTCIceServer[] = [];
  const problems = [...config.problems];
  for (const server of config.servers) {
    const error = refuses([server]);
    if (error === undefined) servers.push(server);
    else problems.push(`the browser refused ICE server ${String(server.urls)}: ${error}; ignored`);
  }
  return { servers, problems };
}
