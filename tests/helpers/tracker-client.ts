/** Test helpers: real socket.io-client connections to a tracker, and waiting on events. */
import { io, type Socket } from 'socket.io-client';
import type { PeersAnswer, TrackerError } from '../../core/wire/signal.js';

export const NET_A = 'a'.repeat(64);
export const NET_B = 'b'.repeat(64);

const open: Socket[] = [];

export async function connect(url: string, extraHeaders?: Record<string, string>): Promise<Socket> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders,
  });
  open.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

export function closeAll(): void {
  for (const socket of open.splice(0)) socket.close();
}

/** The next `event` on `socket` (rejects after `ms`). */
export function next<T = unknown>(socket: Socket, event: string, ms = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

export async function join(socket: Socket, network: string, nodeId: string): Promise<string[]> {
  const answer = (await socket
    .timeout(5000)
    .emitWithAck('join', { network, nodeId })) as PeersAnswer;
  return answer.peers;
}

/** Emit `event` and return the tracker-error it provokes. */
export async function refused(
  socket: Socket,
  event: string,
  ...args: unknown[]
): Promise<TrackerError> {
  const error = next<TrackerError>(socket, 'tracker-error');
  socket.emit(event, ...args);
  return error;
}

export { seeded } from './seeded.js';
