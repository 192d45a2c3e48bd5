/** Tracker-issued TURN credentials (coturn's shared-secret scheme) and their settings. */
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { base64 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../../tracker/config.js';
import { turnGrant } from '../../../tracker/turn-credentials.js';

const turn = { urls: ['turn:10.0.0.1:3478'], secret: 'north-wind', ttlSeconds: 3600 };

describe('turnGrant', () => {
  it('matches a credential computed independently with openssl', () => {
    // echo -n "1700003600:alice" | openssl dgst -sha1 -hmac north-wind -binary | base64
    const grant = turnGrant(turn, 'alice', 1_700_000_000_000);
    expect(grant).toEqual({
      urls: ['turn:10.0.0.1:3478'],
      username: '1700003600:alice',
      credential: 'iRtTIZ3N38dm9S+dP+UkHfnN9Qo=',
    });
  });

  it('names the node and an expiry TTL seconds ahead, and signs exactly that username', () => {
    const grant = turnGrant({ ...turn, ttlSeconds: 600 }, 'bob-2', 1_234_567_890_999);
    expect(grant.username).toBe('1234568490:bob-2'); // floor(now / 1000) + 600
    const expected = base64.encode(
      hmac(sha1, new TextEncoder().encode('north-wind'), new TextEncoder().encode(grant.username)),
    );
    expect(grant.credential).toBe(expected);
    expect(turnGrant(turn, 'carol', 0).credential).not.toBe(turnGrant(turn, 'dave', 0).credential);
  });
});

describe('TURN settings from the environment', () => {
  it('reads TURN_URL (comma-separated), TURN_SECRET and TURN_TTL', () => {
    const config = configFromEnv({
      TURN_URL: 'turn:10.0.0.1:3478, turns:t.example.org:5349',
      TURN_SECRET: 's3cret',
      TURN_TTL: '900',
    });
    expect(config.turn).toEqual({
      urls: ['turn:10.0.0.1:3478', 'turns:t.example.org:5349'],
      secret: 's3cret',
      ttlSeconds: 900,
    });
    expect(configFromEnv({}).turn).toBeUndefined();
  });

  it('refuses half a setting, non-TURN URLs, more than 4 URLs and out-of-range lifetimes', () => {
    expect(() => configFromEnv({ TURN_URL: 'turn:h:3478' })).toThrow(/set both/);
    expect(() => configFromEnv({ TURN_SECRET: 'x' })).toThrow(/set both/);
    expect(() => configFromEnv({ TURN_URL: 'stun:h:3478', TURN_SECRET: 'x' })).toThrow(
      /turn: or turns:/,
    );
    expect(() =>
      configFromEnv({ TURN_URL: 'turn:h:3478', TURN_SECRET: 'x', TURN_TTL: '5' }),
    ).toThrow(/TURN_TTL/);
    // A node drops an entry with more than 4 URLs (docs/protocol.md), so the tracker says so.
    const five = ['a', 'b', 'c', 'd', 'e'].map((h) => `turn:${h}:3478`).join(',');
    expect(() => configFromEnv({ TURN_URL: five, TURN_SECRET: 'x' })).toThrow(/at most 4/);
    expect(
      configFromEnv({ TURN_URL: five.slice(0, five.lastIndexOf(',')), TURN_SECRET: 'x' }).turn
        ?.urls,
    ).toHaveLength(4);
  });
});
