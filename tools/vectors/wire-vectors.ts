/**
 * Vectors for the peer-to-peer wire (every message type, its bytes and its frames; malformed
 * messages and frame sequences with their reasons) and for the tracker's payloads (join,
 * signal with simple-peer's signal objects, peers), each checked by core's parsers.
 */
import {
  FrameAssembler,
  REGTEST,
  decodeMessage,
  encodeBlock,
  encodeMessage,
  encodeTx,
  frameMessage,
  headerHash,
  parseJoinRequest,
  parsePeersRequest,
  parseSignalRequest,
  sha256,
  toHex,
  workFromBits,
  type WireMessage,
} from '../../core/index.js';
import { messageJson, type Json } from './to-json.js';
import { vectorChain } from './chain-fixture.js';

const label = (text: string) => sha256(new TextEncoder().encode(text));
const hex = (bytes: Uint8Array) => toHex(bytes);
const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return toHex(b);
};

export function messageVector(name: string, message: WireMessage, chunked = false): Json {
  const bytes = encodeMessage(message);
  const body =
    message.type === 'tx'
      ? hex(encodeTx(message.tx))
      : message.type === 'block'
        ? hex(encodeBlock(message.block))
        : undefined;
  const frames = frameMessage(bytes).map(hex);
  return chunked
    ? { name, fields: messageJson(message, body), frames }
    : { name, fields: messageJson(message, body), hex: hex(bytes), frames };
}

export function invalidMessage(name: string, bytes: string): Json {
  const decoded = decodeMessage(Uint8Array.from(Buffer.from(bytes, 'hex')));
  if (decoded.ok) throw new Error(`message vector ${name} decodes`);
  return { name, hex: bytes, reason: decoded.reason };
}

function invalidFrames(name: string, frames: string[]): Json {
  const assembler = new FrameAssembler();
  let last: string | undefined;
  for (const [i, frame] of frames.entries()) {
    const result = assembler.push(Uint8Array.from(Buffer.from(frame, 'hex')));
    if (!result.ok) {
      if (i !== frames.length - 1) throw new Error(`frame vector ${name} fails early`);
      last = result.reason;
    }
  }
  if (!last) throw new Error(`frame vector ${name} is accepted`);
  return { name, frames, reason: last };
}

