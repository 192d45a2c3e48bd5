/**
 * Checker for docs/vectors/compact.json: SipHash-2-4 outputs, the short-id key and short ids of
 * a block, and the compact messages (checked like wire.json's messages).
 */
import {
  decodeHeader,
  hexToHash,
  shortId,
  shortIdKey,
  sipKey,
  siphash24,
} from '../../../core/index.js';
import { wire } from './check-blocks-wire.js';
import { bytes } from './from-json.js';
import type { FileSpec, J } from './spec.js';
import { deepStrictEqual as same, strictEqual as equal } from 'node:assert/strict';

export const compact: FileSpec = {
  siphash: {
    kind: 'valid',
    check: (v: J) => {
      const hash = siphash24(sipKey(bytes(v.key)), bytes(v.message));
      equal(hash.toString(16).padStart(16, '0'), v.hash);
    },
  },
  shortIds: {
    kind: 'valid',
    check: (v: J) => {
      const header = decodeHeader(bytes(v.header));
      if (!header.ok) throw new Error(`header does not decode: ${header.reason}`);
      const key = shortIdKey(header.value, BigInt(v.nonce));
      same(key, sipKey(bytes(v.key)));
      for (const tx of v.txs) {
        equal(shortId(key, hexToHash(tx.wtxid)).toString(16).padStart(12, '0'), tx.shortId);
      }
    },
  },
  messages: wire.messages!,
  invalidMessages: wire.invalidMessages!,
};
