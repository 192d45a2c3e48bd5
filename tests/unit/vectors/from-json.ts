/**
 * Reading the vectors' JSON forms back into core objects, written apart from the generator
 * (tools/vectors/to-json.ts) so a test compares two independent readings of one convention:
 * hex bytes, hashes in internal order, big integers as decimal strings.
 */
import type { BlockHeader, InvItem, Tx, WireMessage } from '../../../core/index.js';
import { decodeBlock, decodeTx, fromHex } from '../../../core/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type J = any;

export function bytes(hex: J): Uint8Array {
  if (typeof hex !== 'string' || !/^([0-9a-f]{2})*$/.test(hex)) {
    throw new TypeError(`not lower-case hex: ${String(hex).slice(0, 40)}`);
  }
  return fromHex(hex);
}

function u32(value: J): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new TypeError(`not a u32: ${value}`);
  }
  return value;
}

function decimal(value: J): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value)) {
    throw new TypeError(`not a decimal string: ${value}`);
  }
  return BigInt(value);
}

export function headerFrom(h: J): BlockHeader {
  return {
    version: u32(h.version),
    prevHash: bytes(h.prevHash),
    merkleRoot: bytes(h.merkleRoot),
    time: u32(h.time),
    bits: u32(h.bits),
    nonce: u32(h.nonce),
  };
}

export function txFrom(t: J): Tx {
  return {
    version: u32(t.version),
    inputs: t.inputs.map((i: J) => ({
      prevout: { txid: bytes(i.prevTxid), vout: u32(i.vout) },
      script: bytes(i.script),
      witness: bytes(i.witness),
    })),
    outputs: t.outputs.map((o: J) => ({ amount: decimal(o.amount), pubkey: bytes(o.pubkey) })),
    lockTime: u32(t.lockTime),
  };
}

function invFrom(items: J): InvItem[] {
  return items.map((item: J) => {
    if (item.kind !== 'tx' && item.kind !== 'block') throw new TypeError(`inv kind ${item.kind}`);
    return { kind: item.kind, hash: bytes(item.hash) };
  });
}

function must<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new TypeError(`embedded object does not decode: ${result.reason}`);
  return result.value;
}

export function messageFrom(m: J): WireMessage {
  switch (m.type) {
    case 'hello':
      return {
        type: 'hello',
        version: u32(m.version),
        network: m.network,
        nodeId: m.nodeId,
        tip: bytes(m.tip),
        height: u32(m.height),
        chainWork: decimal(m.chainWork),
        userAgent: m.userAgent,
      };
    case 'ping':
    case 'pong':
      return { type: m.type, nonce: decimal(m.nonce) };
    case 'inv':
    case 'getdata':
    case 'notfound':
      return { type: m.type, items: invFrom(m.items) };
    case 'tx':
      return { type: 'tx', tx: must(decodeTx(bytes(m.tx))) };
    case 'block':
      return { type: 'block', block: must(decodeBlock(bytes(m.block))) };
    case 'getheaders':
      return { type: 'getheaders', locator: m.locator.map(bytes), stop: bytes(m.stop) };
    case 'headers':
      return { type: 'headers', headers: m.headers.map(headerFrom) };
    case 'reject':
      return {
        type: 'reject',
        message: m.message,
        reason: m.reason,
        hash: bytes(m.hash),
        detail: m.detail,
      };
    case 'status':
      return {
        type: 'status',
        version: m.version,
        reports: m.reports.map((r: J) => ({
          origin: r.origin,
          seq: u32(r.seq),
          ageMs: u32(r.ageMs),
          hops: r.hops,
          mining: r.mining,
          anonymous: r.anonymous,
          name: r.name,
          tip: bytes(r.tip),
          height: u32(r.height),
          hashrate: u32(r.hashrate),
          peerCount: r.peerCount,
          links: r.links,
          arrivals: r.arrivals.map((a: J) => ({ block: bytes(a.block), agoMs: u32(a.agoMs) })),
        })),
        opaque: bytes(m.opaque),
      };
    case 'sendcmpct':
      return { type: 'sendcmpct', highBandwidth: m.highBandwidth, version: decimal(m.version) };
    case 'cmpctblock':
      return {
        type: 'cmpctblock',
        header: headerFrom(m.header),
        nonce: decimal(m.nonce),
        // Short ids: 12 hex digits, the 48-bit value (the wire carries it little-endian).
        shortIds: m.shortIds.map((id: J) => Number.parseInt(id, 16)),
        prefilled: m.prefilled.map((p: J) => ({ index: p.index, tx: must(decodeTx(bytes(p.tx))) })),
      };
    case 'getblocktxn':
      return { type: 'getblocktxn', blockHash: bytes(m.blockHash), indexes: m.indexes };
    case 'blocktxn':
      return {
        type: 'blocktxn',
        blockHash: bytes(m.blockHash),
        txs: m.txs.map((t: J) => must(decodeTx(bytes(t)))),
      };
    default:
      throw new TypeError(`unknown message type ${m.type}`);
  }
}
