/** ICE servers from the page URL: credentials reach the configuration, bad entries are dropped. */
import { describe, expect, it } from 'vitest';
import {
  MAX_ICE_SERVERS,
  checkIceServers,
  iceConfigFromParams,
  keepAcceptedIceServers,
} from '../../../client/net/ice-config.js';

const fromQuery = (query: string) => iceConfigFromParams(new URLSearchParams(query));

describe('iceConfigFromParams', () => {
  it('gives a turn: server its username and credential from turnUser/turnPass', () => {
    const config = fromQuery(
      'network=regtest&stun=stun:stun.example.org:3478&turn=turn:10.0.0.1:3478&turnUser=class&turnPass=p%40ss',
    );
    expect(config).toEqual({
      servers: [
        { urls: 'stun:stun.example.org:3478' },
        { urls: 'turn:10.0.0.1:3478', username: 'class', credential: 'p@ss' },
      ],
      problems: [],
    });
  });

  it('reports a bare turn: URL and drops it, keeping the servers that need nothing', () => {
    const config = fromQuery('stun=stun:s.example.org:3478&turn=turn:10.0.0.1:3478');
    expect(config.servers).toEqual([{ urls: 'stun:s.example.org:3478' }]);
    expect(config.problems).toHaveLength(1);
    expect(config.problems[0]).toMatch(
      /TURN server turn:10\.0\.0\.1:3478 has no username and credential/,
    );
    expect(config.problems[0]).toMatch(/turnUser/);
  });

  it('takes RTCIceServer objects as JSON in &ice=', () => {
    const ice = JSON.stringify([
      {
        urls: ['turns:t.example.org:5349', 'turn:t.example.org:3478'],
        username: 'u',
        credential: 'c',
      },
      { urls: 'turn:other:3478' },
    ]);
    const config = fromQuery(`ice=${encodeURIComponent(ice)}`);
    expect(config.servers).toEqual([
      {
        urls: ['turns:t.example.org:5349', 'turn:t.example.org:3478'],
        username: 'u',
        credential: 'c',
      },
    ]);
    expect(config.problems).toEqual([expect.stringMatching(/turn:other:3478 has no username/)]);
    expect(fromQuery('ice=%7Bnot json').problems).toEqual([expect.stringMatching(/not JSON/)]);
  });

  it('refuses other schemes, half credentials, oversized text and too many servers', () => {
    const checked = checkIceServers(
      [
        { urls: 'http://example.org' },
        { urls: 'stun:a:1', username: 'only-user' },
        { urls: 'turn:a:1', username: 'u', credential: 'x'.repeat(513) },
        { urls: [] },
        'stun:not-an-object',
      ],
      'page URL',
    );
    expect(checked.servers).toEqual([]);
    expect(checked.problems).toHaveLength(5);
    const many = checkIceServers(
      Array.from({ length: MAX_ICE_SERVERS + 3 }, (_, i) => ({ urls: `stun:s${i}:3478` })),
      'tracker',
    );
    expect(many.servers).toHaveLength(MAX_ICE_SERVERS);
    expect(many.problems).toEqual([expect.stringMatching(/^tracker: more than 8/)]);
  });
});

describe('keepAcceptedIceServers', () => {
  it('asks the browser once when it accepts the whole list', () => {
    const seen: RTCIceServer[][] = [];
    const config = { servers: [{ urls: 'stun:a:1' }, { urls: 'stun:b:1' }], problems: [] };
    expect(keepAcceptedIceServers(config, (s) => void seen.push(s))).toBe(config);
    expect(seen).toHaveLength(1);
  });

  it('drops only the servers the browser refuses, saying why', () => {
    const refuses = (servers: RTCIceServer[]) =>
      servers.some((s) => String(s.urls).includes('bad')) ? 'Malformed URL' : undefined;
    const kept = keepAcceptedIceServers(
      { servers: [{ urls: 'stun:good:1' }, { urls: 'stun:bad host:1' }], problems: ['earlier'] },
      refuses,
    );
    expect(kept.servers).toEqual([{ urls: 'stun:good:1' }]);
    expect(kept.problems).toEqual([
      'earlier',
      'the browser refused ICE server stun:bad host:1: Malformed URL; ignored',
    ]);
  });
});
