/**
 * One request per announced transaction (client/net/tx-requests.ts): the first announcer is
 * asked, the others wait in announcement order and are asked only when a request ends without
 * the transaction (notfound, disconnect, timeout); per-peer caps hold against hostile peers.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_PEER_TX_ANNOUNCEMENTS,
  MAX_PEER_TX_IN_FLIGHT,
  TX_REQUEST_TIMEOUT_MS,
  TxRequests,
  type TxRequestBatches,
} from '../../../client/net/tx-requests.js';

const T0 = 1_000_000;
const txid = (n: number) => n.toString(16).padStart(64, '0');
const batches = (b: TxRequestBatches<string>) => Object.fromEntries(b);

describe('TxRequests', () => {
  it('asks only the first of k announcers', () => {
    const requests = new TxRequests<string>();
    const asked = ['a', 'b', 'c', 'd'].filter((p) => requests.announced(p, txid(1), T0));
    expect(asked).toEqual(['a']);
    expect(requests.announced('b', txid(1), T0 + 10)).toBe(false); // announced twice
    expect(requests.inFlight('a')).toBe(1);
    expect(requests.inFlight('b')).toBe(0);
    expect(requests.tracked('b')).toBe(1);
    expect(requests.size).toBe(1);
  });

  it('asks the next announcer, in announcement order, when the one asked answers notfound', () => {
    const requests = new TxRequests<string>();
    for (const p of ['a', 'c', 'b']) requests.announced(p, txid(1), T0);
    expect(batches(requests.notFound('b', txid(1), T0))).toEqual({}); // not asked of b
    expect(batches(requests.notFound('a', txid(1), T0))).toEqual({ c: [txid(1)] });
    expect(batches(requests.notFound('c', txid(1), T0))).toEqual({ b: [txid(1)] });
    expect(batches(requests.notFound('b', txid(1), T0))).toEqual({});
    expect(requests.size).toBe(0); // nobody left: forgotten
    expect(requests.tracked('a') + requests.tracked('b') + requests.tracked('c')).toBe(0);
  });

  it('asks the next announcer when the one asked disconnects, and forgets a gone alternate', () => {
    const requests = new TxRequests<string>();
    for (const p of ['a', 'b', 'c']) {
      requests.announced(p, txid(1), T0);
      requests.announced(p, txid(2), T0);
    }
    requests.announced('b', txid(3), T0);
    expect(batches(requests.dropPeer('b', T0))).toEqual({}); // only an alternate of 1 and 2
    expect(requests.size).toBe(2); // 3 had nobody else
    expect(batches(requests.dropPeer('a', T0))).toEqual({ c: [txid(1), txid(2)] });
    expect(requests.inFlight('c')).toBe(2);
    expect(batches(requests.dropPeer('c', T0))).toEqual({});
    expect(requests.size).toBe(0);
  });

  it('asks the next announcer when the one asked does not answer within the timeout', () => {
    const requests = new TxRequests<string>();
    requests.announced('silent', txid(1), T0);
    requests.announced('honest', txid(1), T0 + 5);
    expect(batches(requests.expire(T0 + TX_REQUEST_TIMEOUT_MS - 1))).toEqual({});
    expect(batches(requests.expire(T0 + TX_REQUEST_TIMEOUT_MS))).toEqual({ honest: [txid(1)] });
    expect(requests.inFlight('silent')).toBe(0);
    // The new request has a timeout of its own, from when it was sent.
    const later = T0 + TX_REQUEST_TIMEOUT_MS;
    expect(batches(requests.expire(later + TX_REQUEST_TIMEOUT_MS - 1))).toEqual({});
    expect(batches(requests.expire(later + TX_REQUEST_TIMEOUT_MS))).toEqual({});
    expect(requests.size).toBe(0);
  });

  it('a peer that announces everything first and never answers delays each tx one timeout', () => {
    const requests = new TxRequests<string>();
    const ids = Array.from({ length: 50 }, (_, i) => txid(i));
    for (const id of ids) requests.announced('staller', id, T0);
    for (const id of ids) expect(requests.announced('honest', id, T0 + 20)).toBe(false);
    const retried = requests.expire(T0 + TX_REQUEST_TIMEOUT_MS);
    expect(batches(retried)).toEqual({ honest: ids });
    for (const id of ids) requests.received(id);
    expect(requests.size).toBe(0);
  });

  it('forgets a transaction once received, whoever it came from', () => {
    const requests = new TxRequests<string>();
    requests.announced('a', txid(1), T0);
    requests.announced('b', txid(1), T0);
    requests.received(txid(1));
    expect(requests.size).toBe(0);
    expect(batches(requests.notFound('a', txid(1), T0))).toEqual({});
    expect(batches(requests.expire(T0 + TX_REQUEST_TIMEOUT_MS))).toEqual({});
    expect(requests.tracked('a') + requests.tracked('b')).toBe(0);
    expect(requests.announced('b', txid(1), T0 + 1)).toBe(true); // wanted again: asked again
  });

  it(`tracks at most ${MAX_PEER_TX_ANNOUNCEMENTS} announcements of one peer`, () => {
    const requests = new TxRequests<string>();
    const ids = Array.from({ length: MAX_PEER_TX_ANNOUNCEMENTS + 500 }, (_, i) => txid(i));
    // Honest peers have all of them in flight, within their own caps.
    ids.forEach((id, i) => requests.announced(`honest${i % 8}`, id, T0));
    for (const id of ids) requests.announced('flood', id, T0);
    expect(requests.tracked('flood')).toBe(MAX_PEER_TX_ANNOUNCEMENTS);
    // Past the cap, neither asked nor remembered.
    expect(requests.announced('flood', txid(1_000_000), T0)).toBe(false);
    expect(requests.size).toBe(ids.length);
    // Its announcements leave with it.
    requests.dropPeer('flood', T0);
    expect(requests.tracked('flood')).toBe(0);
  });

  it(`asks one peer for at most ${MAX_PEER_TX_IN_FLIGHT} transactions at a time`, () => {
    const requests = new TxRequests<string>();
    const asked = Array.from({ length: MAX_PEER_TX_IN_FLIGHT + 50 }, (_, i) =>
      requests.announced('a', txid(i), T0),
    );
    expect(asked.filter(Boolean)).toHaveLength(MAX_PEER_TX_IN_FLIGHT);
    expect(requests.tracked('a')).toBe(MAX_PEER_TX_IN_FLIGHT); // the rest ignored
    // Once some are answered, it is asked again.
    requests.received(txid(0));
    expect(requests.announced('a', txid(MAX_PEER_TX_IN_FLIGHT + 1), T0)).toBe(true);
    // A full peer is passed over as an alternate.
    requests.announced('b', txid(10_000), T0);
    requests.announced('a', txid(10_000), T0);
    requests.announced('c', txid(10_000), T0);
    expect(batches(requests.notFound('b', txid(10_000), T0))).toEqual({ c: [txid(10_000)] });
    expect(requests.inFlight('a')).toBe(MAX_PEER_TX_IN_FLIGHT);
  });

  it('keeps its timeout queue small while requests end before they time out', () => {
    const requests = new TxRequests<string>();
    for (let i = 0; i < 100_000; i++) {
      requests.announced('a', txid(i), T0);
      requests.announced('b', txid(i), T0);
      requests.notFound('a', txid(i), T0);
      requests.notFound('b', txid(i), T0);
    }
    expect(requests.size).toBe(0);
    expect(requests.queued).toBeLessThan(3_000);
  });
});
