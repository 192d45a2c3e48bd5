/**
 * Short-lived TURN credentials for each node, in coturn's shared-secret scheme ("TURN REST
 * API", coturn `use-auth-secret` + `static-auth-secret`): the tracker and the TURN server share
 * TURN_SECRET; no static password ever reaches a page. The username names the node and its
 * expiry, so a leaked credential works for TURN_TTL seconds at most.
 */
import { createHmac } from 'node:crypto';
import type { IceServerGrant } from '../core/wire/signal.js';

export interface TurnSettings {
  /** TURN URLs handed to pages, e.g. ["turn:192.168.1.5:3478"]. */
  urls: string[];
  /** coturn's static-auth-secret. */
  secret: string;
  /** Seconds a credential stays valid. */
  ttlSeconds: number;
}

/**
 * The TURN server with credentials for `nodeId`, valid until `nowMs` + TTL:
 * username `<expiry unix seconds>:<nodeId>`, credential base64(HMAC-SHA1(secret, username)).
 *
 * @example turnGrant({ urls: ['turn:h:3478'], secret: 's', ttlSeconds: 3600 }, 'alice', 0)
 *   // { urls: ['turn:h:3478'], username: '3600:alice', credential: '…' }
 */
export function turnGrant(turn: TurnSettings, nodeId: string, nowMs: number): IceServerGrant {
  const username = `${Math.floor(nowMs / 1000) + turn.ttlSeconds}:${nodeId}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return { urls: [...turn.urls], username, credential };
}
