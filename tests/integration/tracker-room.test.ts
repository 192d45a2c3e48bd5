/** The tracker tells each node how many nodes its room holds, in its join and peers answers. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTracker, type Tracker } from '../../tracker/server.js';
import { NET_A, NET_B, closeAll, connect, seeded } from '../helpers/tracker-client.js';

let tracker: Tracker;

beforeEach(async () => {
  tracker = await startTracker({ port: 0, host: '127.0.0.1', random: seeded(3) });
});

afterEach(async () => {
  closeAll();
  await tracker.close();
});

it('counts the room, the asker included, per network, and follows leaves', async () => {
  const rooms: number[] = [];
  const sockets: Awaited<ReturnType<typeof connect>>[] = [];
  for (let i = 0; i < 5; i++) {
    const socket = await connect(tracker.url);
    sockets.push(socket);
    const answer = (await socket.emitWithAck('join', { network: NET_A, nodeId: `n${i}` })) as {
      room: number;
    };
    rooms.push(answer.room);
  }
  expect(rooms).toEqual([1, 2, 3, 4, 5]);
  const other = await connect(tracker.url);
  expect(await other.emitWithAck('join', { network: NET_B, nodeId: 'x' })).toMatchObject({
    room: 1,
  });
  sockets[4]!.disconnect();
  await expect
    .poll(async () => ((await sockets[0]!.emitWithAck('peers', {})) as { room: number }).room)
    .toBe(4);
});
