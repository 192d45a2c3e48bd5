/**
 * Compact block relay between nodes in one process (client/net/compact-relay.ts,
 * docs/protocol.md "Compact blocks"): rebuilding with all, some and none of a block's
 * transactions known, prefilling what the peer lacks, high- and low-bandwidth peers, the
 * fallback to the whole block on a short-id collision (nobody penalised), what a lying peer
 * costs, and version-1 peers that keep getting whole blocks. Which peers get a block how:
 * compact-peers.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  compactBlockOf,
  encodeBlock,
  encodeMessage,
  hashToHex,
  headerHash,
  headerId,
  shortId,
  shortIdKey,
  wtxid,
  type Block,
  type CmpctBlockMessage,
} from '../../core/index.js';
import {
  MAX_PARTIAL_BLOCKS_PER_PEER,
  PARTIAL_BLOCK_TIMEOUT_MS,
} from '../../client/net/compact-relay.js';
import type { RefusedEvent } from '../../client/net/p2p.js';
import { buildBlock, outputOf, pay, unmineHeader } from '../helpers/regtest.js';
import { clock, makeNode, stopAll, type TestNode } from '../helpers/net.js';
import {
  fundSpends,
  fundedPairOf,
  mineAndRelay,
  holdTxs,
  owner,
  tappedLink,
  blockTraffic,
  speakingPeer,
  waitFor,
  blockRequests,
  type Tap,
} from '../helpers/compact.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

async function node(name: string, compactBlocks = true): Promise<TestNode> {
  const made = await makeNode(name, { compactBlocks });
  nodes.push(made);
  return made;
}

/** `a` and `b` linked, `b` synced to `a`'s funded chain (see helpers/compact.ts). */
const fundedPair = (spends: number) => fundedPairOf(node, spends);

const sizeOf = (tap: Tap, type: string, from = 0) =>
  tap.messages
    .slice(from)
    .filter((m) => m.type === type)
    .reduce((sum, m) => sum + encodeMessage(m).length, 0);

function refusals(target: TestNode): RefusedEvent[] {
  const events: RefusedEvent[] = [];
  target.p2p.on('refused', (event) => events.push(event));
  return events;
}