export function wireVectors(): Json {
  const { blocks, transfer } = vectorChain();
  const tip = blocks[blocks.length - 1]!;
  const work = workFromBits(REGTEST.genesis.header.bits);
  const hello: WireMessage = {
    type: 'hello',
    version: 1,
    network: REGTEST.genesisId,
    nodeId: 'alice',
    tip: REGTEST.genesisHash,
    height: 0,
    chainWork: work,
    userAgent: 'tabcoin-browser/0.1',
  };
  const hash = (n: number) => label(`tabcoin vector hash ${n}`);
  const items = [
    { kind: 'tx' as const, hash: hash(1) },
    { kind: 'block' as const, hash: hash(2) },
  ];
  const helloHex = hex(encodeMessage(hello));
  const big = Array.from({ length: 500 }, (_, i) => ({ kind: 'tx' as const, hash: hash(100 + i) }));
  const chunk = (n: number, byte = 'aa') => byte.repeat(n);
  return {
    description:
      'Wire messages: fields (hashes in internal byte order, u64/u256 as decimal strings, tx ' +
      'and block as their consensus hex) <-> hex (u8 tag + fields) <-> frames (u8 frame ' +
      'kind + payload; chunked above 16,384 bytes). invalidMessages: decodeMessage refuses hex ' +
      'with reason. invalidFrames: a fresh channel receives the frames in order; all but the ' +
      'last are accepted, the last is refused with reason.',
    messages: [
      messageVector('hello at genesis (regtest)', hello),
      messageVector('hello on a longer chain, newer version', {
        ...hello,
        version: 2,
        nodeId: 'bob_2-x',
        tip: headerHash(tip.header),
        height: 12,
        chainWork: work * 13n,
        userAgent: '',
      }),
      messageVector('ping', { type: 'ping', nonce: 1n }),
      messageVector('ping, largest nonce', { type: 'ping', nonce: 0xffffffffffffffffn }),
      messageVector('pong', { type: 'pong', nonce: 1n }),
      messageVector('inv of a tx and a block', { type: 'inv', items }),
      messageVector('inv, empty', { type: 'inv', items: [] }),
      messageVector('getdata', { type: 'getdata', items }),
      messageVector('notfound', { type: 'notfound', items: items.slice(1) }),
      messageVector('tx (the regtest transfer)', { type: 'tx', tx: transfer }),
      messageVector('block (regtest block 12)', { type: 'block', block: tip }),
      messageVector('getheaders', {
        type: 'getheaders',
        locator: [hash(3), REGTEST.genesisHash],
        stop: new Uint8Array(32),
      }),
      messageVector('headers (blocks 1 and 2)', {
        type: 'headers',
        headers: [blocks[0]!.header, blocks[1]!.header],
      }),
      messageVector('headers, empty (nothing after the locator)', { type: 'headers', headers: [] }),
      messageVector('reject of a hello', {
        type: 'reject',
        message: 'hello',
        reason: 'wrong-network',
        hash: new Uint8Array(32),
        detail: 'genesis 46ed8505bf8465c7…, ours is 000000bba995a5bf…',
      }),
      messageVector('reject of a tx', {
        type: 'reject',
        message: 'tx',
        reason: 'bad-signature',
        hash: hash(4),
        detail: 'input 0 signature does not verify',
      }),
      messageVector('the reject sent with a ban', {
        type: 'reject',
        message: 'block',
        reason: 'high-hash',
        hash: hash(5),
        detail: 'banned: proof of work does not meet the target in bits',
      }),
      messageVector('status, version 1: one relayed report', {
        type: 'status',
        version: 1,
        reports: [
          {
            origin: 'alice',
            seq: 5,
            ageMs: 256,
            hops: 1,
            mining: true,
            anonymous: false,
            name: 'alice',
            tip: headerHash(tip.header),
            height: 12,
            hashrate: 1000,
            peerCount: 2,
            links: ['bob_2-x', 'carol'],
            arrivals: [{ block: headerHash(tip.header), agoMs: 10 }],
          },
        ],
        opaque: new Uint8Array(0),
      }),
      messageVector('status of an unknown version (ignored by the receiver)', {
        type: 'status',
        version: 2,
        reports: [],
        opaque: Uint8Array.of(1, 2, 3),
      }),
      messageVector('inv of 500 txs: 16,504 bytes, two frames', { type: 'inv', items: big }, true),
    ],
    invalidMessages: [
      invalidMessage('empty', ''),
      invalidMessage('unknown tag 0x0c', '0c'),
      invalidMessage('tag 0x00', '00'),
      invalidMessage('ping of 7 bytes', '02' + '01'.repeat(7)),
      invalidMessage('ping with a trailing byte', '02' + '01'.repeat(8) + '00'),
      invalidMessage('inv item kind 3', '040103' + hex(hash(1))),
      invalidMessage('inv count 1001', '04fde903'),
      invalidMessage('inv count not in shortest form', '04fd0100' + '01' + hex(hash(1))),
      invalidMessage('hello with node id "a!"', helloHex.replace('05616c696365', '026121')),
      invalidMessage('hello with a user agent that is not UTF-8', helloHex.slice(0, -40) + '01ff'),
      invalidMessage(
        'hello with a 65-byte user agent',
        helloHex.slice(0, -40) + '41' + '61'.repeat(65),
      ),
      invalidMessage(
        'getheaders with 102 locator hashes',
        '0966' + hex(hash(1)).repeat(102) + '00'.repeat(32),
      ),
      invalidMessage('headers count 2001', '0afdd107'),
      invalidMessage(
        'block cut short',
        hex(encodeMessage({ type: 'block', block: tip })).slice(0, -2),
      ),
      invalidMessage('reject reason of 257 bytes', '0b0174' + 'fd0101' + '61'.repeat(257)),
    ],
    invalidFrames: [
      invalidFrames('empty frame', ['']),
      invalidFrames('frame kind 4', ['0402']),
      invalidFrames('middle without first', ['02aa']),
      invalidFrames('last without first', ['03aa']),
      invalidFrames('whole frame inside a chunked message', [
        '01' + u32(16385) + 'aa',
        '00' + '02' + '01'.repeat(8),
      ]),
      invalidFrames('first frame without its total', ['01010000']),
      invalidFrames('declared total over 1,001,024', ['01' + u32(1_001_025) + 'aa']),
      invalidFrames('declared total of 16,384 (must be whole)', ['01' + u32(16384) + 'aa']),
      invalidFrames('empty middle chunk', ['01' + u32(16386) + 'aa', '02']),
      invalidFrames('middle chunk reaching the total', [
        '01' + u32(16386) + chunk(16384),
        '02' + chunk(2),
      ]),
      invalidFrames('last chunk short of the total', ['01' + u32(16386) + 'aa', '03aa']),
      invalidFrames('whole frame over 16,384 bytes', ['00' + chunk(16385, '00')]),
    ],
  };
}

