/** The UI's journal of node events: merged block bursts, refusals with reason and peer, reorgs. */
import { describe, expect, it } from 'vitest';
import { COIN, emptyChange, headerId, txidHex, type ProcessedBlock } from '../../../core/index.js';
import { Emitter } from '../../../client/events.js';
import type { NodeEvents, TabNode } from '../../../client/node.js';
import { NodeJournal } from '../../../client/ui/node-journal.js';
import { NOW, buildBlock, openNode, outputOf, pay, testKey } from '../../helpers/regtest.js';

async function setup(startNotices: string[] = []) {
  const { node: state } = await openNode();
  const node = Object.assign(new Emitter<NodeEvents>(), {
    identity: { nodeId: 'me' },
    state,
    startNotices,
  });
  let now = 1_000_000;
  const journal = new NodeJournal(node as unknown as TabNode, () => now);
  return { node, state, journal, advance: (ms: number) => (now += ms) };
}

describe('NodeJournal', () => {
  it('starts with the notices the node raised before the UI listened (an old chain cleared)', async () => {
    const { journal } = await setup(['old chain cleared', 'wallet note']);
    expect(journal.entries().map((e) => [e.kind, e.text])).toEqual([
      ['notice', 'wallet note'],
      ['notice', 'old chain cleared'],
    ]);
  });

  it('merges a burst of blocks from one peer into one line, newest first', async () => {
    const { node, journal, advance } = await setup();
    for (let height = 1; height <= 100; height++) {
      node.emit('block-accepted', {
        id: `${height}`.padStart(64, '0'),
        height,
        status: 'active',
        from: 'peer-x',
      });
      advance(5);
    }
    node.emit('block-accepted', {
      id: 'f'.repeat(64),
      height: 101,
      status: 'active',
      from: 'local',
    });
    const texts = journal.entries().map((e) => e.text);
    expect(texts).toEqual([
      'block 101 ffffffffffff… from this tab',
      'blocks 1–100 (100) from peer-x',
    ]);
  });

  it('records each refusal with its reason and the peer that sent it', async () => {
    const { node, journal } = await setup();
    node.emit('refused', {
      kind: 'tx',
      id: 'a'.repeat(64),
      reason: 'bad-signature',
      message: 'input 0: signature does not verify',
      from: 'peer-y',
      score: 100,
    });
    node.emit('banned', { id: 'peer-y', until: 2_000_000, reason: 'bad-signature: input 0' });
    const [banned, refused] = journal.entries();
    expect(refused).toMatchObject({ kind: 'refused', reason: 'bad-signature', from: 'peer-y' });
    expect(refused!.text).toContain('refused tx aaaaaaaaaaaa… from peer-y: bad-signature');
    expect(banned).toMatchObject({ kind: 'banned', from: 'peer-y', reason: 'bad-signature' });
  });

  it('keeps reorgs, the blocks they replaced, and payments a reorg erased (double spends)', async () => {
    const { node, state, journal } = await setup();
    const genesis = state.chain.tip;
    const funding = buildBlock(genesis, { payTo: testKey(1) });
    const payment = pay(
      testKey(1),
      [outputOf(funding.txs[0]!)],
      [{ amount: COIN, pubkey: testKey(2).pubkey }],
    );
    const lost = buildBlock(genesis, { txs: [payment] });
    const winner = buildBlock(genesis, { payTo: testKey(3) });
    const result: ProcessedBlock = {
      ok: true,
      id: headerId(winner.header),
      status: 'active',
      change: { ...emptyChange(), disconnected: [lost], connected: [winner] },
      mempool: {
        confirmed: [],
        conflicts: [],
        returned: [],
        replaced: [txidHex(payment)],
        expired: [],
      },
    };
    node.emit('chain-changed', result);
    expect(journal.reorgs).toHaveLength(1);
    expect(journal.reorgs[0]).toMatchObject({
      disconnected: [headerId(lost.header)],
      connected: [headerId(winner.header)],
    });
    expect(journal.reorgedOut.has(headerId(lost.header))).toBe(true);
    const texts = journal.entries().map((e) => e.text);
    expect(texts[0]).toContain(`double spend: tx ${txidHex(payment).slice(0, 12)}`);
    expect(texts[1]).toMatch(/^reorg: 1 block\(s\) above height .* replaced by 1/);
  });

  it('lists a fork until cleared, growing with its branch; a fork that wins becomes a reorg', async () => {
    const { node, state, journal } = await setup();
    const accept = async (block: Parameters<typeof state.processBlock>[0]) => {
      const result = await state.processBlock(block, NOW);
      if (!result.ok) throw new Error(result.reason);
      // The p2p layer does not know a side block's height: the journal looks it up.
      const id = headerId(block.header);
      node.emit('block-accepted', { id, height: -1, status: result.status, from: 'peer-x' });
      if (result.status === 'active') node.emit('chain-changed', result);
      return id;
    };
    const genesis = state.chain.tip;
    const a1 = await accept(buildBlock(genesis, { payTo: testKey(1) }));
    const a2 = await accept(buildBlock(state.chain.tip, { payTo: testKey(1) }));
    const b1Block = buildBlock(genesis, { payTo: testKey(2) });
    const b1 = await accept(b1Block);
    expect(journal.entries()[0]!.text).toBe(
      `block 1 ${b1.slice(0, 12)}… (side branch) from peer-x`,
    );
    expect(journal.forks).toEqual([
      { time: expect.any(Number), kind: 'fork', forkHeight: 0, lost: [b1], won: [a1] },
    ]);
    const b2Block = buildBlock(state.chain.getEntry(b1)!, { payTo: testKey(2) });
    const b2 = await accept(b2Block);
    expect(journal.forks).toMatchObject([{ kind: 'fork', lost: [b1, b2], won: [a1, a2] }]);

    // The branch grows heavier: the active chain switches, and the list says so.
    const b3 = await accept(buildBlock(state.chain.getEntry(b2)!, { payTo: testKey(2) }));
    expect(state.chain.tip.id).toBe(b3);
    expect(journal.forks).toEqual([
      {
        time: expect.any(Number),
        kind: 'reorg',
        forkHeight: 0,
        lost: [a1, a2],
        won: [b1, b2, b3],
      },
    ]);
    journal.clearForks();
    expect(journal.forks).toEqual([]);
    expect(journal.reorgs).toHaveLength(1); // the tree's own record stays
  });
});