describe('compact block relay between two nodes', () => {
  it('negotiates version 2 and makes the first deliverer a high-bandwidth peer', async () => {
    const { b, taps } = await fundedPair(1);
    expect(blockTraffic(taps.ab)).toContain('sendcmpct');
    const fromB = receivedSendCmpct(taps.ba);
    expect(fromB[0]).toEqual({ type: 'sendcmpct', highBandwidth: false, version: 1n });
    // a delivered b's first new block: b asked a for unsolicited compact blocks, once.
    expect(fromB.filter((m) => m.highBandwidth)).toHaveLength(1);
    expect(b.p2p.compact.highBandwidth).toEqual(['a']);
  });

  it('rebuilds a block whose transactions are all in the mempool: one message, <= 1/10 of the block', async () => {
    const { a, b, taps, txs } = await fundedPair(50);
    await holdTxs(a, txs, 'b');
    await holdTxs(b, txs);
    const from = { ab: taps.ab.messages.length, ba: taps.ba.messages.length };
    const block = buildBlock(a.state.chain.tip, { payTo: owner, txs });
    await mineAndRelay(a, b, block);
    expect(blockTraffic(taps.ab, from.ab)).toEqual(['cmpctblock']);
    expect(blockTraffic(taps.ba, from.ba)).not.toContain('getblocktxn');
    expect(blockRequests(taps.ba, from.ba)).toEqual([]);
    const compactBytes = sizeOf(taps.ab, 'cmpctblock', from.ab);
    expect(compactBytes * 10).toBeLessThanOrEqual(encodeBlock(block).length);
    expect(b.state.mempool.size).toBe(0);
  });

  it('asks for the transactions it lacks (getblocktxn) and rebuilds with them', async () => {
    const { a, b, taps, txs } = await fundedPair(30);
    await holdTxs(a, txs, 'b');
    await holdTxs(b, txs.slice(0, 20));
    const from = { ab: taps.ab.messages.length, ba: taps.ba.messages.length };
    await mineAndRelay(a, b, buildBlock(a.state.chain.tip, { payTo: owner, txs }));
    const asked = taps.ba.messages.slice(from.ba).filter((m) => m.type === 'getblocktxn');
    expect(asked).toHaveLength(1);
    // Slot 0 is the coinbase (prefilled); the last 10 transactions are slots 21..30.
    expect(asked[0]).toMatchObject({ indexes: Array.from({ length: 10 }, (_, i) => 21 + i) });
    expect(blockTraffic(taps.ab, from.ab)).toEqual(['cmpctblock', 'blocktxn']);
    expect(blockTraffic(taps.ab, from.ab)).not.toContain('block');
  });

  it('with none of the transactions known, asks for all of them and still needs no full block', async () => {
    const { a, b, taps, txs } = await fundedPair(12);
    await holdTxs(a, txs, 'b');
    const from = taps.ab.messages.length;
    await mineAndRelay(a, b, buildBlock(a.state.chain.tip, { payTo: owner, txs }));
    expect(blockTraffic(taps.ab, from)).toEqual(['cmpctblock', 'blocktxn']);
    const answer = taps.ab.messages.at(-1)!;
    expect(answer.type === 'blocktxn' && answer.txs.length).toBe(12);
  });

  it('prefills the transactions the peer was never told about: no round trip', async () => {
    const { a, b, taps, txs } = await fundedPair(10);
    await holdTxs(a, txs.slice(0, 7), 'b');
    await holdTxs(a, txs.slice(7)); // never announced to b
    await holdTxs(b, txs.slice(0, 7));
    const from = taps.ab.messages.length;
    await mineAndRelay(a, b, buildBlock(a.state.chain.tip, { payTo: owner, txs }));
    expect(blockTraffic(taps.ab, from)).toEqual(['cmpctblock']);
    const sent = taps.ab.messages
      .slice(from)
      .find((m) => m.type === 'cmpctblock') as CmpctBlockMessage;
    expect(sent.prefilled.map((p) => p.index)).toEqual([0, 8, 9, 10]);
  });

  it('a version-1 peer is sent no compact message and still gets whole blocks', async () => {
    const { a, txs } = await fundedPair(3);
    const old = await speakingPeer(a, 'old', 1);
    await holdTxs(a, txs);
    const block = buildBlock(a.state.chain.tip, { payTo: owner, txs });
    expect((await a.p2p.submitBlock(block, 'local')).ok).toBe(true);
    await waitFor('announced', () => old.of('headers').length > 0);
    old.peer.send({ type: 'getdata', items: [{ kind: 'block', hash: headerHash(block.header) }] });
    await waitFor('served', () => old.of('block').length > 0);
    const types = old.received.map((m) => m.type);
    for (const type of ['sendcmpct', 'cmpctblock', 'getblocktxn', 'blocktxn'])
      expect(types).not.toContain(type);
    // A compact message from it anyway is ignored, at no cost.
    const events = refusals(a);
    old.peer.send({ type: 'sendcmpct', highBandwidth: true, version: 1n });
    await waitFor('ignored', () => events.length > 0);
    expect(events[0]).toMatchObject({ reason: 'compact-not-negotiated', score: 0 });
    expect(a.p2p.peers.get('old')?.misbehaviour).toBe(0);
  });

  it('a node with compactBlocks off offers nothing and relays whole blocks', async () => {
    const a = await node('a', false);
    const b = await node('b');
    const taps = tappedLink(a, b);
    await fundSpends(a, 1);
    await waitFor('b synced', () => b.state.chain.height === a.state.chain.height);
    expect(blockTraffic(taps.ab)).not.toContain('sendcmpct');
    expect(blockTraffic(taps.ab)).not.toContain('cmpctblock');
    expect(blockTraffic(taps.ab)).toContain('block');
  });
});