const SDP_OFFER =
  'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n' +
  'a=extmap-allow-mixed\r\na=msid-semantic: WMS\r\nm=application 9 UDP/DTLS/SCTP ' +
  'webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:EsAw\r\na=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n' +
  'a=ice-options:trickle\r\na=fingerprint:sha-256 ' +
  '7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08' +
  '\r\na=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n';

function parsed(kind: 'join' | 'signal' | 'peers', payload: unknown): string {
  const parse = { join: parseJoinRequest, signal: parseSignalRequest, peers: parsePeersRequest }[
    kind
  ];
  const result = parse(payload);
  return result.ok ? 'ok' : result.reason;
}

export function signalVectors(): Json {
  const offer = { type: 'offer', sdp: SDP_OFFER };
  const answer = { type: 'answer', sdp: SDP_OFFER.replace('a=setup:actpass', 'a=setup:active') };
  const candidate = {
    type: 'candidate',
    candidate: {
      candidate:
        'candidate:1467250027 1 udp 2122260223 4d9b1bd6-6a4b-4d2f-8b7a-7b4e3c1a2f10.local ' +
        '54321 typ host generation 0 ufrag EsAw network-id 1',
      sdpMLineIndex: 0,
      sdpMid: '0',
    },
  };
  const cases: [string, 'join' | 'signal' | 'peers', Json][] = [
    ['join', 'join', { network: REGTEST.genesisId, nodeId: 'alice' }],
    [
      'join with an upper-case network id',
      'join',
      { network: REGTEST.genesisId.toUpperCase(), nodeId: 'alice' },
    ],
    [
      'join with a 65-character node id',
      'join',
      { network: REGTEST.genesisId, nodeId: 'a'.repeat(65) },
    ],
    ['join without a payload object', 'join', 'alice'],
    ['signal: simple-peer offer', 'signal', { to: 'bob', data: offer }],
    ['signal: simple-peer answer', 'signal', { to: 'alice', data: answer }],
    ['signal: trickled ICE candidate', 'signal', { to: 'bob', data: candidate }],
    ['signal with data null', 'signal', { to: 'bob', data: null }],
    ['signal without data', 'signal', { to: 'bob' }],
    ['signal to an invalid id', 'signal', { to: 'bob smith', data: offer }],
    ['signal data over 16 KiB as JSON', 'signal', { to: 'bob', data: { sdp: 'x'.repeat(16_380) } }],
    ['peers', 'peers', { exclude: ['bob', 'carol'] }],
    ['peers without a payload', 'peers', null],
    ['peers excluding 65 ids', 'peers', { exclude: Array.from({ length: 65 }, (_, i) => `n${i}`) }],
  ];
  return {
    description:
      'Tracker payloads (Socket.IO events) and the answer of the parser both the tracker and ' +
      "the node use: result is 'ok' or the tracker-error code. The simple-peer signal objects " +
      '(offer, answer, candidate) show the shapes relayed as signal.data; their SDP is ' +
      'illustrative (a real one comes from the browser).',
    cases: cases.map(([name, event, payload]) => ({
      name,
      event,
      payload,
      result: parsed(event, payload),
    })),
  };
}
