/** core/wire/wire.ts: the canonical wire message codec, its limits and its typed rejections. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBlock, type BlockHeader } from '../../../core/primitives/block.js';
import { fromHex, toHex } from '../../../core/primitives/bytes.js';
import { MAX_BLOCK_BYTES } from '../../../core/primitives/constants.js';
import { ByteWriter } from '../../../core/primitives/encoding.js';
import { encodeTx, type Tx } from '../../../core/primitives/tx.js';
import { decodeMessage, encodeMessage, WIRE_MESSAGE_TAGS } from '../../../core/wire/wire.js';
import {
  MAX_HEADERS_PER_MESSAGE,
  MAX_INV_ITEMS,
  MAX_LOCATOR_HASHES,
  MAX_MESSAGE_BYTES,
  MAX_REJECT_TEXT_BYTES,
  MAX_USER_AGENT_BYTES,
  type HelloMessage,
  type WireMessage,
} from '../../../core/wire/wire-types.js';
import { blockArb, headerArb, txArb } from '../../helpers/arbitraries.js';
import { messageArb, messageArbs } from '../../helpers/wire-arbitraries.js';
import { rejection, value } from '../../helpers/results.js';

const rep = (byteHex: string, n: number) => byteHex.repeat(n);
const fill = (byte: number, n = 32) => new Uint8Array(n).fill(byte);
/** Decode hand-written hex and return the rejection reason. */
const reasonOf = (hex: string) => rejection(decodeMessage(fromHex(hex))).reason;

const hello: HelloMessage = {
  type: 'hello',
  version: 1,
  network: rep('00', 31) + '01',
  nodeId: 'alice',
  tip: fill(0x22),
  height: 0x0102,
  chainWork: 0x0100n,
  userAgent: 'tc/1',
};

/** Bitcoin's genesis header: its 80 bytes are published, so the headers body is known. */
const genesisHeader: BlockHeader = {
  version: 1,
  prevHash: new Uint8Array(32),
  merkleRoot: fromHex('3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a'),
  time: 1231006505,
  bits: 0x1d00ffff,
  nonce: 2083236893,
};
const GENESIS_HEADER_HEX =
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c';

const tinyTx: Tx = {
  version: 1,
  inputs: [
    { prevout: { txid: fill(0x33), vout: 0 }, script: new Uint8Array(), witness: fill(0x44, 64) },
  ],
  outputs: [{ amount: 5_000_000_000n, pubkey: fill(0x55) }],
  lockTime: 0,
};

/** Expected bytes written out by hand from docs/protocol.md, not from the encoder. */
const VECTORS: { name: string; message: WireMessage; hex: string }[] = [
  {
    name: 'ping',
    message: { type: 'ping', nonce: 0x0102030405060708n },
    hex: '02' + '0807060504030201',
  },
  { name: 'pong', message: { type: 'pong', nonce: 0n }, hex: '03' + rep('00', 8) },
  {
    name: 'hello',
    message: hello,
    hex: [
      '01', // tag: hello
      '01000000', // version u32
      '01' + rep('00', 31), // network: genesis id as a hash, internal byte order
      '05' + '616c696365', // node id "alice"
      rep('22', 32), // tip
      '02010000', // height u32
      '0001' + rep('00', 30), // chain work u256 LE
      '04' + '74632f31', // user agent "tc/1"
    ].join(''),
  },
  {
    name: 'inv',
    message: {
      type: 'inv',
      items: [
        { kind: 'block', hash: fill(0x11) },
        { kind: 'tx', hash: fill(0x12) },
      ],
    },
    hex: '04' + '02' + '02' + rep('11', 32) + '01' + rep('12', 32),
  },
  { name: 'empty getdata', message: { type: 'getdata', items: [] }, hex: '05' + '00' },
  {
    name: 'notfound',
    message: { type: 'notfound', items: [{ kind: 'tx', hash: fill(0x13) }] },
    hex: '06' + '01' + '01' + rep('13', 32),
  },
  {
    name: 'tx',
    message: { type: 'tx', tx: tinyTx },
    hex: [
      '07', // tag: tx, then exactly encodeTx
      '01000000', // version
      '01' + rep('33', 32) + '00000000' + '00', // one input: prev txid, vout, empty script
      '01' + '00f2052a01000000' + rep('55', 32), // one output: 50 coins, pubkey
      '40' + rep('44', 64), // witness: 64-byte signature
      '00000000', // lock time
    ].join(''),
  },
  {
    name: 'getheaders',
    message: { type: 'getheaders', locator: [fill(0xaa), fill(0xbb)], stop: new Uint8Array(32) },
    hex: '09' + '02' + rep('aa', 32) + rep('bb', 32) + rep('00', 32),
  },
  {
    name: 'headers',
    message: { type: 'headers', headers: [genesisHeader] },
    hex: '0a' + '01' + GENESIS_HEADER_HEX,
  },
  {
    name: 'reject',
    message: {
      type: 'reject',
      message: 'tx',
      reason: 'bad-signature',
      hash: new Uint8Array(32),
      detail: 'é',
    },
    hex: '0b' + '02' + '7478' + '0d' + '6261642d7369676e6174757265' + rep('00', 32) + '02' + 'c3a9',
  },
];

