/**
 * The handshake as a stranger's node sees it (docs/protocol.md "Handshake" and "Versioning"): a
 * raw in-memory link speaking bytes to a real node. A hello with a higher version is accepted
 * and the link speaks version 1; version 0, another genesis or another node id are refused
 * with a `reject` (message `hello`) and the link closed, without a ban.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
  frameMessage,
  type HelloMessage,
  type WireMessage,
  workFromBits,
} from '../../core/index.js';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { linkVersion } from '../../client/net/serve.js';
import { makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { params } from '../helpers/regtest.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

/** A node and a raw link to it from `stranger`: what the node sends, and whether it closed. */
async function rawLink(stranger = 'stranger') {
  const node = await makeNode('node');
  nodes.push(node);
  const [toStranger, toNode] = memoryLinkPair('node', stranger);
  const received: WireMessage[] = [];
  const closed: string[] = [];
  toNode.attach({
    onFrame: (frame) => {
      if (typeof frame === 'string') throw new Error('a node sent a text frame');
      expect(frame[0]).toBe(0); // small messages travel whole
      const decoded = decodeMessage(frame.subarray(1));
      if (decoded.ok) received.push(decoded.value);
    },
    onClose: (reason) => closed.push(reason),
    onDrain: () => undefined,
  });
  node.p2p.addLink(toStranger);
  const send = (message: WireMessage) => {
    for (const frame of frameMessage(encodeMessage(message))) toNode.send(frame);
  };
  return { node, received, closed, send };
}

function hello(overrides: Partial<HelloMessage> = {}): HelloMessage {
  return {
    type: 'hello',
    version: PROTOCOL_VERSION,
    network: params.genesisId,
    nodeId: 'stranger',
    tip: params.genesisHash,
    height: 0,
    chainWork: workFromBits(params.genesis.header.bits), // the same chain as the node's
    userAgent: 'stranger/0.1',
    ...overrides,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('hello versions', () => {
  it('accepts a higher version: the link is ready and speaks ours (2: compact blocks)', async () => {
    const { node, received, closed, send } = await rawLink();
    send(hello({ version: 7 }));
    for (let turn = 0; turn < 200 && received.length < 2; turn++) await settle();
    expect(closed).toEqual([]);
    expect(received.map((m) => m.type)).toEqual(['hello', 'sendcmpct']);
    expect(node.p2p.peers.get('stranger')?.state).toBe('ready');
    expect(linkVersion(hello({ version: 7 }))).toBe(PROTOCOL_VERSION);
    send({ type: 'ping', nonce: 42n });
    await settle();
    expect(received.at(-1)).toEqual({ type: 'pong', nonce: 42n });
  });

  it.each([
    ['version 0', hello({ version: 0 }), 'bad-version'],
    ['another genesis', hello({ network: 'ab'.repeat(32) }), 'wrong-network'],
    ['another node id', hello({ nodeId: 'someone-else' }), 'bad-hello'],
  ])('refuses %s with a reject, closes the link, bans nobody', async (_, h, reason) => {
    const { node, received, closed, send } = await rawLink();
    send(h);
    await settle();
    expect(received.map((m) => m.type)).toEqual(['hello', 'reject']);
    expect(received[1]).toMatchObject({ type: 'reject', message: 'hello', reason });
    expect(closed).toHaveLength(1);
    expect(node.p2p.bans.get('stranger', Date.now())).toBeUndefined();
  });
});
