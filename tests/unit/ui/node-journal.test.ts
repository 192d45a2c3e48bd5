/** The UI's journal of node events: merged block bursts, refusals with reason and peer, reorgs. */
import { describe, expect, it } from 'vitest';
import { COIN, emptyChange, headerId, txidHex, type ProcessedBlock } from '../../../core/index.js';
import { Emitter } from '../../../client/events.js';
import type { NodeEvents, TabNode } from '../../../client/node.js';
import { NodeJournal } from '../../../client/ui/node-journal.js';
import { buildBlock, openNode, outputOf, pay, testKey } from '../../helpers/regtest.js';

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
});