describe('encodeMessage / decodeMessage', () => {
  it.each(VECTORS)('encodes $name byte for byte and decodes it back', ({ message, hex }) => {
    expect(toHex(encodeMessage(message))).toBe(hex);
    expect(value(decodeMessage(fromHex(hex)))).toEqual(message);
  });

  it.each(Object.keys(messageArbs) as (keyof typeof messageArbs)[])(
    'round-trips any %s message',
    (type) => {
      fc.assert(
        fc.property(messageArbs[type] as fc.Arbitrary<WireMessage>, (message) => {
          const bytes = encodeMessage(message);
          expect(bytes[0]).toBe(WIRE_MESSAGE_TAGS[type]);
          expect(value(decodeMessage(bytes))).toEqual(message);
        }),
        { numRuns: 200 },
      );
    },
  );

  it('gives every message type its own tag', () => {
    const tags = Object.values(WIRE_MESSAGE_TAGS);
    expect(new Set(tags).size).toBe(tags.length);
    expect(Object.keys(WIRE_MESSAGE_TAGS).sort()).toEqual(Object.keys(messageArbs).sort());
  });

  it('sends a block as exactly its consensus encoding and a tx as encodeTx', () => {
    fc.assert(
      fc.property(blockArb, txArb, (block, tx) => {
        expect(toHex(encodeMessage({ type: 'block', block }))).toBe(
          '08' + toHex(encodeBlock(block)),
        );
        expect(toHex(encodeMessage({ type: 'tx', tx }))).toBe('07' + toHex(encodeTx(tx)));
      }),
      { numRuns: 100 },
    );
  });

  it('round-trips messages with every list and string at its limit', () => {
    const items = Array.from({ length: MAX_INV_ITEMS }, (_, i) => ({
      kind: i % 2 ? ('tx' as const) : ('block' as const),
      hash: fill(i & 0xff),
    }));
    const headers = fc.sample(headerArb, { numRuns: MAX_HEADERS_PER_MESSAGE, seed: 7 });
    const full: WireMessage[] = [
      { type: 'inv', items },
      { type: 'getdata', items },
      { type: 'notfound', items },
      { type: 'headers', headers },
      {
        type: 'getheaders',
        locator: Array.from({ length: MAX_LOCATOR_HASHES }, (_, i) => fill(i)),
        stop: fill(1),
      },
      {
        ...hello,
        userAgent: 'é'.repeat(MAX_USER_AGENT_BYTES / 2),
        nodeId: 'n'.repeat(64),
        chainWork: (1n << 256n) - 1n,
      },
      {
        type: 'reject',
        message: 'm'.repeat(MAX_REJECT_TEXT_BYTES),
        reason: 'r'.repeat(MAX_REJECT_TEXT_BYTES),
        hash: fill(9),
        detail: '😀'.repeat(MAX_REJECT_TEXT_BYTES / 4),
      },
    ];
    for (const message of full)
      expect(value(decodeMessage(encodeMessage(message)))).toEqual(message);
  });

  it('keeps a leading byte-order mark in a string (decoding is lossless)', () => {
    const message = { ...hello, userAgent: '\uFEFFtc' };
    expect(value(decodeMessage(encodeMessage(message)))).toEqual(message);
  });
});

/**
 * One non-trivial message of each type, for the prefix and trailing-byte checks. A status of an
 * unknown version is left out: its body is opaque to the end of the message by design
 * (tests/unit/wire/wire-status.test.ts covers it).
 */
const SAMPLES: WireMessage[] = [
  ...VECTORS.map((v) => v.message),
  ...fc.sample(messageArb, { numRuns: 60, seed: 42 }),
  ...fc.sample(messageArbs.block, { numRuns: 5, seed: 3 }),
].filter((m) => m.type !== 'status' || m.version === 1);