function receivedSendCmpct(tap: Tap) {
  return tap.messages.filter((m) => m.type === 'sendcmpct');
}

const speakingPeer2 = (victim: TestNode, name: string) => speakingPeer(victim, name, 2);

/**
 * `speaker` announces `block` with `headers`, and answers the victim's `getdata` (kind cmpct)
 * with its compact form: it delivered a new block first when asked, so the victim makes it a
 * high-bandwidth peer (a block pushed unasked would be its own miner's, which does not count).
 */
async function deliverFirst(
  victim: TestNode,
  speaker: Awaited<ReturnType<typeof speakingPeer2>>,
  name: string,
  block: Block,
  nonce: bigint,
): Promise<void> {
  const asked = speaker.of('getdata').length;
  speaker.peer.send({ type: 'headers', headers: [block.header] });
  await waitFor('asked for it', () => speaker.of('getdata').length > asked);
  expect(
    speaker
      .of('getdata')
      .at(-1)!
      .items.map((i) => i.kind),
  ).toEqual(['cmpct']);
  speaker.peer.send(compactBlockOf(block, nonce));
  await waitFor(`${name} is high-bandwidth`, () => victim.p2p.compact.highBandwidth.includes(name));
}

describe('compact blocks that do not rebuild', () => {
  it('a short-id collision with a mempool transaction: whole block fetched, nobody penalised', async () => {
    const { a: victim, txs } = await fundedPair(6);
    const honest = await speakingPeer2(victim, 'honest');
    await holdTxs(victim, txs.slice(0, 5));
    // The block carries txs[5]; the victim's mempool holds txs[4] under the same short id
    // (forced here: the block's short id for slot 5 is txs[4]'s).
    const block = buildBlock(victim.state.chain.tip, {
      payTo: owner,
      txs: [...txs.slice(0, 4), txs[5]!],
    });
    const message = compactBlockOf(block, 7n);
    const key = shortIdKey(block.header, 7n);
    message.shortIds[4] = shortId(key, wtxid(txs[4]!));
    const events = refusals(victim);
    honest.peer.send(message);
    await waitFor('full block asked', () =>
      honest.of('getdata').some((m) => m.items.some((i) => i.kind === 'block')),
    );
    expect(events.find((e) => e.reason === 'compact-merkle-mismatch')).toMatchObject({ score: 0 });
    honest.peer.send({ type: 'block', block });
    await waitFor('accepted', () => victim.state.chain.tip.id === headerId(block.header));
    expect(victim.p2p.peers.get('honest')?.misbehaviour).toBe(0);
  });

  it('two transactions of the block with one short id: whole block fetched, no penalty', async () => {
    const { a: victim, txs } = await fundedPair(3);
    const honest = await speakingPeer2(victim, 'honest');
    const block = buildBlock(victim.state.chain.tip, { payTo: owner, txs });
    const message = compactBlockOf(block, 9n);
    message.shortIds[1] = message.shortIds[0]!;
    honest.peer.send(message);
    await waitFor('full block asked', () => honest.of('getdata').length > 0);
    honest.peer.send({ type: 'block', block });
    await waitFor('accepted', () => victim.state.chain.tip.id === headerId(block.header));
    expect(victim.p2p.peers.get('honest')?.misbehaviour).toBe(0);
  });

  it('a compact block whose own transactions miss the merkle root bans its sender; the block still comes', async () => {
    const { a: victim, b: honestNode, txs } = await fundedPair(2);
    const liar = await speakingPeer2(victim, 'liar');
    const block = buildBlock(victim.state.chain.tip, { payTo: owner, txs });
    // Everything prefilled, one transaction swapped: no mempool transaction was involved.
    const forged = compactBlockOf(block, 1n, () => true);
    forged.prefilled[1] = { index: 1, tx: txs[1]! };
    liar.peer.send(forged);
    await waitFor('banned', () => victim.p2p.bans.get('liar', clock.ms) !== undefined);
    expect(victim.state.chain.getEntry(headerId(block.header))?.status).not.toBe('invalid');
    // The honest peer has the real block: its header was kept, so the body is fetched.
    expect((await honestNode.p2p.submitBlock(block, 'local')).ok).toBe(true);
    await waitFor('accepted', () => victim.state.chain.tip.id === headerId(block.header));
  });

  it('a blocktxn that does not answer our request bans its sender', async () => {
    const { a: victim, txs } = await fundedPair(4);
    const liar = await speakingPeer2(victim, 'liar');
    const block = buildBlock(victim.state.chain.tip, { payTo: owner, txs });
    liar.peer.send(compactBlockOf(block, 2n));
    await waitFor('asked', () => liar.of('getblocktxn').length > 0);
    expect(liar.of('getblocktxn')[0]!.indexes).toEqual([1, 2, 3, 4]);
    liar.peer.send({ type: 'blocktxn', blockHash: headerHash(block.header), txs: txs.slice(0, 3) });
    await waitFor('banned', () => victim.p2p.bans.get('liar', clock.ms) !== undefined);
    expect(victim.state.chain.getEntry(headerId(block.header))?.status).not.toBe('invalid');
  });

  it('a high-bandwidth block that fails validation after its proof of work costs nothing but the role', async () => {
    const { a: victim, txs } = await fundedPair(2);
    const peer = await speakingPeer2(victim, 'fast');
    // It delivers a valid block first: it becomes a high-bandwidth peer.
    const good = buildBlock(victim.state.chain.tip, { payTo: owner });
    await deliverFirst(victim, peer, 'fast', good, 3n);
    // Then a block with valid proof of work spending a coin that does not exist.
    const ghost = pay(owner, [outputOf(txs[1]!, 0)], [{ amount: 1000n, pubkey: owner.pubkey }]);
    const bad = buildBlock(victim.state.chain.tip, { payTo: owner, txs: [ghost] });
    peer.peer.send(compactBlockOf(bad, 4n, () => true));
    await waitFor(
      'refused',
      () => victim.state.chain.getEntry(headerId(bad.header))?.status === 'invalid',
    );
    expect(victim.p2p.peers.get('fast')?.misbehaviour).toBe(0);
    expect(victim.p2p.compact.highBandwidth).not.toContain('fast');
  });

  it('the same invalid block sent whole by another peer meanwhile still costs that peer', async () => {
    const { a: victim, txs } = await fundedPair(2);
    const fast = await speakingPeer2(victim, 'fast');
    const whole = await speakingPeer2(victim, 'whole');
    const good = buildBlock(victim.state.chain.tip, { payTo: owner });
    await deliverFirst(victim, fast, 'fast', good, 5n);
    const events = refusals(victim);
    const ghost = pay(owner, [outputOf(txs[1]!, 0)], [{ amount: 1000n, pubkey: owner.pubkey }]);
    const bad = buildBlock(victim.state.chain.tip, { payTo: owner, txs: [ghost] });
    // The high-bandwidth peer relays it compact (before validating, as BIP152 allows) while the
    // peer that made it sends it whole: only the compact relay is excused.
    fast.peer.send(compactBlockOf(bad, 6n, () => true));
    whole.peer.send({ type: 'block', block: bad });
    await waitFor('whole is banned', () =>
      events.some((e) => e.from === 'whole' && e.score >= 100),
    );
    expect(events.filter((e) => e.from === 'fast').map((e) => e.score)).toEqual([0]);
    expect(victim.p2p.peers.get('fast')?.misbehaviour).toBe(0);
  });

  it('getblocktxn past the end of the block costs its sender', async () => {
    const { a: victim } = await fundedPair(1);
    const peer = await speakingPeer2(victim, 'prober');
    const tip = victim.state.chain.tip;
    peer.peer.send({ type: 'getblocktxn', blockHash: headerHash(tip.header), indexes: [0, 5] });
    await waitFor('banned', () => victim.p2p.bans.get('prober', clock.ms) !== undefined);
  });

  it(`holds at most ${MAX_PARTIAL_BLOCKS_PER_PEER} blocks in reconstruction per peer`, async () => {
    const { a: victim, txs } = await fundedPair(3);
    const peer = await speakingPeer2(victim, 'many');
    const tip = victim.state.chain.tip;
    // Three competing children of the tip, each waiting for its transactions.
    const blocks = [1, 2, 3].map((n) => buildBlock(tip, { payTo: owner, txs, extraNonce: n }));
    for (const block of blocks) peer.peer.send(compactBlockOf(block, 5n));
    await waitFor('asked thrice', () => peer.of('getblocktxn').length === 3);
    const held = victim.p2p.compact.partialCount(victim.p2p.peers.get('many')!);
    expect(held).toBe(MAX_PARTIAL_BLOCKS_PER_PEER);
    // The first one was given up: fetched whole instead.
    await waitFor('first fetched whole', () =>
      peer
        .of('getdata')
        .some((m) => m.items.some((i) => headerId(blocks[0]!.header) === hashToHex(i.hash))),
    );
  });
});

