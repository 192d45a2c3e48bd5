/** fast-check generators for wire messages, shared by the wire tests (not a test file). */
import fc from 'fast-check';
import { toHex } from '../../core/primitives/bytes.js';
import {
  MAX_STATUS_ARRIVALS,
  MAX_STATUS_LINKS,
  MAX_STATUS_NAME_BYTES,
  STATUS_VERSION,
  type StatusReport,
} from '../../core/wire/wire-status.js';
import { MAX_COMPACT_TXS } from '../../core/wire/wire-compact.js';
import {
  MAX_REJECT_TEXT_BYTES,
  MAX_USER_AGENT_BYTES,
  type InvItem,
  type WireMessage,
} from '../../core/wire/wire-types.js';
import { blockArb, bytes32, headerArb, txArb, u32 } from './arbitraries.js';

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** Well-formed strings (any code point, astral ones included) of at most `max` UTF-8 bytes. */
export function boundedText(max: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ unit: 'binary', maxLength: max }),
      fc.string({ unit: 'grapheme-ascii', maxLength: max }),
    )
    .filter((text) => utf8Length(text) <= max);
}

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

export const invItemArb: fc.Arbitrary<InvItem> = fc.record({
  kind: fc.constantFrom('tx' as const, 'block' as const),
  hash: bytes32,
});

const nodeIdArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

/** A well-formed version 1 status report (anonymous reports carry no name). */
export const statusReportArb: fc.Arbitrary<StatusReport> = fc
  .record({
    origin: nodeIdArb,
    seq: u32,
    ageMs: u32,
    hops: fc.integer({ min: 0, max: 255 }),
    mining: fc.boolean(),
    anonymous: fc.boolean(),
    name: boundedText(MAX_STATUS_NAME_BYTES),
    tip: bytes32,
    height: u32,
    hashrate: u32,
    peerCount: fc.integer({ min: 0, max: 255 }),
    links: fc.array(nodeIdArb, { maxLength: MAX_STATUS_LINKS }),
    arrivals: fc.array(fc.record({ block: bytes32, agoMs: u32 }), {
      maxLength: MAX_STATUS_ARRIVALS,
    }),
  })
  .map((report) => (report.anonymous ? { ...report, name: '' } : report));

export const messageArbs = {
  hello: fc.record({
    type: fc.constant('hello' as const),
    version: u32,
    network: bytes32.map(toHex),
    nodeId: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    tip: bytes32,
    height: u32,
    chainWork: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
    userAgent: boundedText(MAX_USER_AGENT_BYTES),
  }),
  ping: fc.record({ type: fc.constant('ping' as const), nonce: u64 }),
  pong: fc.record({ type: fc.constant('pong' as const), nonce: u64 }),
  inv: fc.record({
    type: fc.constant('inv' as const),
    items: fc.array(invItemArb, { maxLength: 20 }),
  }),
  getdata: fc.record({
    type: fc.constant('getdata' as const),
    items: fc.array(invItemArb, { maxLength: 20 }),
  }),
  notfound: fc.record({
    type: fc.constant('notfound' as const),
    items: fc.array(invItemArb, { maxLength: 20 }),
  }),
  tx: fc.record({ type: fc.constant('tx' as const), tx: txArb }),
  block: fc.record({ type: fc.constant('block' as const), block: blockArb }),
  getheaders: fc.record({
    type: fc.constant('getheaders' as const),
    locator: fc.array(bytes32, { maxLength: 12 }),
    stop: bytes32,
  }),
  headers: fc.record({
    type: fc.constant('headers' as const),
    headers: fc.array(headerArb, { maxLength: 12 }),
  }),
  reject: fc.record({
    type: fc.constant('reject' as const),
    message: boundedText(12),
    reason: boundedText(MAX_REJECT_TEXT_BYTES),
    hash: bytes32,
    detail: boundedText(MAX_REJECT_TEXT_BYTES),
  }),
  status: fc.oneof(
    fc.record({
      type: fc.constant('status' as const),
      version: fc.constant(STATUS_VERSION),
      reports: fc.uniqueArray(statusReportArb, { maxLength: 6, selector: (r) => r.origin }),
      opaque: fc.constant(new Uint8Array(0)),
    }),
    fc.record({
      type: fc.constant('status' as const),
      version: fc.integer({ min: 0, max: 255 }).filter((v) => v !== STATUS_VERSION),
      reports: fc.constant<StatusReport[]>([]),
      opaque: fc.uint8Array({ maxLength: 200 }),
    }),
  ),
  sendcmpct: fc.record({
    type: fc.constant('sendcmpct' as const),
    highBandwidth: fc.boolean(),
    version: u64,
  }),
  cmpctblock: fc
    .record({
      header: headerArb,
      nonce: u64,
      shortIds: fc.array(fc.integer({ min: 0, max: 2 ** 48 - 1 }), { maxLength: 12 }),
      prefilled: fc.array(txArb, { maxLength: 3 }),
      gaps: fc.array(fc.nat(4), { minLength: 3, maxLength: 3 }),
    })
    .map(({ header, nonce, shortIds, prefilled, gaps }) => {
      // Increasing indexes that fit the block's size (short ids fill the slots left over).
      const indexes: number[] = [];
      let next = 0;
      for (let i = 0; i < prefilled.length; i++) {
        const room = shortIds.length - (next - indexes.length);
        const index = next + Math.min(gaps[i]!, room);
        indexes.push(index);
        next = index + 1;
      }
      return {
        type: 'cmpctblock' as const,
        header,
        nonce,
        shortIds,
        prefilled: prefilled.map((tx, i) => ({ index: indexes[i]!, tx })),
      };
    }),
  getblocktxn: fc.record({
    type: fc.constant('getblocktxn' as const),
    blockHash: bytes32,
    indexes: fc
      .uniqueArray(fc.nat(MAX_COMPACT_TXS - 1), { maxLength: 20 })
      .map((xs) => xs.sort((a, b) => a - b)),
  }),
  blocktxn: fc.record({
    type: fc.constant('blocktxn' as const),
    blockHash: bytes32,
    txs: fc.array(txArb, { maxLength: 4 }),
  }),
} satisfies { [K in WireMessage['type']]: fc.Arbitrary<Extract<WireMessage, { type: K }>> };

export const messageArb: fc.Arbitrary<WireMessage> = fc.oneof(...Object.values(messageArbs));
