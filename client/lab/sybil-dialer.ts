/**
 * The browser side of "rejoin under new ids": a fresh tracker connection under another node
 * id, and one WebRTC link from it to a named peer, exactly as a second tab would make. The
 * tracker connection is closed a little later (links do not depend on it, but closing at once
 * could make the remote abandon its half-open side).
 */
import type { Link } from '../net/link.js';
import { connectPeer } from '../net/simple-peer-link.js';
import { TrackerClient } from '../net/tracker-client.js';
import type { SybilDialer } from './rejoin.js';

/** A refused offer is simply not answered: give up on it after this long. */
const SYBIL_TIMEOUT_MS = 5_000;
/** The sybil's tracker connection is closed this long after its attempt ends. */
const TRACKER_LINGER_MS = 10_000;

export function browserSybilDialer(
  trackerUrl: string,
  network: string,
  iceServers: RTCIceServer[],
): SybilDialer {
  return async (id, remoteId) => {
    const tracker = new TrackerClient(trackerUrl, network, id);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no join')), SYBIL_TIMEOUT_MS);
        const off = tracker.on('introduced', () => {
          clearTimeout(timer);
          off();
          resolve();
        });
      });
      const connection = connectPeer({
        remoteId,
        initiator: true,
        iceServers,
        sendSignal: (data) => tracker.signal(remoteId, data),
      });
      const off = tracker.on('signal', ({ from, data }) => {
        if (from === remoteId) connection.signal(data);
      });
      connection.ready.then(off, off);
      // ICE failure raises no error by itself: give the attempt a deadline.
      const deadline = setTimeout(() => connection.destroy('timed out'), SYBIL_TIMEOUT_MS);
      try {
        return await connection.ready;
      } finally {
        clearTimeout(deadline);
      }
    } catch {
      return undefined as Link | undefined;
    } finally {
      setTimeout(() => tracker.close(), TRACKER_LINGER_MS);
    }
  };
}