describe('decodeMessage refuses malformed input with a typed rejection', () => {
  it('refuses every proper prefix of a message as truncated', () => {
    let prefixes = 0;
    for (const message of SAMPLES) {
      const bytes = encodeMessage(message);
      for (let end = 0; end < bytes.length; end++) {
        const result = rejection(decodeMessage(bytes.subarray(0, end)));
        expect(result.reason, `${message.type} cut at ${end}`).toBe('bad-encoding-truncated');
        expect(result.category).toBe('consensus');
        expect(result.score).toBe(100);
        prefixes++;
      }
    }
    expect(prefixes).toBeGreaterThan(5000);
  });

  it('refuses trailing bytes after any message', () => {
    for (const message of SAMPLES) {
      for (const extra of [[0], [0xff], [1, 2, 3]]) {
        const bytes = Uint8Array.from([...encodeMessage(message), ...extra]);
        expect(rejection(decodeMessage(bytes)).reason).toBe('bad-encoding-trailing');
      }
    }
  });

  it('refuses every unknown message tag', () => {
    const known = new Set(Object.values(WIRE_MESSAGE_TAGS));
    for (let tag = 0; tag < 256; tag++) {
      if (known.has(tag)) continue;
      const result = rejection(decodeMessage(Uint8Array.of(tag, 0, 0, 0, 0, 0, 0, 0, 0)));
      expect(result.reason).toBe('bad-message-type');
      expect(result.category).toBe('consensus');
    }
    expect(known.size).toBe(16);
  });

  it('refuses an oversized count before reading (or allocating) its items', () => {
    // A huge count with nothing behind it: the limit is checked first, so "oversized", not "truncated".
    const cases: [string, string][] = [
      ['inv over MAX_INV_ITEMS', '04' + 'fde903'],
      ['getdata count 2^32-1', '05' + 'feffffffff'],
      ['notfound count 2^53-1', '06' + 'ffffffffffffff1f00'],
      ['locator over MAX_LOCATOR_HASHES', '09' + '66'],
      ['headers over MAX_HEADERS_PER_MESSAGE', '0a' + 'fdd107'],
      [
        'user agent over 64 bytes',
        '01' + rep('00', 4 + 32) + '05' + '616c696365' + rep('00', 32 + 4 + 32) + '41',
      ],
      ['node id over 64 bytes', '01' + rep('00', 4 + 32) + '41'],
      ['reject reason over 256 bytes', '0b' + '00' + 'fd0101'],
      ['block tx count', '08' + GENESIS_HEADER_HEX + 'feffffffff'],
      ['tx input count', '07' + '01000000' + 'feffffffff'],
    ];
    for (const [name, hex] of cases) expect(reasonOf(hex), name).toBe('bad-encoding-oversized');
  });

  it('refuses a count that is one over its limit but accepts the limit itself', () => {
    const writeInv = (n: number) => {
      const w = new ByteWriter().u8(WIRE_MESSAGE_TAGS.inv).varint(n);
      for (let i = 0; i < n; i++) w.u8(1).bytes(fill(i & 0xff));
      return w.finish();
    };
    expect(value(decodeMessage(writeInv(MAX_INV_ITEMS))).type).toBe('inv');
    expect(rejection(decodeMessage(writeInv(MAX_INV_ITEMS + 1))).reason).toBe(
      'bad-encoding-oversized',
    );
  });

  it('refuses a message over MAX_MESSAGE_BYTES and a block body over MAX_BLOCK_BYTES', () => {
    const huge = new Uint8Array(MAX_MESSAGE_BYTES + 1);
    huge[0] = WIRE_MESSAGE_TAGS.block;
    expect(rejection(decodeMessage(huge)).reason).toBe('bad-message-oversized');
    const bigBlock = new Uint8Array(1 + MAX_BLOCK_BYTES + 1);
    bigBlock[0] = WIRE_MESSAGE_TAGS.block;
    expect(rejection(decodeMessage(bigBlock)).reason).toBe('bad-blk-length');
  });

  it('refuses unknown inventory kinds', () => {
    for (const kind of [0, 3, 0xff]) {
      const hex = '04' + '01' + toHex(Uint8Array.of(kind)) + rep('00', 32);
      expect(reasonOf(hex)).toBe('bad-message-inv-kind');
    }
  });

  it('refuses invalid UTF-8 in every string field', () => {
    const badUtf8 = ['ff', 'c080', 'eda080', 'e282', 'f4908080'];
    for (const bad of badUtf8) {
      const len = toHex(Uint8Array.of(bad.length / 2));
      const helloHex = '01' + rep('00', 36) + '0161' + rep('00', 68) + len + bad;
      expect(reasonOf(helloHex), `user agent ${bad}`).toBe('bad-message-utf8');
      expect(reasonOf('0b' + len + bad + '00' + rep('00', 32) + '00'), `message ${bad}`).toBe(
        'bad-message-utf8',
      );
      expect(reasonOf('0b00' + len + bad + rep('00', 32) + '00'), `reason ${bad}`).toBe(
        'bad-message-utf8',
      );
      expect(reasonOf('0b0000' + rep('00', 32) + len + bad), `detail ${bad}`).toBe(
        'bad-message-utf8',
      );
    }
  });

  it('refuses a node id outside the tracker alphabet', () => {
    for (const nodeId of ['', 'a b', 'ä', 'bob!']) {
      const bytes = new TextEncoder().encode(nodeId);
      const hex =
        '01' +
        rep('00', 36) +
        toHex(Uint8Array.of(bytes.length)) +
        toHex(bytes) +
        rep('00', 68) +
        '00';
      expect(reasonOf(hex), JSON.stringify(nodeId)).toBe('bad-message-node-id');
    }
  });

  it('refuses non-canonical varints and non-bytes input', () => {
    expect(reasonOf('04' + 'fd0100')).toBe('bad-encoding-non-canonical');
    expect(rejection(decodeMessage('0201' as unknown as Uint8Array)).reason).toBe(
      'bad-encoding-type',
    );
  });
});

