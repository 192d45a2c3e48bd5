/**
 * A stand-in for WebRTC in one process, for meshes in integration tests: the dialler's offer and
 * the answer are opaque tokens carried by whatever signaling source the mesh uses, and the link
 * (a pair of memory links) opens only when the answer reaches the one who made the offer, as
 * DTLS binds a real data channel to the descriptions exchanged. Each side's link carries the
 * node id that side believes it is talking to, so a lie about an id is caught where a real node
 * catches it: at `hello`.
 */
import { Emitter } from '../../client/events.js';
import { noCandidates, type PeerConnection } from '../../client/net/link-attempt.js';
import type { PeerConnectionOptions } from '../../client/net/link-attempt.js';
import type { Link } from '../../client/net/link.js';
import { MemoryLink } from '../../client/net/memory-link.js';
import type { TrackerEvents } from '../../client/net/tracker-client.js';

/** Offers made and not yet answered, by token: how to open the dialler's side. */
const offers = new Map<string, { remoteId: string; open(link: Link): void }>();
let tokens = 0;

const macrotask = (task: () => void) => void setTimeout(task, 0);

/** The `connect` option of a Mesh for node `self`. */
export function fakeConnect(self: string): (options: PeerConnectionOptions) => PeerConnection {
  return (options) => {
    let resolve!: (link: Link) => void;
    let reject!: (err: Error) => void;
    const ready = new Promise<Link>((res, rej) => ((resolve = res), (reject = rej)));
    ready.catch(() => undefined);
    let settled = false;
    const open = (link: Link) => {
      if (settled) return link.close('attempt over');
      settled = true;
      resolve(link);
    };
    let token = '';
    if (options.initiator) {
      token = `${self}#${++tokens}`;
      offers.set(token, { remoteId: options.remoteId, open });
      macrotask(() => options.sendSignal({ type: 'offer', sdp: token }));
    }
    return {
      ready,
      signal(data) {
        const { type, sdp } = data as { type: string; sdp: string };
        if (type === 'offer' && !options.initiator) {
          // Whoever made this offer gets the link once our answer reaches it.
          options.sendSignal({ type: 'answer', sdp, by: self });
          answered.set(sdp, { remoteId: options.remoteId, open });
        } else if (type === 'answer' && options.initiator && sdp === token) {
          const offer = offers.get(sdp);
          const answerer = answered.get(sdp);
          if (!offer || !answerer) return;
          offers.delete(sdp);
          answered.delete(sdp);
          const mine = new MemoryLink(offer.remoteId, true, macrotask);
          const theirs = new MemoryLink(answerer.remoteId, false, macrotask);
          mine.other = theirs;
          theirs.other = mine;
          offer.open(mine);
          answerer.open(theirs);
        }
      },
      progress: () => ({ stage: 'signaling', local: noCandidates(), remote: noCandidates() }),
      destroy(reason) {
        settled = true;
        reject(new Error(reason));
      },
    };
  };
}

/** Answers sent, by the offer's token: how to open the answerer's side. */
const answered = new Map<string, { remoteId: string; open(link: Link): void }>();

/** A tracker that is down: no introductions, no signals. */
export function downTracker() {
  return Object.assign(new Emitter<TrackerEvents>(), {
    connected: false,
    requestPeers: async () => [] as string[],
    signal: () => undefined,
  });
}
