/**
 * Vectors for compact blocks (docs/protocol.md, "Compact blocks"): SipHash-2-4 outputs from the
 * SipHash paper's table, the short-id key and short ids of a block of the vector chain, every
 * compact message with its bytes and frames, and malformed compact messages with their reasons.
 */
import {
  ByteWriter,
  COMPACT_VERSION,
  encodeTx,
  hashToHex,
  MAX_COMPACT_TXS,
  compactBlockOf,
  encodeHeader,
  headerHash,
  shortId,
  shortIdKey,
  sipKey,
  siphash24,
  toHex,
  wtxid,
  type SipKey,
} from '../../core/index.js';
import { vectorChain } from './chain-fixture.js';
import type { Json } from './to-json.js';
import { invalidMessage, messageVector } from './wire-vectors.js';

/** The 16 key bytes of a SipHash key (k0, k1 little-endian). */
function keyBytes(key: SipKey): string {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  key.forEach((word, i) => view.setUint32(4 * i, word, true));
  return toHex(bytes);
}

const u64Hex = (value: bigint) => value.toString(16).padStart(16, '0');

export function compactVectors(): Json {
  const paperKey = Uint8Array.from({ length: 16 }, (_, i) => i);
  const paperMessage = Uint8Array.from({ length: 64 }, (_, i) => i);
  const siphash = [0, 1, 7, 8, 15, 16, 32, 63].map((length) => ({
    key: toHex(paperKey),
    message: toHex(paperMessage.subarray(0, length)),
    hash: u64Hex(siphash24(sipKey(paperKey), paperMessage.subarray(0, length))),
  }));
  const { blocks, transfer } = vectorChain();
  const block = blocks[blocks.length - 1]!;
  const nonce = 0x0123456789abcdefn;
  const key = shortIdKey(block.header, nonce);
  const shortIds = block.txs.map((tx) => ({
    wtxid: hashToHex(wtxid(tx)),
    shortId: shortId(key, wtxid(tx)).toString(16).padStart(12, '0'),
  }));
  const hash = headerHash(block.header);
  const cmpct = compactBlockOf(block, nonce);
  // The same cmpctblock with the coinbase's index gap 2: index 2 of a 2-transaction block.
  const nonceLE = toHex(new ByteWriter(8).u64(nonce).finish());
  const idLE = toHex(new ByteWriter(8).u64(BigInt(cmpct.shortIds[0]!)).finish()).slice(0, 12);
  const pastEnd =
    '0e' +
    toHex(encodeHeader(block.header)) +
    nonceLE +
    '01' +
    idLE +
    '01' +
    '02' +
    toHex(encodeTx(block.txs[0]!));
  return {
    description:
      'Compact blocks. siphash: SipHash-2-4(key, message) as a 64-bit big-endian hex number ' +
      '(the SipHash paper, key 00..0f, message 00 01 ..). shortIds: for the 80-byte header ' +
      'and the u64 nonce, key = the first 16 bytes of SHA-256(header || nonce LE); each ' +
      'transaction (wtxid, display order; hashed in internal byte order) has short id = SipHash-2-4(key, wtxid) mod ' +
      '2^48, written as 12 hex digits (on the wire: 6 bytes little-endian). messages and ' +
      'invalidMessages: as in wire.json.',
    siphash,
    shortIds: [
      {
        name: 'block 12 of the vector chain',
        header: toHex(encodeHeader(block.header)),
        nonce: nonce.toString(),
        key: keyBytes(key),
        txs: shortIds,
      },
    ],
    messages: [
      messageVector('sendcmpct, low bandwidth', {
        type: 'sendcmpct',
        highBandwidth: false,
        version: COMPACT_VERSION,
      }),
      messageVector('sendcmpct, high bandwidth', {
        type: 'sendcmpct',
        highBandwidth: true,
        version: COMPACT_VERSION,
      }),
      messageVector('cmpctblock of block 12 (coinbase prefilled)', cmpct),
      messageVector('getblocktxn of its transaction 1', {
        type: 'getblocktxn',
        blockHash: hash,
        indexes: [1],
      }),
      messageVector('getblocktxn, indexes 0, 2, 3 (gaps 0, 1, 0)', {
        type: 'getblocktxn',
        blockHash: hash,
        indexes: [0, 2, 3],
      }),
      messageVector('blocktxn answering it', {
        type: 'blocktxn',
        blockHash: hash,
        txs: [transfer],
      }),
    ],
    invalidMessages: [
      invalidMessage('sendcmpct flag 2', '0d02' + '01' + '00'.repeat(7)),
      invalidMessage('sendcmpct cut short', '0d01' + '01' + '00'.repeat(6)),
      invalidMessage('cmpctblock whose prefilled index is past its transactions', pastEnd),
      invalidMessage(
        `getblocktxn index ${MAX_COMPACT_TXS} (the block limit)`,
        '0f' + toHex(hash) + '01' + 'fd' + u16(MAX_COMPACT_TXS),
      ),
      invalidMessage(
        `getblocktxn count ${MAX_COMPACT_TXS + 1}`,
        '0f' + toHex(hash) + 'fd' + u16(MAX_COMPACT_TXS + 1),
      ),
      invalidMessage('blocktxn with a trailing byte', '10' + toHex(hash) + '00' + '00'),
    ],
  };
}

function u16(n: number): string {
  return toHex(Uint8Array.of(n & 0xff, n >> 8));
}