describe('slow and lying senders', () => {
  it('a rebuild left waiting for its blocktxn is given up after 10 s: the block is fetched whole', async () => {
    const { a: victim, txs } = await fundedPair(2);
    const slow = await speakingPeer(victim, 'slow', 2);
    const block = buildBlock(victim.state.chain.tip, { payTo: owner, txs });
    slow.peer.send(compactBlockOf(block, 6n));
    await waitFor('asked', () => slow.of('getblocktxn').length > 0);
    expect(blockKinds(slow.of('getdata'))).toEqual([]);
    clock.ms += PARTIAL_BLOCK_TIMEOUT_MS + 1;
    victim.p2p.tick();
    await waitFor('fetched whole', () => blockKinds(slow.of('getdata')).includes('block'));
    expect(victim.p2p.peers.get('slow')?.misbehaviour).toBe(0);
  });

  it('a cmpctblock whose header fails its proof of work costs its sender as a bad header does', async () => {
    const { a: victim } = await fundedPair(1);
    const liar = await speakingPeer(victim, 'liar', 2);
    const block = buildBlock(victim.state.chain.tip, { payTo: owner });
    liar.peer.send(compactBlockOf({ ...block, header: unmineHeader(block.header) }, 1n));
    await waitFor('banned', () => victim.p2p.bans.get('liar', clock.ms) !== undefined);
  });
});

const blockKinds = (getdatas: { items: { kind: string }[] }[]) =>
  getdatas.flatMap((m) => m.items.map((i) => i.kind)).filter((kind) => kind !== 'tx');

describe('getdata kind cmpct', () => {
  it('is answered with a compact block near the tip, and with the whole block deeper', async () => {
    const { a: server } = await fundedPair(1);
    const client = await speakingPeer(server, 'client', 2);
    const tip = server.state.chain.tip;
    const deep = server.state.chain.entryAt(tip.height - 11)!;
    client.peer.send({ type: 'getdata', items: [{ kind: 'cmpct', hash: headerHash(tip.header) }] });
    await waitFor('compact answer', () => client.of('cmpctblock').length === 1);
    expect(headerId(client.of('cmpctblock')[0]!.header)).toBe(tip.id);
    client.peer.send({
      type: 'getdata',
      items: [{ kind: 'cmpct', hash: headerHash(deep.header) }],
    });
    await waitFor('whole answer', () => client.of('block').length === 1);
    expect(headerId(client.of('block')[0]!.block.header)).toBe(deep.id);
  });
});