describe('encodeMessage throws on programmer errors', () => {
  const cases: [string, unknown, typeof TypeError | typeof RangeError][] = [
    ['unknown type', { type: 'version' }, TypeError],
    ['inherited type name', { type: 'toString' }, TypeError],
    ['null', null, TypeError],
    [
      'user agent over the limit',
      { ...hello, userAgent: 'x'.repeat(MAX_USER_AGENT_BYTES + 1) },
      RangeError,
    ],
    ['user agent over the limit in UTF-8', { ...hello, userAgent: 'é'.repeat(33) }, RangeError],
    ['lone surrogate', { ...hello, userAgent: 'a\uD800b' }, TypeError],
    ['bad node id', { ...hello, nodeId: 'a b' }, TypeError],
    ['upper-case network', { ...hello, network: 'A'.repeat(64) }, TypeError],
    ['short tip', { ...hello, tip: new Uint8Array(31) }, RangeError],
    ['negative chain work', { ...hello, chainWork: -1n }, RangeError],
    ['chain work of 2^256', { ...hello, chainWork: 1n << 256n }, RangeError],
    ['height over u32', { ...hello, height: 2 ** 32 }, RangeError],
    ['nonce over u64', { type: 'ping', nonce: 1n << 64n }, RangeError],
    [
      'unknown inventory kind',
      { type: 'inv', items: [{ kind: 'filtered', hash: fill(1) }] },
      TypeError,
    ],
    [
      'too many inventory items',
      {
        type: 'inv',
        items: Array.from({ length: MAX_INV_ITEMS + 1 }, () => ({ kind: 'tx', hash: fill(1) })),
      },
      RangeError,
    ],
    [
      'too many locator hashes',
      {
        type: 'getheaders',
        locator: Array.from({ length: MAX_LOCATOR_HASHES + 1 }, () => fill(1)),
        stop: fill(0),
      },
      RangeError,
    ],
    [
      'reject detail over the limit',
      {
        type: 'reject',
        message: 'tx',
        reason: 'x',
        hash: fill(0),
        detail: 'd'.repeat(MAX_REJECT_TEXT_BYTES + 1),
      },
      RangeError,
    ],
  ];
  it.each(cases)('%s', (_name, message, errorType) => {
    expect(() => encodeMessage(message as WireMessage)).toThrow(errorType);
  });

  it('refuses to encode a message over MAX_MESSAGE_BYTES', () => {
    const witness = new Uint8Array(64);
    const input = { prevout: { txid: fill(1), vout: 0 }, script: new Uint8Array(100), witness };
    const tx: Tx = {
      version: 1,
      inputs: Array.from({ length: 5100 }, () => input),
      outputs: [],
      lockTime: 0,
    };
    expect(() => encodeMessage({ type: 'tx', tx })).toThrow(RangeError);
  });
});

describe('clampUtf8', () => {
  it('cuts to a byte budget without splitting characters', async () => {
    const { clampUtf8 } = await import('../../../core/wire/wire.js');
    expect(clampUtf8('abc', 3)).toBe('abc');
    expect(clampUtf8('abcd', 3)).toBe('abc');
    expect(clampUtf8('é€😀', 5)).toBe('é€'); // 2 + 3 bytes; the emoji (4) does not fit
    expect(new TextEncoder().encode(clampUtf8('😀'.repeat(100), 256)).length).toBeLessThanOrEqual(
      256,
    );
  });
});
