/**
 * The vectors' JSON forms of core objects (docs/vectors/README.md states the conventions):
 * bytes as lower-case hex, 32-byte hashes inside `fields` in internal byte order (as encoded),
 * amounts and other big integers as decimal strings, u32s as numbers. Used only by the
 * generator; the tests read these forms back with code of their own.
 */
import {
  encodeTx,
  toHex,
  type BlockHeader,
  type InvItem,
  type Tx,
  type WireMessage,
} from '../../core/index.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function headerJson(header: BlockHeader): Json {
  return {
    version: header.version,
    prevHash: toHex(header.prevHash),
    merkleRoot: toHex(header.merkleRoot),
    time: header.time,
    bits: header.bits,
    nonce: header.nonce,
  };
}

export function txJson(tx: Tx): Json {
  return {
    version: tx.version,
    inputs: tx.inputs.map((input) => ({
      prevTxid: toHex(input.prevout.txid),
      vout: input.prevout.vout,
      script: toHex(input.script),
      witness: toHex(input.witness),
    })),
    outputs: tx.outputs.map((output) => ({
      amount: output.amount.toString(),
      pubkey: toHex(output.pubkey),
    })),
    lockTime: tx.lockTime,
  };
}

function invJson(items: readonly InvItem[]): Json {
  return items.map((item) => ({ kind: item.kind, hash: toHex(item.hash) }));
}

/** A wire message's fields (the tag is `type`; blocks and txs as their hex encodings). */
export function messageJson(message: WireMessage, encodedBody?: string): Json {
  switch (message.type) {
    case 'hello':
      return {
        type: 'hello',
        version: message.version,
        network: message.network,
        nodeId: message.nodeId,
        tip: toHex(message.tip),
        height: message.height,
        chainWork: message.chainWork.toString(),
        userAgent: message.userAgent,
      };
    case 'ping':
    case 'pong':
      return { type: message.type, nonce: message.nonce.toString() };
    case 'inv':
    case 'getdata':
    case 'notfound':
      return { type: message.type, items: invJson(message.items) };
    case 'tx':
      return { type: 'tx', tx: encodedBody ?? '' };
    case 'block':
      return { type: 'block', block: encodedBody ?? '' };
    case 'getheaders':
      return {
        type: 'getheaders',
        locator: message.locator.map(toHex),
        stop: toHex(message.stop),
      };
    case 'headers':
      return { type: 'headers', headers: message.headers.map(headerJson) };
    case 'reject':
      return {
        type: 'reject',
        message: message.message,
        reason: message.reason,
        hash: toHex(message.hash),
        detail: message.detail,
      };
    case 'status':
      return {
        type: 'status',
        version: message.version,
        reports: message.reports.map((r) => ({
          origin: r.origin,
          seq: r.seq,
          ageMs: r.ageMs,
          hops: r.hops,
          mining: r.mining,
          anonymous: r.anonymous,
          name: r.name,
          tip: toHex(r.tip),
          height: r.height,
          hashrate: r.hashrate,
          peerCount: r.peerCount,
          links: r.links,
          arrivals: r.arrivals.map((a) => ({ block: toHex(a.block), agoMs: a.agoMs })),
        })),
        opaque: toHex(message.opaque),
      };
    case 'sendcmpct':
      return {
        type: 'sendcmpct',
        highBandwidth: message.highBandwidth,
        version: message.version.toString(),
      };
    case 'cmpctblock':
      return {
        type: 'cmpctblock',
        header: headerJson(message.header),
        nonce: message.nonce.toString(),
        shortIds: message.shortIds.map((id) => id.toString(16).padStart(12, '0')),
        prefilled: message.prefilled.map((p) => ({ index: p.index, tx: toHex(encodeTx(p.tx)) })),
      };
    case 'getblocktxn':
      return { type: 'getblocktxn', blockHash: toHex(message.blockHash), indexes: message.indexes };
    case 'blocktxn':
      return {
        type: 'blocktxn',
        blockHash: toHex(message.blockHash),
        txs: message.txs.map((tx) => toHex(encodeTx(tx))),
      };
  }
}
