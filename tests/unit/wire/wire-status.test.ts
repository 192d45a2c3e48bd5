/** core/wire/wire-status.ts: the optional status message, its limits and its typed rejections. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/primitives/bytes.js';
import { decodeMessage, encodeMessage, WIRE_MESSAGE_TAGS } from '../../../core/wire/wire.js';
import {
  MAX_STATUS_ARRIVALS,
  MAX_STATUS_LINKS,
  MAX_STATUS_NAME_BYTES,
  MAX_STATUS_OPAQUE_BYTES,
  MAX_STATUS_REPORTS,
  STATUS_VERSION,
  type StatusMessage,
  type StatusReport,
} from '../../../core/wire/wire-status.js';
import { MAX_MESSAGE_BYTES } from '../../../core/wire/wire-types.js';
import { rejection, value } from '../../helpers/results.js';
import { messageArbs } from '../../helpers/wire-arbitraries.js';

const fill = (byte: number, n = 32) => new Uint8Array(n).fill(byte);

const report: StatusReport = {
  origin: 'a',
  seq: 5,
  ageMs: 0x100,
  hops: 1,
  mining: true,
  anonymous: true,
  name: '',
  tip: fill(0x22),
  height: 7,
  hashrate: 1000,
  peerCount: 2,
  links: ['b'],
  arrivals: [{ block: fill(0x33), agoMs: 10 }],
};
const status = (reports: StatusReport[]): StatusMessage => ({
  type: 'status',
  version: STATUS_VERSION,
  reports,
  opaque: new Uint8Array(0),
});

const REPORT_HEX =
  '0161' + // origin "a"
  '05000000' + // seq
  '00010000' + // age 256 ms
  '01' + // hops
  '03' + // flags: mining | anonymous
  '00' + // name ""
  '22'.repeat(32) + // tip
  '07000000' + // height
  'e8030000' + // hashrate 1000
  '02' + // peer count
  '010162' + // links ["b"]
  '01' +
  '33'.repeat(32) +
  '0a000000'; // arrivals [{33…, 10 ms}]

/** Bytes of a status message whose only report is `hex` (tag, version 1, count 1). */
const withReport = (hex: string) => fromHex('0c' + '01' + '01' + hex);

describe('status message', () => {
  it('encodes a report byte for byte and decodes it back', () => {
    const bytes = encodeMessage(status([report]));
    expect(toHex(bytes)).toBe('0c0101' + REPORT_HEX);
    expect(value(decodeMessage(bytes))).toEqual(status([report]));
    expect(WIRE_MESSAGE_TAGS.status).toBe(0x0c);
  });

  it('round-trips any well-formed status, of any version', () => {
    fc.assert(
      fc.property(messageArbs.status, (message) => {
        expect(value(decodeMessage(encodeMessage(message)))).toEqual(message);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips a message with every list and string at its limit, within one message', () => {
    const full: StatusReport = {
      ...report,
      origin: 'o'.repeat(64),
      anonymous: false,
      name: 'é'.repeat(MAX_STATUS_NAME_BYTES / 2),
      links: Array.from({ length: MAX_STATUS_LINKS }, (_, i) => `${i}`.padEnd(64, 'x')),
      arrivals: Array.from({ length: MAX_STATUS_ARRIVALS }, (_, i) => ({
        block: fill(i),
        agoMs: 0xffffffff,
      })),
    };
    const reports = Array.from({ length: MAX_STATUS_REPORTS }, (_, i) => ({
      ...full,
      origin: `${i}`.padEnd(64, 'o'),
    }));
    const bytes = encodeMessage(status(reports));
    expect(value(decodeMessage(bytes))).toEqual(status(reports));
    // The largest version 1 status stays far below the message limit (96,707 bytes with 64-byte names).
    expect(bytes.length).toBeLessThan(100_000);
    expect(bytes.length).toBeLessThan(MAX_MESSAGE_BYTES / 10);
  });

  it('keeps the body of an unknown version opaque, so it can be ignored, up to 64 KiB', () => {
    const future = fromHex('0c' + '02' + 'deadbeef');
    expect(value(decodeMessage(future))).toEqual({
      type: 'status',
      version: 2,
      reports: [],
      opaque: fromHex('deadbeef'),
    });
    const big = new Uint8Array(2 + MAX_STATUS_OPAQUE_BYTES + 1);
    big.set([0x0c, 0x07]);
    expect(rejection(decodeMessage(big)).reason).toBe('bad-encoding-oversized');
    expect(value(decodeMessage(big.subarray(0, big.length - 1))).type).toBe('status');
  });

  it('refuses counts over their limits before reading the items', () => {
    const over = (hex: string) => rejection(decodeMessage(fromHex(hex))).reason;
    expect(over('0c01' + '41')).toBe('bad-encoding-oversized'); // 65 reports
    const upToLinks = REPORT_HEX.slice(0, REPORT_HEX.indexOf('010162'));
    expect(over('0c0101' + upToLinks + '11')).toBe('bad-encoding-oversized'); // 17 links
    const upToArrivals = REPORT_HEX.slice(0, REPORT_HEX.lastIndexOf('01' + '33'.repeat(32)));
    expect(over('0c0101' + upToArrivals + '09')).toBe('bad-encoding-oversized'); // 9 arrivals
    const name65 = REPORT_HEX.replace('030022', '0141' + '61'.repeat(65) + '22');
    expect(over('0c0101' + name65)).toBe('bad-encoding-oversized');
  });

  it('refuses reserved flag bits, a named anonymous report and two reports about one origin', () => {
    const reasonOf = (bytes: Uint8Array) => rejection(decodeMessage(bytes));
    const flags = reasonOf(withReport(REPORT_HEX.replace('0103' + '00', '0107' + '00')));
    expect(flags).toMatchObject({ reason: 'bad-message-status', category: 'consensus' });
    const named = reasonOf(withReport(REPORT_HEX.replace('030022', '03016e22')));
    expect(named.reason).toBe('bad-message-status');
    const twice = fromHex('0c0102' + REPORT_HEX + REPORT_HEX);
    expect(reasonOf(twice).reason).toBe('bad-message-status');
    const bad = reasonOf(withReport(REPORT_HEX.replace('0161', '0121')));
    expect(bad.reason).toBe('bad-message-node-id');
  });

  it('throws on programmer errors instead of sending a malformed status', () => {
    expect(() => encodeMessage(status([{ ...report, name: 'x' }]))).toThrow(TypeError);
    expect(() => encodeMessage(status([report, report]))).toThrow(TypeError);
    expect(() => encodeMessage(status([{ ...report, peerCount: 256 }]))).toThrow(RangeError);
    expect(() => encodeMessage(status([{ ...report, hops: -1 }]))).toThrow(RangeError);
    const tooMany = Array.from({ length: MAX_STATUS_REPORTS + 1 }, (_, i) => ({
      ...report,
      origin: `n${i}`,
    }));
    expect(() => encodeMessage(status(tooMany))).toThrow(RangeError);
    expect(() => encodeMessage({ ...status([]), opaque: fill(1, 1) })).toThrow(TypeError);
  });
});
