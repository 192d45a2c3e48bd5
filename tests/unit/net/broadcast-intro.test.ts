/**
 * client/net/broadcast-intro.ts over Node's own BroadcastChannel (the browser's API): tabs of
 * one network introduce themselves and carry signals addressed to one node; other networks and
 * malformed messages are not heard.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SIGNAL_BYTES, type SignalDelivery } from '../../../core/index.js';
import {
  BROADCAST_ORIGIN,
  BroadcastIntroducer,
  broadcastChannelName,
} from '../../../client/net/broadcast-intro.js';

const NET = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);
const open: { close(): void }[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

function tab(nodeId: string, network = NET) {
  const intro = new BroadcastIntroducer(network, nodeId);
  open.push(intro);
  const heard = {
    introduced: [] as string[],
    joined: [] as string[],
    left: [] as string[],
    signals: [] as SignalDelivery[],
  };
  intro.on('introduced', (ids) => heard.introduced.push(...ids));
  intro.on('peer-joined', ({ nodeId }) => heard.joined.push(nodeId));
  intro.on('peer-left', ({ nodeId }) => heard.left.push(nodeId));
  intro.on('signal', (s) => heard.signals.push(s));
  return { intro, heard };
}

describe('BroadcastIntroducer', () => {
  it('a starting tab is answered by the tabs of its network, and dials them', async () => {
    const b = tab('bob');
    const c = tab('carol');
    const d = tab('dave', OTHER);
    const a = tab('alice');
    a.intro.start();
    await expect.poll(() => a.heard.introduced.sort()).toEqual(['bob', 'carol']);
    expect(b.heard.joined).toEqual(['alice']);
    expect(c.heard.joined).toEqual(['alice']);
    expect(d.heard.joined).toEqual([]);
    expect(await a.intro.requestPeers(['bob'])).toEqual(['carol']);
  });

  it('carries a signal to the one tab it is for, and says goodbye on close', async () => {
    const b = tab('bob');
    const c = tab('carol');
    const a = tab('alice');
    a.intro.start();
    await expect.poll(() => a.heard.introduced.length).toBe(2);
    expect(a.intro.signal('bob', { type: 'offer', sdp: 'x' })).toBe(true);
    expect(a.intro.signal('nobody', { type: 'offer', sdp: 'x' })).toBe(false);
    await expect.poll(() => b.heard.signals).toHaveLength(1);
    expect(b.heard.signals[0]).toEqual({
      from: 'alice',
      data: { type: 'offer', sdp: 'x' },
      origin: BROADCAST_ORIGIN,
    });
    // Bob can answer: the offer taught him alice.
    expect(b.intro.signal('alice', { type: 'answer', sdp: 'y' })).toBe(true);
    await expect
      .poll(() => a.heard.signals.map((s) => s.data))
      .toEqual([{ type: 'answer', sdp: 'y' }]);
    expect(c.heard.signals).toEqual([]);
    a.intro.close();
    open.splice(open.indexOf(a.intro), 1);
    await expect.poll(() => b.heard.left).toEqual(['alice']);
    expect(await b.intro.requestPeers([])).toEqual([]);
  });

  it('ignores malformed messages, bad node ids and oversized signals', async () => {
    const b = tab('bob');
    const raw = new BroadcastChannel(broadcastChannelName(NET));
    open.push(raw);
    const big = { type: 'offer', sdp: 'x'.repeat(MAX_SIGNAL_BYTES) };
    for (const junk of [
      'hello',
      null,
      { t: 'announce', from: 'no spaces allowed' },
      { t: 'signal', from: 'eve', to: 'bob', data: 'not an object' },
      { t: 'signal', from: 'eve', to: 'bob', data: big },
      { t: 'present', from: 'eve' },
    ])
      raw.postMessage(junk);
    raw.postMessage({ t: 'signal', from: 'eve', to: 'bob', data: { type: 'candidate' } });
    await expect.poll(() => b.heard.signals).toHaveLength(1);
    expect(b.heard.signals[0]!.data).toEqual({ type: 'candidate' });
    expect(b.heard.joined).toEqual([]);
    expect(b.heard.introduced).toEqual([]);
  });
});
