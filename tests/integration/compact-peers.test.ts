/**
 * Which peers get a block as a compact block, and when (client/net/compact-relay.ts,
 * docs/protocol.md "Compact blocks", Sending): at most 3 high-bandwidth peers get blocks
 * unsolicited, before validation, and forward them the same way; low-bandwidth peers get
 * `headers` and ask for the compact form, except for a block its own miner found, which goes
 * unsolicited to every peer that speaks compact blocks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { headerId } from '../../core/index.js';
import { MAX_HIGH_BANDWIDTH_PEERS } from '../../client/net/compact-relay.js';
import { buildBlock } from '../helpers/regtest.js';
import { makeNode, stopAll, type TestNode } from '../helpers/net.js';
import {
  blockRequests,
  blockTraffic,
  fundSpends,
  fundedPairOf,
  holdTxs,
  mineAndRelay,
  owner,
  tappedLink,
  typesOf,
  waitFor,
} from '../helpers/compact.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

async function node(name: string): Promise<TestNode> {
  const made = await makeNode(name, { compactBlocks: true });
  nodes.push(made);
  return made;
}

const fundedPair = (spends: number) => fundedPairOf(node, spends);

describe('high- and low-bandwidth peers', () => {
  it(`keeps at most ${MAX_HIGH_BANDWIDTH_PEERS} high-bandwidth peers; the others get headers and ask for the compact form`, async () => {
    const hub = await node('hub');
    const spokes = await Promise.all([1, 2, 3, 4].map((i) => node(`s${i}`)));
    const taps = spokes.map((s) => tappedLink(s, hub));
    // x reaches the hub only through s1: its blocks are relayed by s1, not mined there.
    const x = await node('x');
    tappedLink(x, spokes[0]!);
    const txs = await fundSpends(spokes[0]!, 5);
    const height = () => spokes[0]!.state.chain.height;
    await waitFor('all synced', () =>
      [hub, ...spokes].every((n) => n.state.chain.height === height()),
    );
    // s2, s3, s4 each deliver a new block first.
    for (const spoke of spokes.slice(1)) {
      const block = buildBlock(spoke.state.chain.tip, { payTo: owner });
      await spoke.p2p.submitBlock(block, 'local');
      const id = headerId(block.header);
      await waitFor('all have it', () =>
        [hub, ...spokes].every((n) => n.state.chain.tip.id === id),
      );
    }
    expect(hub.p2p.compact.highBandwidth).toEqual(['s2', 's3', 's4']);
    // s1 was displaced: told so.
    const toS1 = taps[0]!.ba.messages.filter((m) => m.type === 'sendcmpct');
    expect(toS1.at(-1)).toMatchObject({ highBandwidth: false });
    await waitFor(
      's1 heard it',
      () => !spokes[0]!.p2p.compact.sendsUnsolicitedTo(spokes[0]!.p2p.peers.get('hub')!),
    );
    // The next block s1 relays (x's) reaches the hub by headers, then getdata(cmpct) →
    // cmpctblock.
    await waitFor('x synced', () => x.state.chain.height === hub.state.chain.height);
    await holdTxs(x, txs, 's1');
    await holdTxs(spokes[0]!, txs, 'hub');
    await holdTxs(hub, txs);
    const from = { up: taps[0]!.ab.messages.length, down: taps[0]!.ba.messages.length };
    await mineAndRelay(x, hub, buildBlock(x.state.chain.tip, { payTo: owner, txs }));
    expect(blockTraffic(taps[0]!.ab, from.up)).toEqual(['cmpctblock']);
    expect(blockRequests(taps[0]!.ba, from.down)).toEqual(['cmpct']);
    expect(typesOf(taps[0]!.ab, from.up)).toContain('headers');
  });

  it('a block its own miner found goes as a compact block to low-bandwidth peers too', async () => {
    const { a, b, taps, txs } = await fundedPair(5);
    // b never delivered a block to a first: a has not asked b for blocks unsolicited.
    expect(b.p2p.compact.sendsUnsolicitedTo(b.p2p.peers.get('a')!)).toBe(false);
    await holdTxs(b, txs, 'a');
    await holdTxs(a, txs);
    const from = { ab: taps.ab.messages.length, ba: taps.ba.messages.length };
    const block = buildBlock(b.state.chain.tip, { payTo: owner, txs });
    await mineAndRelay(b, a, block);
    // No headers → getdata round trip on the first hop: the cmpctblock came unasked.
    expect(blockTraffic(taps.ba, from.ba)).toEqual(['cmpctblock']);
    expect(typesOf(taps.ba, from.ba)).not.toContain('headers');
    expect(blockRequests(taps.ab, from.ab)).toEqual([]);
    // b delivered it first, but unasked: its miner's own block, which b sends every compact
    // peer anyway, says nothing of how fast b relays the blocks of others. a does not spend
    // one of its 3 high-bandwidth slots on it (it would only bring copies of blocks a has).
    expect(a.p2p.compact.highBandwidth).not.toContain('b');
    expect(typesOf(taps.ab, from.ab)).not.toContain('sendcmpct');
  });

  it('a peer that relays a block first when asked becomes high-bandwidth', async () => {
    const { a, b, taps, txs } = await fundedPair(5);
    // c reaches a only through b: its block comes to a by b's headers, then getdata(cmpct).
    const c = await node('c');
    tappedLink(c, b);
    await waitFor('c synced', () => c.state.chain.height === a.state.chain.height);
    await holdTxs(c, txs, 'b');
    await holdTxs(b, txs, 'a');
    await holdTxs(a, txs);
    const from = taps.ab.messages.length;
    await mineAndRelay(c, a, buildBlock(c.state.chain.tip, { payTo: owner, txs }));
    expect(blockRequests(taps.ab, from)).toEqual(['cmpct']);
    expect(a.p2p.compact.highBandwidth).toContain('b');
    await waitFor('b heard it', () => b.p2p.compact.sendsUnsolicitedTo(b.p2p.peers.get('a')!));
  });
});

describe('relay across hops', () => {
  it("a block pushed by its finder is not pushed on to the finder's other links", async () => {
    const f = await node('f');
    const x = await node('x');
    const r = await node('r');
    tappedLink(f, r);
    const xr = tappedLink(x, r);
    tappedLink(f, x);
    // x's blocks reach r by headers → getdata(cmpct): r makes x a high-bandwidth peer.
    const txs = await fundSpends(x, 5);
    const height = x.state.chain.height;
    await waitFor('synced', () => [f, r].every((n) => n.state.chain.height === height));
    await waitFor('x pushes to r', () => x.p2p.compact.sendsUnsolicitedTo(x.p2p.peers.get('r')!));
    await waitFor("x knows f's links", () => x.p2p.relay.exchange.linksOf('f').includes('r'));
    for (const n of [f, x, r]) await holdTxs(n, txs);
    const from = xr.ab.messages.length;
    // f finds a block: it pushes it to x and to r at once, so x does not push it to r again.
    await mineAndRelay(f, r, buildBlock(f.state.chain.tip, { payTo: owner, txs }));
    await waitFor('x has it', () => x.state.chain.tip.id === r.state.chain.tip.id);
    expect(x.p2p.compact.sendsUnsolicitedTo(x.p2p.peers.get('r')!)).toBe(true);
    expect(blockTraffic(xr.ab, from)).toEqual([]);
  });

  it('a node forwards a compact block to its high-bandwidth peers before validating it', async () => {
    const a = await node('a');
    const b = await node('b');
    const c = await node('c');
    tappedLink(a, b);
    const bc = tappedLink(b, c);
    const txs = await fundSpends(a, 10);
    const height = a.state.chain.height;
    await waitFor('line synced', () => c.state.chain.height === height);
    expect(c.p2p.compact.highBandwidth).toEqual(['b']);
    await waitFor('b sends c compact blocks', () =>
      b.p2p.compact.sendsUnsolicitedTo(b.p2p.peers.get('c')!),
    );
    for (const n of [a, b, c]) await holdTxs(n, txs, n === a ? 'b' : n === b ? 'c' : undefined);
    // b accepts the block only after it has sent it on.
    const order: string[] = [];
    b.p2p.on('block-accepted', () => order.push('b accepted'));
    const send = b.p2p.peers.get('c')!.send.bind(b.p2p.peers.get('c')!);
    b.p2p.peers.get('c')!.send = (message) => {
      if (message.type === 'cmpctblock') order.push('b sent cmpctblock');
      send(message);
    };
    const from = bc.ab.messages.length;
    const block = buildBlock(a.state.chain.tip, { payTo: owner, txs });
    expect((await a.p2p.submitBlock(block, 'local')).ok).toBe(true);
    await waitFor('c has it', () => c.state.chain.tip.id === headerId(block.header));
    expect(order).toEqual(['b sent cmpctblock', 'b accepted']);
    expect(blockTraffic(bc.ab, from)).toEqual(['cmpctblock']);
    expect(typesOf(bc.ab, from)).not.toContain('headers');
  });
});
