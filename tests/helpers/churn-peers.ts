/**
 * Light peers for the real-tab churn test (tests/e2e/churn.spec.ts), bundled for the browser by
 * the spec and run in a helper page: each visit joins the real tracker under a new id, dials the
 * node under test over a real RTCPeerConnection (simple-peer, through our own wrapper), answers
 * its hello and pings, holds the link a moment, then closes it and leaves. A visit whose offer
 * is not answered (the node's connection budget said no) gives up after `timeoutMs`.
 */
import { Peer } from '../../client/net/peer.js';
import { connectPeer, peerConnections } from '../../client/net/simple-peer-link.js';
import { TrackerClient } from '../../client/net/tracker-client.js';

export interface VisitOptions {
  trackerUrl: string;
  network: string;
  id: string;
  target: string;
  holdMs: number;
  timeoutMs: number;
}

export type VisitResult = 'linked' | 'unanswered' | 'no-tracker';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`'s value, or undefined if it fails or takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise.catch(() => undefined), sleep(ms).then(() => undefined)]);
}

export async function visit(o: VisitOptions): Promise<VisitResult> {
  const tracker = new TrackerClient(o.trackerUrl, o.network, o.id);
  try {
    const joined = new Promise<true>((resolve) => tracker.on('introduced', () => resolve(true)));
    if (!(await within(joined, o.timeoutMs))) return 'no-tracker';
    const connection = connectPeer({
      remoteId: o.target,
      initiator: true,
      iceServers: [],
      sendSignal: (data) => tracker.signal(o.target, data),
    });
    tracker.on('signal', ({ from, data }) => {
      // Our id sorts first, so our offer wins a simultaneous dial: ignore the node's own offer.
      const offer = (data as { type?: unknown } | null)?.type === 'offer';
      if (from === o.target && !offer) connection.signal(data);
    });
    const link = await within(connection.ready, o.timeoutMs);
    if (!link) {
      connection.destroy('unanswered');
      return 'unanswered';
    }
    let handshaken!: () => void;
    const ready = new Promise<void>((resolve) => (handshaken = resolve));
    const peer = new Peer(
      link,
      {
        onMessage: (p, message) => {
          if (message.type === 'hello') {
            p.send({ ...message, nodeId: o.id, userAgent: 'churn' });
            handshaken();
          }
          if (message.type === 'ping') p.send({ type: 'pong', nonce: message.nonce });
        },
        onInvalid: () => undefined,
        onClose: () => undefined,
      },
      Date.now,
    );
    await within(
      ready.then(() => true),
      o.timeoutMs,
    );
    await sleep(o.holdMs);
    peer.close('leaving');
    return 'linked';
  } finally {
    tracker.close();
  }
}

/** Run `count` visits, `parallel` at a time; ids are `${prefix}${i}`. */
export async function churn(
  base: Omit<VisitOptions, 'id'>,
  prefix: string,
  count: number,
  parallel: number,
): Promise<Record<VisitResult, number>> {
  const results: Record<VisitResult, number> = { linked: 0, unanswered: 0, 'no-tracker': 0 };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const id = `${prefix}${next++}`;
      results[await visit({ ...base, id })]++;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

declare global {
  interface Window {
    churnPeers?: { churn: typeof churn; peerConnections: typeof peerConnections };
  }
}

window.churnPeers = { churn, peerConnections };
