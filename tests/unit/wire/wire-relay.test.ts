/** core/wire/wire-relay.ts: getpeers, peers and signal (version 3), their limits and refusals. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PEX_IDS,
  MAX_RELAY_SIGNAL_BYTES,
  WIRE_MESSAGE_TAGS,
  decodeMessage,
  encodeMessage,
  toHex,
  type SignalMessage,
} from '../../../core/index.js';
import { messageArbs } from '../../helpers/wire-arbitraries.js';

const signal = (over: Partial<SignalMessage> = {}): SignalMessage => ({
  type: 'signal',
  from: 'a',
  to: 'b',
  ttl: 1,
  nonce: 7,
  data: '{}',
  ...over,
});
const reason = (bytes: Uint8Array) => {
  const result = decodeMessage(bytes);
  return result.ok ? 'ok' : result.reason;
};

describe('relay messages', () => {
  it('have tags 0x11-0x13 and a byte layout that reads like the spec', () => {
    expect([WIRE_MESSAGE_TAGS.getpeers, WIRE_MESSAGE_TAGS.peers, WIRE_MESSAGE_TAGS.signal]).toEqual(
      [0x11, 0x12, 0x13],
    );
    expect(toHex(encodeMessage({ type: 'getpeers' }))).toBe('11');
    expect(toHex(encodeMessage({ type: 'peers', ids: ['a', 'bc'] }))).toBe(
      '12' + '02' + '0161' + '026263',
    );
    // from "a", to "b", ttl 1, nonce 7 (u32 LE), data "{}"
    expect(toHex(encodeMessage(signal()))).toBe('1301610162' + '01' + '07000000' + '027b7d');
  });

  it('round-trip any well-formed value', () => {
    for (const arb of [messageArbs.getpeers, messageArbs.peers, messageArbs.signal])
      fc.assert(
        fc.property(arb, (m) => {
          const decoded = decodeMessage(encodeMessage(m));
          expect(decoded).toEqual({ ok: true, value: m });
        }),
        { numRuns: 200 },
      );
  });

  it('refuse to encode what a receiver would refuse (programmer errors)', () => {
    expect(() => encodeMessage(signal({ ttl: 2 }))).toThrow(RangeError);
    expect(() => encodeMessage(signal({ to: 'a' }))).toThrow(RangeError);
    expect(() => encodeMessage(signal({ data: 'x'.repeat(MAX_RELAY_SIGNAL_BYTES + 1) }))).toThrow(
      RangeError,
    );
    expect(() => encodeMessage({ type: 'peers', ids: ['a', 'a'] })).toThrow(RangeError);
    const many = Array.from({ length: MAX_PEX_IDS + 1 }, (_, i) => `n${i}`);
    expect(() => encodeMessage({ type: 'peers', ids: many })).toThrow(RangeError);
  });

  it('decode with typed refusals: hop limit, a node to itself, duplicates, sizes', () => {
    const ok = encodeMessage(signal());
    const withTtl = (ttl: number) => Uint8Array.from(ok, (b, i) => (i === 5 ? ttl : b));
    expect(reason(withTtl(0))).toBe('ok');
    expect(reason(withTtl(2))).toBe('bad-message-relay');
    expect(reason(withTtl(255))).toBe('bad-message-relay');
    const self = Uint8Array.from(ok, (b, i) => (i === 4 ? 0x61 : b)); // to "a"
    expect(reason(self)).toBe('bad-message-relay');
    expect(reason(Uint8Array.of(0x12, 2, 1, 0x61, 1, 0x61))).toBe('bad-message-relay');
    expect(reason(Uint8Array.of(0x12, MAX_PEX_IDS + 1))).toBe('bad-encoding-oversized');
    expect(reason(Uint8Array.of(0x11, 0))).toBe('bad-encoding-trailing');
    const big = [...ok.subarray(0, 10), 0xfd, 0x01, 0x10, ...new Uint8Array(4097).fill(0x61)];
    expect(reason(Uint8Array.from(big))).toBe('bad-encoding-oversized');
  });
});
